"""What reporting an award owes: the tier that applies to its size, and a programme's reports by whether they
are outstanding, late, received or skipped. Reads only; the writes are in ``services.reports``."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.grants.choices import ReportStatus
from waymark.grants.models import GrantReport, Programme, ReportingTier

# What a programme's reports page lists: outstanding by default, since that is what someone chases.
SHOW_OUTSTANDING = "outstanding"
SHOW_OVERDUE = "overdue"
SHOW_DONE = "done"
SHOW_ALL = "all"
SHOW_CHOICES = (
    (SHOW_OUTSTANDING, _("Due")),
    (SHOW_OVERDUE, _("Overdue")),
    (SHOW_DONE, _("Received or not needed")),
    (SHOW_ALL, _("All")),
)


def reporting_tier_for(programme: Programme, amount: Decimal) -> ReportingTier | None:
    """The smallest tier whose upper amount covers ``amount``; else the tier with no upper amount; else none
    (a programme that asks no reporting of grants this size)."""
    tiers = list(programme.reporting_tiers.all())
    bounded = sorted(
        ((tier.up_to_amount, tier) for tier in tiers if tier.up_to_amount is not None), key=lambda pair: pair[0]
    )
    for up_to, tier in bounded:
        if amount <= up_to:
            return tier
    return next((tier for tier in tiers if tier.up_to_amount is None), None)


def is_overdue(report: GrantReport, today: date) -> bool:
    return report.status == ReportStatus.DUE and report.due_on < today


def programme_reports(programme: Programme, user: Any, *, show: str, today: date) -> QuerySet[GrantReport]:
    """The programme's reports the user may see, soonest due first, narrowed to ``show``."""
    rows = (
        GrantReport.objects.visible_to(user)
        .filter(decision__application__programme=programme)
        .select_related("decision__application__organisation")
        .order_by("due_on", "pk")
    )
    if show == SHOW_OUTSTANDING:
        return rows.filter(status=ReportStatus.DUE)
    if show == SHOW_OVERDUE:
        return rows.filter(status=ReportStatus.DUE, due_on__lt=today)
    if show == SHOW_DONE:
        return rows.exclude(status=ReportStatus.DUE).order_by("-due_on", "pk")
    return rows


@dataclass(frozen=True)
class ReportCounts:
    due: int
    overdue: int
    done: int


def report_counts(programme: Programme, user: Any, *, today: date) -> ReportCounts:
    """How many of the programme's reports are due (of which overdue) and done, for its page."""
    rows = GrantReport.objects.visible_to(user).filter(decision__application__programme=programme)
    due = Q(status=ReportStatus.DUE)
    counts = rows.aggregate(
        due=Count("pk", filter=due),
        overdue=Count("pk", filter=due & Q(due_on__lt=today)),
        done=Count("pk", filter=~due),
    )
    return ReportCounts(**counts)
