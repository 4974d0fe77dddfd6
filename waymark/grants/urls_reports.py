from django.urls import path

from waymark.grants.views import reports

urlpatterns = [
    path("programmes/<uuid:uuid>/reports/", reports.report_list, name="report_list"),
    path("reports/<uuid:uuid>/", reports.report_detail, name="report_detail"),
    path("reports/<uuid:uuid>/record/", reports.report_record, name="report_record"),
    path("reports/<uuid:uuid>/skip/", reports.report_skip, name="report_skip"),
]
