"""View helpers that ask the one policy module (``core.policy``)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from waymark.core import policy


def check_permission(request: HttpRequest, permission: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied unless the signed-in user holds ``permission`` (on ``obj``)."""
    if not policy.can(request.user, permission, obj):
        raise PermissionDenied


def require_permission(permission: str) -> Callable:
    """Decorator: anonymous visitors go to the sign-in page; signed-in users without the permission get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_permission(request, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
