"""Plans, their objectives and actions: the pages staff and leads work in."""

from django.urls import path

from waymark.plans.views import plans

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("<uuid:uuid>/", plans.plan_detail, name="plan_detail"),
    path("actions/<uuid:uuid>/", plans.action_detail, name="action_detail"),
]
