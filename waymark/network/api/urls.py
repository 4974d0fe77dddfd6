"""/api/v1/network/, included by waymark.api.urls in the "api" namespace."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from waymark.network.api import views

router = SimpleRouter()
router.register("networks", views.NetworkViewSet, basename="network")
router.register("memberships", views.MembershipViewSet, basename="network-membership")
router.register("contacts", views.ContactViewSet, basename="network-contact")
router.register("meetings", views.MeetingViewSet, basename="network-meeting")
router.register("minutes", views.PublishedMinutesViewSet, basename="network-minutes")
router.register("actions", views.ActionViewSet, basename="network-action")
router.register("events", views.EventViewSet, basename="network-event")
router.register("registrations", views.RegistrationViewSet, basename="network-registration")
router.register("surveys", views.SurveyViewSet, basename="network-survey")

urlpatterns = [
    path(
        "surveys/<uuid:uuid>/published-results/",
        views.PublishedSurveyResultsView.as_view(),
        name="network-survey-published-results",
    ),
    *router.urls,
]
