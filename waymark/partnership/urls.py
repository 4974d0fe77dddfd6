"""The partnership app's pages. Each topic keeps its routes in its own module."""

from django.urls import include, path

app_name = "partnership"

urlpatterns = [
    path("", include("waymark.partnership.urls_consultations")),
    path("", include("waymark.partnership.urls_reports")),
    path("", include("waymark.partnership.urls_feeds")),
    path("", include("waymark.partnership.urls_teams")),
    path("", include("waymark.partnership.urls_decisions")),
    path("", include("waymark.partnership.urls_calendar")),
    path("", include("waymark.partnership.urls_partnerships")),
    path("", include("waymark.partnership.urls_activity")),
]
