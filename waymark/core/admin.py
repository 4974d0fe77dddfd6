"""The shared ground in the Django admin.

Organisations are written through ``core.services``, as from their own pages: validated, audited under the
administrator's name, and never deleted (other apps' records point to them; an organisation closes with
``active``). The reference vocabularies have no services: administrators look after them here, audited by
simple-history, and the directory re-indexes the services that quote a changed language or community.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waymark.core import services
from waymark.core.models import Area, Community, EthnicGroup, Language, Organisation, Sector, Theme


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_type", "postcode", "active"]
    list_filter = ["org_type", "active"]
    search_fields = ["name", "alternate_name", "ods_code"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in services.ORGANISATION_FIELDS}
        if change:
            services.update_organisation(actor=request.user, organisation=obj, data=data)
        else:
            obj.pk = services.create_organisation(actor=request.user, data=data).pk

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """The sectors were saved with the rest by ``save_model``'s service, and an organisation has no inlines."""


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "area_type", "vintage", "parent"]
    list_filter = ["area_type", "vintage"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "best_fit_ward"]


@admin.register(Language)
class LanguageAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "native_name", "direction"]
    search_fields = ["name", "code", "native_name"]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "language"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["ethnic_groups"]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(EthnicGroup)
class EthnicGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "high_level_group", "code_set", "is_stated"]
    list_filter = ["code_set"]
