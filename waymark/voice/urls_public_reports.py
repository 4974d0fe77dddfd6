""" "You said, we did" public pages and the staff intelligence reports, included by ``voice.urls``."""

from django.urls import path

from waymark.voice.views import public_reports, reports

urlpatterns = [
    path("you-said-we-did/", public_reports.index, name="you_said_we_did"),
    path("you-said-we-did/timeliness/", public_reports.timeliness, name="response_timeliness"),
    path("you-said-we-did/themes/<slug:slug>/", public_reports.theme, name="you_said_we_did_theme"),
    path(
        "you-said-we-did/organisations/<uuid:uuid>/",
        public_reports.organisation,
        name="you_said_we_did_organisation",
    ),
    path("you-said-we-did/services/<uuid:uuid>/", public_reports.service, name="you_said_we_did_service"),
    path("you-said-we-did/issues/<uuid:uuid>/", public_reports.issue, name="you_said_we_did_issue"),
    path("reports/", reports.report, name="report"),
    path("reports/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/export/", reports.report_export, name="report_export"),
]
