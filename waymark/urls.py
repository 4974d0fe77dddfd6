"""Root URLs."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from waymark.api import views as api_views
from waymark.core import views as core_views

urlpatterns = [
    path("", include("waymark.core.urls")),
    path("directory/", include("waymark.directory.urls")),
    path("monitoring/", include("waymark.monitoring.urls")),
    path("network/", include("waymark.network.urls")),
    path("voice/", include("waymark.voice.urls")),
    path("plans/", include("waymark.plans.urls")),
    path("partnership/", include("waymark.partnership.urls")),
    path("grants/", include("waymark.grants.urls")),
    path("account/api-tokens/", include("waymark.api.token_urls")),
    path("account/", include("waymark.accounts.urls")),
    path("api/v1/", include("waymark.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Under /api/ a missing address answers in the API's error format; elsewhere, with the page."""
    if request.path.startswith("/api/"):
        return api_views.not_found(request, exception)
    return core_views.page_not_found(request, exception)


handler404 = page_not_found
handler500 = core_views.server_error
