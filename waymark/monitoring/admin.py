"""Monitoring reference data in the Django admin: groupings, mapping versions and local sub-categories.

Edits here are audited like any other (the history records the signed-in administrator). Imported figures
are not edited here: a wrong figure is corrected by importing the file again, which replaces that
provider, period and measures and keeps the batch history. Batches are listed read-only: deleting one
would take its figures with it. Data-sharing access and published snapshots are not here at all; they
change only through ``monitoring.services``.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waymark.monitoring.models import (
    AnalysisGroup,
    AnalysisGrouping,
    CodeMapping,
    CodeMappingSet,
    ImportBatch,
    LocalSubCategory,
)


class AnalysisGroupInline(admin.TabularInline):
    model = AnalysisGroup
    extra = 0


@admin.register(AnalysisGrouping)
class AnalysisGroupingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "is_default", "default_reference"]
    inlines = [AnalysisGroupInline]


class CodeMappingInline(admin.TabularInline):
    model = CodeMapping
    extra = 0
    autocomplete_fields = ["analysis_group"]
    raw_id_fields = ["ethnic_group"]


@admin.register(CodeMappingSet)
class CodeMappingSetAdmin(SimpleHistoryAdmin):
    list_display = ["grouping", "version", "effective_from"]
    list_filter = ["grouping"]
    inlines = [CodeMappingInline]


@admin.register(AnalysisGroup)
class AnalysisGroupAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "grouping"]
    search_fields = ["label", "code"]


@admin.register(LocalSubCategory)
class LocalSubCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "parent"]
    search_fields = ["code", "label"]
    raw_id_fields = ["parent"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "status", "provider", "period_start", "period_end", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "sha256"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
