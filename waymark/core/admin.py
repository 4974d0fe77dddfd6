"""Reference data that administrators look after in the Django admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from waymark.core.models import Area, Community, EthnicGroup, Language, Organisation, Sector, Theme


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_type", "postcode", "active"]
    list_filter = ["org_type", "active"]
    search_fields = ["name", "alternate_name", "ods_code"]


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
