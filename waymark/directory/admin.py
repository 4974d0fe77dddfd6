"""The directory in the Django admin: for administrators looking records up. Services, their locations,
funding and needs (the search index quotes them) change only through ``directory.services`` (the staff pages,
the API, the HSDS import), which keep the index, the map points and the audit history right; here they are
read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waymark.directory.models import (
    Contact,
    FundingSource,
    HolidayException,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


class ReadOnly:
    """Shown, never added, changed or deleted here: these records are written through ``directory.services``."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version"]
    search_fields = ["name"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


class ContactInline(ReadOnly, admin.TabularInline):
    model = Contact
    extra = 0


class ScheduleInline(ReadOnly, admin.TabularInline):
    model = Schedule
    extra = 0


class HolidayExceptionInline(ReadOnly, admin.TabularInline):
    model = HolidayException
    extra = 0


class ServiceAtLocationInline(ReadOnly, admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    raw_id_fields = ["location"]


@admin.register(Service)
class ServiceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "status", "published", "last_verified_on"]
    list_filter = ["status", "published", "volunteer_reliance"]
    search_fields = ["name", "alternate_name", "organisation__name"]
    raw_id_fields = ["organisation", "owner"]
    inlines = [ServiceAtLocationInline, ContactInline, ScheduleInline, HolidayExceptionInline]


@admin.register(Location)
class LocationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "postcode", "visibility", "ward"]
    list_filter = ["visibility"]
    search_fields = ["name", "postcode", "organisation__name"]
    raw_id_fields = ["organisation", "ward"]


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["funder", "organisation", "service", "funding_type", "ends_on"]
    list_filter = ["funding_type"]
    search_fields = ["funder", "organisation__name"]
    raw_id_fields = ["organisation", "service"]
