"""Pages of the shared ground: home, site pages, organisations, jobs, personal data, the export log, health."""

from django.urls import path

from waymark.core import (
    views,
    views_export_log,
    views_jobs,
    views_lookups,
    views_organisations,
    views_personal_data,
)

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("pages/<slug:slug>/", views.site_page, name="page"),
    path("pages/<slug:slug>/edit/", views.site_page_edit, name="page_edit"),
    path("organisations/", views_organisations.organisation_list, name="organisation_list"),
    path("organisations/lookup/", views_lookups.organisation_lookup, name="organisation_lookup"),
    path("organisations/new/", views_organisations.organisation_create, name="organisation_create"),
    path("organisations/<uuid:uuid>/", views_organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:uuid>/edit/", views_organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:uuid>/history/", views_organisations.organisation_history, name="organisation_history"),
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/<uuid:uuid>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:uuid>/run-again/", views_jobs.job_run_again, name="job_run_again"),
    path("personal-data/", views_personal_data.personal_data_search, name="personal_data"),
    path("personal-data/export/", views_personal_data.personal_data_export, name="personal_data_export"),
    path("personal-data/erase/", views_personal_data.personal_data_erase, name="personal_data_erase"),
    path("export-log/", views_export_log.export_log, name="export_log"),
]
