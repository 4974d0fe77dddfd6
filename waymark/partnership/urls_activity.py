from django.urls import path

from waymark.partnership.views import activity

urlpatterns = [
    path("activity/", activity.activity_list, name="activity_list"),
    path("activity/new/", activity.activity_create, name="activity_create"),
    path("activity/download/", activity.activity_export, name="activity_export"),
    path("activity/<uuid:uuid>/edit/", activity.activity_edit, name="activity_edit"),
    path("activity/<uuid:uuid>/delete/", activity.activity_delete, name="activity_delete"),
    path("activity/workers/<int:user_id>/download/", activity.worker_activity_export, name="worker_activity_export"),
]
