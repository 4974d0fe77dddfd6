from django.urls import path

from waymark.partnership.views import decisions

urlpatterns = [
    path("<uuid:uuid>/decisions/", decisions.decision_list, name="decision_list"),
    path("<uuid:uuid>/decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<uuid:uuid>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<uuid:uuid>/edit/", decisions.decision_edit, name="decision_edit"),
]
