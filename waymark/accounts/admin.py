"""The Django admin, open to administrators only (decided by the policy module)."""

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waymark.accounts.models import RoleGrant, User
from waymark.accounts.views import admin_sign_in
from waymark.core import policy


def _admin_site_permission(request: HttpRequest) -> bool:
    return request.user.is_active and policy.can(request.user, "django_admin.use")


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.login = admin_sign_in  # type: ignore[method-assign,assignment]
admin.site.site_header = "Waymark administration"
admin.site.site_title = "Waymark administration"


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    list_filter = ["is_active"]
    fields = ["username", "full_name", "email", "phone", "is_active"]
    inlines = [RoleGrantInline]


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
