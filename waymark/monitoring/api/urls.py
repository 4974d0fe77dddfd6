"""/api/v1/monitoring/, included by waymark.api.urls in the "api" namespace."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from waymark.monitoring.api import views

router = SimpleRouter()
router.register("snapshots", views.SnapshotViewSet, basename="monitoring-snapshot")
router.register("imports", views.ImportBatchViewSet, basename="monitoring-import")
router.register("national-figures", views.NationalFigureViewSet, basename="monitoring-national-figure")

urlpatterns = [
    path(
        "providers/<uuid:uuid>/dashboard/", views.ProviderDashboardView.as_view(), name="monitoring-provider-dashboard"
    ),
    path(
        "providers/<uuid:uuid>/data-quality/",
        views.ProviderDataQualityView.as_view(),
        name="monitoring-provider-data-quality",
    ),
    *router.urls,
]
