from django.urls import path

from waymark.grants.views import awards

urlpatterns = [
    path("applications/<uuid:uuid>/decide/", awards.decide, name="application_decide"),
    path("applications/<uuid:uuid>/payments/", awards.schedule, name="payment_schedule"),
    path("applications/<uuid:uuid>/award-letter.pdf", awards.award_letter, name="award_letter"),
    path("payments/<uuid:uuid>/paid/", awards.mark_paid, name="payment_paid"),
    path("letters/<str:token>/", awards.award_letter_public, name="award_letter_public"),
]
