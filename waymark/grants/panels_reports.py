"""Aftercare's part of other pages (``core.panels``): an application's reports, a programme's reports at a
glance, and an organisation's grants on core's organisation page, which cannot import grants."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.grants.choices import ApplicationStatus, ReportStatus
from waymark.grants.models import Application, GrantReport, Programme
from waymark.grants.reporting import report_counts

ORGANISATION_GRANTS_SHOWN = 20


def application_reports(request: HttpRequest | None, application: Application) -> dict[str, Any] | None:
    """The award's reports, with what is due and what came, for grants officers."""
    if request is None or not policy.can(request.user, "grant_application.view"):
        return None
    reports = list(
        GrantReport.objects.visible_to(request.user).filter(decision__application=application).order_by("due_on", "pk")
    )
    if not reports:
        return None
    today = timezone.localdate()
    return {
        "reports": [(report, report.status == ReportStatus.DUE and report.due_on < today) for report in reports],
        "can_record": policy.can(request.user, "grant_award.manage"),
    }


def programme_reports(request: HttpRequest | None, programme: Programme) -> dict[str, Any] | None:
    """How many of the programme's reports are due, overdue and done, with the link to the list."""
    if request is None or not policy.can(request.user, "grant_application.view"):
        return None
    return {"programme": programme, "counts": report_counts(programme, request.user, today=timezone.localdate())}


def organisation_grants(request: HttpRequest | None, organisation: Any) -> dict[str, Any] | None:
    """The organisation's applications and grants, newest first, for grants officers (each links to its page).
    Other users see its grants as funding sources on the directory's pages, where amounts are staff-only."""
    if request is None or not policy.can(request.user, "grant_application.view"):
        return None
    applications = (
        Application.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("programme", "decision")
        .order_by("-submitted_at", "-pk")
    )
    shown = list(applications[:ORGANISATION_GRANTS_SHOWN])
    if not shown:
        return None
    return {
        "rows": [(application, getattr(application, "decision", None)) for application in shown],
        "total": applications.count() if len(shown) == ORGANISATION_GRANTS_SHOWN else len(shown),
    }


def register() -> None:
    """Called from GrantsConfig.ready()."""
    register_panel("grants.application_reports", "grants/panels/application_reports.html", application_reports)
    register_panel("grants.programme_details", "grants/panels/programme_reports.html", programme_reports)
    register_panel("core.organisation", "grants/panels/organisation_grants.html", organisation_grants)
