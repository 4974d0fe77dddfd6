"""/api/v1/: the root, the OpenAPI schema and its documentation, and each app's endpoints."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from waymark.api.views import ApiRootView
from waymark.api.views_docs import api_docs

app_name = "api"
urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    path("", include("waymark.core.api.urls")),
    path("directory/", include("waymark.directory.api.urls")),
    path("monitoring/", include("waymark.monitoring.api.urls")),
    path("network/", include("waymark.network.api.urls")),
    path("plans/", include("waymark.plans.api.urls")),
    path("partnership/", include("waymark.partnership.api.urls")),
    path("grants/", include("waymark.grants.api.urls")),
    path("voice/", include("waymark.voice.api.urls")),
    path("grants/", include("waymark.grants.api.urls_applications")),
]
