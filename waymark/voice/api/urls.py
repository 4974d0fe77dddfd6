"""/api/v1/voice/, included by waymark.api.urls in the "api" namespace."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from waymark.voice.api import views

router = SimpleRouter()
router.register("items", views.FeedbackItemViewSet, basename="voice-item")
router.register("issues", views.PublicIssueViewSet, basename="voice-issue")

urlpatterns = [
    path("timeliness/", views.TimelinessView.as_view(), name="voice-timeliness"),
    *router.urls,
]
