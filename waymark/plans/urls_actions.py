"""Adding and editing actions, the lead's update, milestones, evidence, "My actions" and the list of actions."""

from django.urls import path

from waymark.plans.views import actions

urlpatterns = [
    path("actions/", actions.action_list, name="action_list"),
    path("actions/mine/", actions.my_actions, name="my_actions"),
    path("objectives/<uuid:uuid>/actions/new/", actions.action_create, name="action_create"),
    path("actions/<uuid:uuid>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<uuid:uuid>/update/", actions.action_update, name="action_update"),
    path("actions/<uuid:uuid>/milestones/new/", actions.milestone_create, name="milestone_create"),
    path("milestones/<uuid:uuid>/edit/", actions.milestone_edit, name="milestone_edit"),
    path("milestones/<uuid:uuid>/complete/", actions.milestone_complete, name="milestone_complete"),
    path("actions/<uuid:uuid>/evidence/new/", actions.evidence_create, name="evidence_create"),
    path("evidence/<uuid:uuid>/", actions.evidence_file, name="evidence_file"),
]
