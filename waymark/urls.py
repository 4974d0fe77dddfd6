"""Root URLs."""

from django.urls import include, path

urlpatterns = [
    path("", include("waymark.core.urls")),
]
