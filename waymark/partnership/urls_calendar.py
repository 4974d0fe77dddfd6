from django.urls import path

from waymark.partnership.views import calendar

urlpatterns = [
    path("consultations/", calendar.consultation_list, name="consultation_list"),
    path("consultations/month/<int:year>/<int:month>/", calendar.consultation_month, name="consultation_month"),
    path("consultations/clashes/", calendar.consultation_clash_check, name="consultation_clash_check"),
]
