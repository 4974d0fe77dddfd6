"""The voice pages."""

from django.urls import include, path

from waymark.voice import urls_escalations, urls_intake, urls_public_reports

app_name = "voice"
urlpatterns: list = [
    path("", include(urls_public_reports)),
    path("", include(urls_escalations)),
    path("", include(urls_intake)),
]
