from django.urls import path

from waymark.partnership.views import consultations

urlpatterns = [
    path("consultations/new/", consultations.consultation_create, name="consultation_create"),
    path("consultations/<uuid:uuid>/", consultations.consultation_detail, name="consultation_detail"),
    path("consultations/<uuid:uuid>/edit/", consultations.consultation_edit, name="consultation_edit"),
    path("consultations/<uuid:uuid>/status/", consultations.consultation_move, name="consultation_move"),
]
