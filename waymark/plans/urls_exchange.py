"""A plan's actions as a spreadsheet: download, and upload, check and confirm an import."""

from django.urls import path

from waymark.plans.views import exchange

urlpatterns = [
    path("<uuid:uuid>/actions/export/", exchange.action_export, name="action_export"),
    path("<uuid:uuid>/actions/import/", exchange.action_import, name="action_import"),
    path("<uuid:uuid>/actions/import/check/", exchange.action_import_preview, name="action_import_preview"),
    path("<uuid:uuid>/actions/import/confirm/", exchange.action_import_confirm, name="action_import_confirm"),
]
