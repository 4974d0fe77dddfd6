"""Routes of the shared ground's endpoints, included by waymark.api.urls under the "api" namespace."""

from rest_framework.routers import SimpleRouter

from waymark.core.api import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("areas", views.AreaViewSet, basename="area")
router.register("postcodes", views.PostcodeViewSet, basename="postcode")
router.register("languages", views.LanguageViewSet, basename="language")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("ethnic-code-sets", views.EthnicCodeSetViewSet, basename="ethnic-code-set")

urlpatterns = router.urls
