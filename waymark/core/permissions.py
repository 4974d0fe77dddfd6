"""Core's part of the policy (organisations, jobs, reference data, the administrators' tools), and the view
helpers that ask the policy (``core.policy``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from waymark.core import policy
from waymark.core.roles import SIGNED_IN, WORKING_ROLES, Role

PERMISSIONS = {
    "organisation.view": WORKING_ROLES | {Role.MEMBER},
    "organisation.add": frozenset({Role.STAFF, Role.ADMIN}),
    "organisation.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "organisation.history": frozenset({Role.STAFF, Role.ADMIN}),
    "sitepage.change": frozenset({Role.ADMIN}),
    "job.view_all": frozenset({Role.ADMIN}),
    "personal_data.manage": frozenset({Role.ADMIN}),
    "export_log.view": frozenset({Role.ADMIN}),
}

REFERENCE_DATA = ("core.Area", "core.Postcode", "core.Language", "core.Community", "core.Theme", "core.EthnicCodeSet")


def responder_changes_own_organisations(user: Any, held: set[str], obj: Model) -> bool:
    """A responder edits only the organisations they answer for."""
    return bool(held & {Role.STAFF, Role.ADMIN}) or obj.pk in policy.organisation_ids(user, Role.RESPONDER)


def everyone_sees(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Reference data is public."""
    return queryset


def organisations_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if held & (WORKING_ROLES - {Role.RESPONDER}):
        return queryset
    if held & {Role.RESPONDER, Role.MEMBER}:
        return queryset.filter(active=True)
    return queryset.none()


def jobs_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if Role.ADMIN in held:
        return queryset
    return queryset.filter(created_by=user) if SIGNED_IN in held else queryset.none()


def export_log_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    return queryset if Role.ADMIN in held else queryset.none()


def register() -> None:
    policy.declare_permissions("core", PERMISSIONS)
    policy.object_rule("organisation.change")(responder_changes_own_organisations)
    policy.visibility_rule(*REFERENCE_DATA)(everyone_sees)
    policy.visibility_rule("core.Organisation")(organisations_seen)
    policy.visibility_rule("core.Job")(jobs_seen)
    policy.visibility_rule("core.ExportLog")(export_log_seen)


# --- View helpers -----------------------------------------------------------------------------------------

_named_by_views: dict[str, set[str]] = {}  # permission -> the views that require it


def permissions_named_by_views() -> dict[str, set[str]]:
    """Every permission a ``require_permission`` decorator was given, and the views it decorates."""
    return {name: set(views) for name, views in _named_by_views.items()}


def check_permission(request: HttpRequest, permission: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied unless the signed-in user holds ``permission`` (on ``obj``)."""
    if not policy.can(request.user, permission, obj):
        raise PermissionDenied


def require_permission(permission: str) -> Callable:
    """Decorator: anonymous visitors go to the sign-in page; signed-in users without the permission get 403.

    It notes the permission it was given, for the start-up check that some app declares it.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        where = f"{view.__module__}.{getattr(view, '__qualname__', type(view).__qualname__)}"
        _named_by_views.setdefault(permission, set()).add(where)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_permission(request, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
