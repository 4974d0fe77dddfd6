"""The monitoring pages under /monitoring/: imports, data quality, dashboards, disproportionality, access
and publishing. Only the published snapshots (``published/``) are open without signing in."""

from django.urls import path

from waymark.monitoring import views, views_access, views_funnel, views_imports, views_national, views_public

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("data-quality/", views.data_quality_list, name="data_quality_list"),
    path("providers/<uuid:uuid>/", views.provider_dashboard, name="provider_dashboard"),
    path("providers/<uuid:uuid>/data-quality/", views.data_quality, name="data_quality"),
    path("areas/<int:pk>/", views.area_overview, name="area_overview"),
    path("disproportionality/", views.disproportionality, name="disproportionality"),
    path("funnel/", views_funnel.compare_providers, name="compare_providers"),
    path("funnel/download/", views_funnel.compare_providers_download, name="compare_providers_download"),
    path("imports/", views_imports.import_list, name="import_list"),
    path("imports/population/", views_imports.import_population, name="import_population"),
    path("imports/activity/", views_imports.import_activity, name="import_activity"),
    path("imports/<uuid:uuid>/", views_imports.import_detail, name="import_detail"),
    path("england/", views_national.national_import, name="national_import"),
    path("access/", views_access.access_list, name="access_list"),
    path("access/new/", views_access.access_create, name="access_create"),
    path("access/<uuid:uuid>/end/", views_access.access_end, name="access_end"),
    path("publish/", views_public.snapshot_create, name="snapshot_create"),
    path("published/", views_public.snapshot_list, name="snapshot_list"),
    path("published/<uuid:uuid>/", views_public.snapshot_detail, name="snapshot_detail"),
]
