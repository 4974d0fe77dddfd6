"""/api/v1/grants/, included by waymark.api.urls in the "api" namespace. Each topic registers its viewsets here."""

from rest_framework.routers import SimpleRouter

from waymark.grants.api import views, views_assessment, views_awards

router = SimpleRouter()
router.register("assessments", views_assessment.AssessmentViewSet, basename="grant-assessment")
router.register("awards", views_awards.AwardViewSet, basename="grants-award")
router.register("programmes", views.ProgrammeViewSet, basename="grants-programme")

urlpatterns = router.urls
