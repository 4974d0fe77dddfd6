"""The Django admin, open to administrators only (decided by the policy module).

Accounts and role grants are written through ``accounts.services``, as from any page: audited under the
administrator's name and validated the same way. Neither is deleted here: a grant ends (``ends_on``), and a
person's account is erased from the personal data page, which keeps the row that their work points to.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waymark.accounts import services
from waymark.accounts.models import RoleGrant, User
from waymark.accounts.views import admin_sign_in
from waymark.core import policy


def _admin_site_permission(request: HttpRequest) -> bool:
    return request.user.is_active and policy.can(request.user, "django_admin.use")


admin.site.has_permission = _admin_site_permission  # type: ignore[method-assign]
admin.site.login = admin_sign_in  # type: ignore[method-assign,assignment]
admin.site.site_header = "Waymark administration"
admin.site.site_title = "Waymark administration"


def _actor(request: HttpRequest) -> User:
    """The administrator: only an active, signed-in administrator reaches the admin (``_admin_site_permission``)."""
    return request.user  # type: ignore[return-value]


def _save_grant(request: HttpRequest, grant: RoleGrant, user: User | None = None) -> RoleGrant:
    """A new grant through ``grant_role``, a changed one through ``change_role_grant``."""
    actor = _actor(request)
    if grant.pk is None:
        return services.grant_role(
            actor=actor,
            user=user or grant.user,
            role=grant.role,
            organisation=grant.organisation,
            starts_on=grant.starts_on,
            ends_on=grant.ends_on,
        )
    return services.change_role_grant(
        actor=actor,
        grant=grant,
        role=grant.role,
        organisation=grant.organisation,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
    )


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    can_delete = False
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "last_login"]
    search_fields = ["username", "full_name", "email"]
    list_filter = ["is_active"]
    fields = ["username", "full_name", "email", "phone", "is_active"]
    inlines = [RoleGrantInline]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        data = form.cleaned_data
        if change:
            services.change_account(
                actor=_actor(request),
                user=obj,
                username=data["username"],
                email=data["email"],
                full_name=data["full_name"],
                phone=data["phone"],
                is_active=data["is_active"],
            )
            return
        created = services.create_user(
            actor=_actor(request),
            username=data["username"],
            email=data["email"],
            full_name=data["full_name"],
            phone=data["phone"],
            is_active=data["is_active"],
        )
        obj.pk = created.pk

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        """Each new or changed grant through the services (an empty extra row has not changed), listed on the
        formset as ``formset.save()`` would, for the admin's change message."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for grant_form in formset.forms:
            if not grant_form.has_changed():
                continue
            is_new = grant_form.instance.pk is None
            grant = _save_grant(request, grant_form.instance, user=form.instance)
            if is_new:
                formset.new_objects.append(grant)
            else:
                formset.changed_objects.append((grant, grant_form.changed_data))


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organisation", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: ModelForm, change: bool) -> None:
        obj.pk = _save_grant(request, obj).pk

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """A grant has no many-to-many fields or inlines: ``save_model`` saved everything."""
