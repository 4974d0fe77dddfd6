"""/api/v1/partnership/, included by waymark.api.urls in the "api" namespace."""

from rest_framework.routers import SimpleRouter

from waymark.partnership.api import views

router = SimpleRouter()
router.register("consultations", views.ConsultationViewSet, basename="consultation")

urlpatterns = router.urls
