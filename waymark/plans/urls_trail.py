"""The trail from what communities said to what changed: issues answered, meeting actions raised, sources."""

from django.urls import path

from waymark.plans.views import trail

urlpatterns = [
    path("actions/<uuid:uuid>/issues/link/", trail.issue_link, name="issue_link"),
    path("actions/<uuid:uuid>/issues/<uuid:issue_uuid>/unlink/", trail.issue_unlink, name="issue_unlink"),
    path("meeting-actions/<uuid:uuid>/raise/", trail.raise_meeting_action, name="raise_meeting_action"),
    path("objectives/<uuid:uuid>/sources/", trail.objective_sources, name="objective_sources"),
]
