"""Public progress reports (no sign-in) and the board dashboard."""

from django.urls import path

from waymark.plans.views import board, reports

urlpatterns = [
    path("public/", reports.public_plan_list, name="public_plan_list"),
    path("public/<uuid:uuid>/", reports.public_report_page, name="public_report"),
    path("public/<uuid:uuid>/report.pdf", reports.public_report_pdf, name="public_report_pdf"),
    path("board/", board.board, name="board"),
]
