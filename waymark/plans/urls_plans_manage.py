"""Running a plan: start, change, history, status moves, objectives and the meetings that reviewed it."""

from django.urls import path

from waymark.plans.views import plans_manage

urlpatterns = [
    path("new/", plans_manage.plan_create, name="plan_create"),
    path("<uuid:uuid>/edit/", plans_manage.plan_edit, name="plan_edit"),
    path("<uuid:uuid>/history/", plans_manage.plan_history, name="plan_history"),
    path("<uuid:uuid>/move/", plans_manage.plan_move, name="plan_move"),
    path("<uuid:uuid>/meetings/", plans_manage.plan_meetings, name="plan_meetings"),
    path("<uuid:uuid>/objectives/new/", plans_manage.objective_create, name="objective_create"),
    path("objectives/<uuid:uuid>/edit/", plans_manage.objective_edit, name="objective_edit"),
]
