"""The one place that decides who may do what.

Pages, the API, the navigation and ``QuerySet.visible_to(user)`` all ask this
module; nothing else checks roles. A role counts only while its grant is in
force (start date reached, end date not passed). A Django superuser counts as
an administrator.
"""

from typing import Any

from django.db.models import Model, QuerySet

from waymark.accounts.choices import SECOND_FACTOR_ROLES, Role

EVERY_ROLE = frozenset(Role)
WORKING_ROLES = frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN})
SIGNED_IN = "signed_in"  # any authenticated user, whatever their grants

# Permission → the roles that hold it. Object-level refinements are in ``can``.
PERMISSIONS: dict[str, frozenset[str]] = {
    "organisation.view": WORKING_ROLES | {Role.MEMBER},
    "organisation.add": frozenset({Role.STAFF, Role.ADMIN}),
    "organisation.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "organisation.history": frozenset({Role.STAFF, Role.ADMIN}),
    "sitepage.change": frozenset({Role.ADMIN}),
    "job.view_all": frozenset({Role.ADMIN}),
    "job.start_demo": frozenset({Role.ADMIN}),
    "personal_data.manage": frozenset({Role.ADMIN}),
    "django_admin.use": frozenset({Role.ADMIN}),
    "api_token.manage_own": frozenset({SIGNED_IN}),
    # Directory: the public reads published services without signing in; these are the staff pages.
    "directory.view_staff": WORKING_ROLES,
    "service.add": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.history": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.import": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.review_queue": frozenset({Role.STAFF, Role.ADMIN}),
    "fragility.view": frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN}),
    "account.manage_own": frozenset({SIGNED_IN}),
}


def _grants(user: Any) -> list[tuple[str, int | None]]:
    """(role, organisation id) pairs in force today, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_waymark_grants", None)
    if cached is None:
        from waymark.accounts.models import RoleGrant

        cached = list(RoleGrant.objects.filter(user=user).current().values_list("role", "organisation_id"))
        if user.is_superuser:
            cached.append((Role.ADMIN, None))
        user._waymark_grants = cached
    return cached


def roles(user: Any) -> set[str]:
    """The roles a user holds today, plus ``signed_in`` for any authenticated user."""
    held = {role for role, _ in _grants(user)}
    if getattr(user, "is_authenticated", False):
        held.add(SIGNED_IN)
    return held


def has_role(user: Any, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def organisation_ids(user: Any, *wanted: str) -> set[int]:
    """Organisations for which the user holds any of the given roles."""
    return {org_id for role, org_id in _grants(user) if role in wanted and org_id is not None}


def needs_second_factor(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and (user.is_superuser or has_role(user, *SECOND_FACTOR_ROLES))


def can(user: Any, permission: str, obj: Model | None = None) -> bool:
    """Whether ``user`` holds ``permission``, on ``obj`` when one is given."""
    allowed = PERMISSIONS[permission]
    held = roles(user)
    if not held & allowed:
        return False
    if obj is None:
        return True
    model = obj._meta.label
    if permission == "organisation.change" and not held & {Role.STAFF, Role.ADMIN}:
        # A responder edits only the organisations they answer for.
        return obj.pk in organisation_ids(user, Role.RESPONDER)
    if permission in {"service.add", "service.change"} and not held & {Role.STAFF, Role.ADMIN}:
        # A responder keeps only their own organisation's services and locations up to date.
        return getattr(obj, "organisation_id", obj.pk) in organisation_ids(user, Role.RESPONDER)
    if model == "core.Job":
        return Role.ADMIN in held or obj.created_by_id == user.pk  # type: ignore[attr-defined]
    if model == "accounts.ApiToken":
        return obj.user_id == user.pk  # type: ignore[attr-defined]
    return True


def restrict(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    label = queryset.model._meta.label
    held = roles(user)
    if label in {"core.Area", "core.Postcode", "core.Language", "core.Community", "core.Theme", "core.EthnicCodeSet"}:
        return queryset  # reference data is public
    if label in {"directory.Taxonomy", "directory.TaxonomyTerm"}:
        return queryset
    if label == "directory.Service":
        if held & WORKING_ROLES:
            return queryset
        # The public, members and anyone signed in without a working role see published, running services.
        return queryset.filter(published=True, status__in=["active", "temporarily closed"])
    if label == "directory.Location":
        if held & WORKING_ROLES:
            return queryset
        # Locations of public services; callers still show only what each location's visibility allows.
        return queryset.filter(
            services__published=True, services__status__in=["active", "temporarily closed"]
        ).distinct()
    if label == "directory.FundingSource":
        return queryset if held & WORKING_ROLES else queryset.none()
    if label == "core.Organisation":
        if held & (WORKING_ROLES - {Role.RESPONDER}):
            return queryset
        if held & {Role.RESPONDER, Role.MEMBER}:
            return queryset.filter(active=True)
        return queryset.none()
    if label == "core.Job":
        if Role.ADMIN in held:
            return queryset
        return queryset.filter(created_by=user) if SIGNED_IN in held else queryset.none()
    if label in {"accounts.ApiToken", "accounts.RoleGrant"}:
        if label == "accounts.RoleGrant" and Role.ADMIN in held:
            return queryset
        return queryset.filter(user=user) if SIGNED_IN in held else queryset.none()
    raise LookupError(f"No visibility rule for {label}: add one to accounts.policy.restrict.")
