"""Indicators: attach a monitoring figure to an action or objective, and read its value against the target."""

from django.urls import path

from waymark.plans.views import indicators

urlpatterns = [
    path("actions/<uuid:uuid>/indicators/add/", indicators.indicator_attach_action, name="indicator_attach_action"),
    path(
        "objectives/<uuid:uuid>/indicators/add/",
        indicators.indicator_attach_objective,
        name="indicator_attach_objective",
    ),
    path("indicators/<uuid:uuid>/", indicators.indicator_detail, name="indicator_detail"),
    path("indicators/<uuid:uuid>/edit/", indicators.indicator_edit, name="indicator_edit"),
    path("indicators/<uuid:uuid>/remove/", indicators.indicator_remove, name="indicator_remove"),
]
