"""The apply topic's parts of the staff pages (``core.panels``): the link to enter an application taken by phone,
video or on paper, and an application's files."""

from typing import Any

from django.http import HttpRequest

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.grants.models import Application, Programme


def _enter_link(request: HttpRequest | None, programme: Programme) -> dict[str, Any] | None:
    if request is None or not policy.can(request.user, "grant_application.manage"):
        return None
    return {"programme": programme}


def _enter_another(request: HttpRequest | None, application: Application) -> dict[str, Any] | None:
    return _enter_link(request, application.programme)


def _attachments(request: HttpRequest | None, application: Application) -> dict[str, Any] | None:
    if request is None:
        return None
    files = list(application.attachments.visible_to(request.user).order_by("uploaded_at"))
    return {"application": application, "attachments": files}


def register() -> None:
    register_panel("grants.programme_application_links", "grants/panels/apply_enter_link.html", _enter_link)
    register_panel("grants.application_actions", "grants/panels/apply_enter_another.html", _enter_another)
    register_panel("grants.application_attachments", "grants/panels/application_attachments.html", _attachments)
