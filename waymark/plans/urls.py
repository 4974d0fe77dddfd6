"""The plans app's pages. Each topic keeps its routes in its own module."""

from django.urls import include, path

app_name = "plans"

urlpatterns = [
    path("", include("waymark.plans.urls_plans")),
    path("", include("waymark.plans.urls_grading")),
    path("", include("waymark.plans.urls_reports")),
    path("", include("waymark.plans.urls_actions")),
    path("", include("waymark.plans.urls_plans_manage")),
    path("", include("waymark.plans.urls_trail")),
    path("", include("waymark.plans.urls_indicators")),
    path("", include("waymark.plans.urls_exchange")),
]
