"""Staff pages of the directory (under /directory/): upkeep, the review queue and the fragility radar."""

from django.urls import path

from waymark.directory import views_lookups, views_staff

urlpatterns = [
    path("manage/", views_staff.manage, name="manage"),
    path("manage/services/lookup/", views_lookups.service_lookup, name="service_lookup"),
    path("manage/services/new/", views_staff.service_create, name="service_create"),
    path("manage/services/<uuid:uuid>/", views_staff.service_staff_detail, name="service_staff_detail"),
    path("manage/services/<uuid:uuid>/edit/", views_staff.service_edit, name="service_edit"),
    path("manage/services/<uuid:uuid>/history/", views_staff.service_history, name="service_history"),
    path("manage/services/<uuid:uuid>/verify/", views_staff.service_verify, name="service_verify"),
    path("manage/review/", views_staff.review_queue, name="review_queue"),
    path("manage/locations/", views_staff.location_list, name="location_list"),
    path("manage/locations/new/", views_staff.location_create, name="location_create"),
    path("manage/locations/<uuid:uuid>/edit/", views_staff.location_edit, name="location_edit"),
    path("manage/organisations/<uuid:uuid>/funding/", views_staff.funding_list, name="funding_list"),
    path("manage/organisations/<uuid:uuid>/funding/new/", views_staff.funding_create, name="funding_create"),
    path("manage/funding/<uuid:uuid>/edit/", views_staff.funding_edit, name="funding_edit"),
    path("manage/funding/<uuid:uuid>/delete/", views_staff.funding_delete, name="funding_delete"),
    path("fragility/", views_staff.fragility_radar, name="fragility"),
]
