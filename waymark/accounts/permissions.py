"""Accounts' part of the policy: where a user's roles come from, and who manages accounts and tokens."""

from typing import Any

from django.db.models import Model, QuerySet

from waymark.core import policy
from waymark.core.policy import Grant
from waymark.core.roles import SIGNED_IN, Role

PERMISSIONS = {
    "api_token.manage_own": frozenset({SIGNED_IN}),
    "django_admin.use": frozenset({Role.ADMIN}),
    # The people look-up behind the type-ahead pickers (a record's owner, an action's lead, a team's manager).
    "person.lookup": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
}


def current_grants(user: Any) -> list[Grant]:
    """The role grants in force today (start date reached, end date not passed); a superuser is an administrator."""
    from waymark.accounts.models import RoleGrant

    grants: list[Grant] = list(RoleGrant.objects.filter(user=user).current().values_list("role", "organisation_id"))
    if user.is_superuser:
        grants.append((Role.ADMIN, None))
    return grants


def own_token(user: Any, held: set[str], obj: Model) -> bool:
    """An API token is managed only by the person it belongs to."""
    if obj._meta.label != "accounts.ApiToken":
        return True
    return obj.user_id == user.pk  # type: ignore[attr-defined]


def own_rows(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """A person sees their own tokens and grants; administrators see every grant."""
    if queryset.model._meta.label == "accounts.RoleGrant" and Role.ADMIN in held:
        return queryset
    return queryset.filter(user=user) if SIGNED_IN in held else queryset.none()


def people_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Staff and administrators see everyone who holds a role today; a responder, the people of the
    organisations they answer for; anyone else, nobody. Accounts without a role in force are never offered."""
    from waymark.accounts.models import RoleGrant

    grants = RoleGrant.objects.current()
    if not held & {Role.STAFF, Role.ADMIN}:
        if Role.RESPONDER not in held:
            return queryset.none()
        grants = grants.filter(organisation_id__in=policy.organisation_ids(user, Role.RESPONDER))
    return queryset.filter(is_active=True, pk__in=grants.values("user_id"))


def register() -> None:
    policy.register_grant_source(current_grants)
    policy.declare_permissions("accounts", PERMISSIONS)
    policy.object_rule("api_token.manage_own")(own_token)
    policy.visibility_rule("accounts.ApiToken", "accounts.RoleGrant")(own_rows)
    policy.visibility_rule("accounts.User")(people_seen)
