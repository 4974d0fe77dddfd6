"""The directory in the Django admin: for administrators fixing records by hand. Everyday upkeep
uses the staff pages; saves here still keep the search index and map points current."""

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
from waymark.directory.services import refresh_location_points, refresh_search_index


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version"]
    search_fields = ["name"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


class HolidayExceptionInline(admin.TabularInline):
    model = HolidayException
    extra = 0


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    raw_id_fields = ["location"]


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "status", "published", "last_verified_on"]
    list_filter = ["status", "published", "volunteer_reliance"]
    search_fields = ["name", "alternate_name", "organisation__name"]
    raw_id_fields = ["organisation", "owner"]
    filter_horizontal = ["categories", "languages", "communities"]
    inlines = [ServiceAtLocationInline, ContactInline, ScheduleInline, HolidayExceptionInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        refresh_search_index([form.instance.pk])


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "postcode", "visibility", "ward"]
    list_filter = ["visibility"]
    search_fields = ["name", "postcode", "organisation__name"]
    raw_id_fields = ["organisation", "ward"]

    def save_model(self, request: HttpRequest, obj: Location, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        refresh_location_points([obj])


@admin.register(FundingSource)
class FundingSourceAdmin(SimpleHistoryAdmin):
    list_display = ["funder", "organisation", "service", "funding_type", "ends_on"]
    list_filter = ["funding_type"]
    search_fields = ["funder", "organisation__name"]
    raw_id_fields = ["organisation", "service"]
