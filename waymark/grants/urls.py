"""The grants app's pages. Each topic keeps its routes in its own module."""

from django.urls import include, path

app_name = "grants"

urlpatterns = [
    path("", include("waymark.grants.urls_programmes")),
    path("", include("waymark.grants.urls_applications")),
    path("", include("waymark.grants.urls_apply")),
    path("apply/", include("waymark.grants.urls_public")),
    path("", include("waymark.grants.urls_awards")),
    path("", include("waymark.grants.urls_assessment")),
    path("", include("waymark.grants.urls_open_data")),
    path("", include("waymark.grants.urls_reports")),
]
