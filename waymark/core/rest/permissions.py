"""The API asks the one policy module, like the pages do."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from waymark.core import policy

if TYPE_CHECKING:  # rest_framework.views imports this module while it loads its settings
    from rest_framework.views import APIView


WRITE_ACTIONS_BY_METHOD = {"post": ("create", "post"), "put": ("update", "put")}


def _permission_for(view: "APIView", request: Request) -> str | None:
    """The permission a view declares for this action; None means public."""
    declared: dict[str, str | None] | None = getattr(view, "policy_permissions", None)
    if declared is None:
        raise ImproperlyConfigured(f"{type(view).__name__} must declare policy_permissions.")
    method = (request.method or "get").lower()
    action = getattr(view, "action", None) or {"head": "get"}.get(method, method)
    if action in {"metadata", "options"}:
        # OPTIONS describes the endpoint to whoever may read it; DRF then re-checks POST and PUT
        # with the method swapped, to describe only the writes this user may make.
        candidates = WRITE_ACTIONS_BY_METHOD.get(method, ("list", "retrieve", "get"))
        action = next((name for name in candidates if name in declared), method)
    if action in declared:
        return declared[action]
    if hasattr(view, action):  # the view handles it but does not say who may
        raise ImproperlyConfigured(f"{type(view).__name__}.policy_permissions has no entry for '{action}'.")
    raise MethodNotAllowed(method.upper())


def _second_factor_satisfied(request: Request) -> bool:
    """A session counts for a staff-level account only once its second factor is verified.

    A token needs no such check: it can only be created in a session that passed it.
    """
    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return True
    user = request.user
    if not settings.SECOND_FACTOR_REQUIRED or not policy.needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class PolicyPermission(BasePermission):
    """Checks the permission each view declares in ``policy_permissions``, per action.

    For example ``{"list": None, "retrieve": None, "create": "organisation.add"}``: None is public.
    Hidden rows are the queryset's job (``visible_to``), so they give 404, not 403.
    """

    message = _("You do not have permission to do this.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        permission = _permission_for(view, request)
        if permission is None:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if not _second_factor_satisfied(request):
            self.message = _("Verify your sign-in with your second factor, or use an API token.")
            return False
        return policy.can(request.user, permission)

    def has_object_permission(self, request: Request, view: "APIView", obj: Any) -> bool:
        permission = _permission_for(view, request)
        return permission is None or policy.can(request.user, permission, obj)
