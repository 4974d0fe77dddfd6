from django.urls import path

from waymark.partnership.views import reports

urlpatterns = [
    path("consultations/<uuid:uuid>/report/", reports.consultation_report, name="consultation_report"),
    path("consultations/<uuid:uuid>/history/", reports.consultation_history, name="consultation_history"),
]
