"""What partnership working shows on other apps' pages through ``core.panels``, registered from the app's
``ready()``: on a plan action's page, the consultations that feed it; on staff's pages of an issue and of a
feedback item, the consultations it was raised in; on an issue's public "You said, we did" page, those of
them on the public page. Only consultations the viewer sees, and nothing when there are none."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.partnership import reports


def action_context(request: HttpRequest | None, action: Any) -> Mapping[str, Any] | None:
    if request is None or action is None or not policy.can(request.user, "consultation.view"):
        return None
    consultations = reports.consultations_feeding(action, request.user)
    return {"consultations": consultations} if consultations else None


def issue_context(request: HttpRequest | None, issue: Any) -> Mapping[str, Any] | None:
    if request is None or issue is None or not policy.can(request.user, "consultation.view"):
        return None
    consultations = reports.consultations_raising(issue, request.user)
    return {"consultations": consultations} if consultations else None


def item_context(request: HttpRequest | None, item: Any) -> Mapping[str, Any] | None:
    if request is None or item is None or not policy.can(request.user, "consultation.view"):
        return None
    consultations = reports.consultations_hearing(item, request.user)
    return {"consultations": consultations} if consultations else None


def issue_public_context(request: HttpRequest | None, issue: Any) -> Mapping[str, Any] | None:
    """The public page's consultations only, never their contacts, whoever is looking."""
    consultations = reports.public_consultations_raising(issue) if issue is not None else []
    return {"consultations": consultations} if consultations else None


def register() -> None:
    register_panel("plans.action", "partnership/panels/action_consultations.html", action_context)
    register_panel("voice.issue_staff", "partnership/panels/issue_consultations.html", issue_context)
    register_panel("voice.issue_public", "partnership/panels/issue_public.html", issue_public_context)
    register_panel("voice.item_staff", "partnership/panels/item_consultations.html", item_context)
