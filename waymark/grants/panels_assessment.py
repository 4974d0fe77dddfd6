"""What screening and assessment show on the grants officers' pages (``core.panels``), registered from the app's
``ready()``: on an application's page, its automatic flags and the screening decision, and its assessors'
seats with their declarations, weighted scores and the panel's decision; on a programme's page, the link to
moderation. Only for grants officers (the application pages are theirs), and only the seats the viewer sees:
an officer who declared a conflict never reaches the application at all."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.grants import scoring
from waymark.grants.choices import ApplicationStatus
from waymark.grants.models import Application, PanelDecision, Programme


def _officer(request: HttpRequest | None) -> bool:
    return request is not None and policy.can(request.user, "grant_application.view")


def screening_context(request: HttpRequest | None, application: Application) -> Mapping[str, Any] | None:
    if not _officer(request) or application.status == ApplicationStatus.DRAFT:
        return None
    assert request is not None
    return {
        "application": application,
        "can_screen": application.status == ApplicationStatus.SUBMITTED
        and policy.can(request.user, "grant_application.manage"),
    }


def assessment_context(request: HttpRequest | None, application: Application) -> Mapping[str, Any] | None:
    if not _officer(request):
        return None
    assert request is not None
    seats = list(
        scoring.seats_seen(request.user)
        .filter(application=application)
        .prefetch_related("declarations")
        .order_by("assigned_at")
    )
    in_assessment = application.status == ApplicationStatus.IN_ASSESSMENT
    panel = PanelDecision.objects.filter(application=application).select_related("recorded_by").first()
    if not seats and not in_assessment and panel is None:
        return None
    can_manage = policy.can(request.user, "grant_application.manage")
    return {
        "application": application,
        "spread": scoring.Spread(
            application=application, seats=[(seat, scoring.weighted_score(seat)) for seat in seats]
        ),
        "panel": panel,
        "panel_enabled": application.programme.panel_enabled,
        "can_assign": in_assessment and can_manage,
        "can_record_panel": in_assessment and can_manage and application.programme.panel_enabled,
    }


def moderation_link_context(request: HttpRequest | None, programme: Programme) -> Mapping[str, Any] | None:
    return {"programme": programme} if _officer(request) else None


def register() -> None:
    register_panel("grants.application_screening", "grants/panels/screening.html", screening_context)
    register_panel("grants.application_assessment", "grants/panels/assessment.html", assessment_context)
    register_panel("grants.programme_application_links", "grants/panels/moderation_link.html", moderation_link_context)
