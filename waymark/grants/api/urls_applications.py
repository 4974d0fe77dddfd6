"""/api/v1/grants/applications/, included by waymark.api.urls in the "api" namespace (apply's endpoints)."""

from rest_framework.routers import SimpleRouter

from waymark.grants.api import views_applications

router = SimpleRouter()
router.register("applications", views_applications.ApplicationViewSet, basename="grants-application")

urlpatterns = router.urls
