"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

from waymark.core import views as core_views

urlpatterns = [
    path("", include("waymark.core.urls")),
    path("directory/", include("waymark.directory.urls")),
    path("monitoring/", include("waymark.monitoring.urls")),
    path("network/", include("waymark.network.urls")),
    path("voice/", include("waymark.voice.urls")),
    path("account/api-tokens/", include("waymark.api.token_urls")),
    path("account/", include("waymark.accounts.urls")),
    path("api/v1/", include("waymark.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
