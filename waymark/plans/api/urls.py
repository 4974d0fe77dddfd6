"""/api/v1/plans/, included by waymark.api.urls in the "api" namespace."""

from rest_framework.routers import SimpleRouter

from waymark.plans.api import views

router = SimpleRouter()
router.register("objectives", views.ObjectiveViewSet, basename="plan-objective")
router.register("actions", views.ActionViewSet, basename="plan-action")
router.register("indicators", views.IndicatorViewSet, basename="plan-indicator")
router.register("", views.PlanViewSet, basename="plan")

urlpatterns = router.urls
