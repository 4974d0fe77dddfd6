"""Open Referral UK exchange pages (under /directory/): import, and the HSDS downloads."""

from django.urls import path

from waymark.directory import views_hsds

urlpatterns = [
    path("manage/import/", views_hsds.hsds_import, name="hsds_import"),
    path("manage/import/<uuid:uuid>/", views_hsds.hsds_import_job, name="hsds_import_job"),
    path("export/hsds.json", views_hsds.hsds_export, name="hsds_export"),
    path("export/hsds-tabular.zip", views_hsds.hsds_export_package, name="hsds_export_package"),
]
