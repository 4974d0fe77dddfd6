"""Staff pages of the directory (under /directory/): upkeep, the review queue and the fragility radar."""

from django.urls import path

from waymark.directory import views_feeds, views_lookups, views_staff

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
    path("manage/feeds/", views_feeds.feed_list, name="feed_list"),
    path("manage/feeds/new/", views_feeds.feed_create, name="feed_create"),
    path("manage/feeds/<uuid:uuid>/", views_feeds.feed_detail, name="feed_detail"),
    path("manage/feeds/<uuid:uuid>/edit/", views_feeds.feed_edit, name="feed_edit"),
    path("manage/feeds/<uuid:uuid>/read/", views_feeds.feed_read, name="feed_read"),
    path("manage/feeds/<uuid:uuid>/read/<uuid:job>/", views_feeds.feed_read_job, name="feed_read_job"),
    path("manage/feeds/<uuid:uuid>/records/", views_feeds.feed_records, name="feed_records"),
    path("manage/feeds/<uuid:uuid>/records/<int:pk>/", views_feeds.feed_record, name="feed_record"),
    path(
        "manage/feeds/<uuid:uuid>/records/<int:pk>/decide/", views_feeds.feed_record_decide, name="feed_record_decide"
    ),
    path("manage/feeds/<uuid:uuid>/duplicates/<int:pk>/decide/", views_feeds.duplicate_decide, name="duplicate_decide"),
]
