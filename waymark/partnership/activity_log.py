"""Reads of a worker's activity log: their entries, this quarter's totals, and the entries as a spreadsheet.
Every read starts from ``Activity.objects.visible_to(viewer)``, so an entry reaches only its worker and their
line manager; linked records are named only where the viewer sees them."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waymark.core.file_headers import records_header
from waymark.core.models import Community, Organisation
from waymark.core.spreadsheets import write_csv, write_xlsx
from waymark.directory.models import Service
from waymark.network.models import Event
from waymark.partnership.choices import ActivityType, CdwFunction
from waymark.partnership.models import Activity
from waymark.plans.models import Action
from waymark.voice.models import FeedbackItem, Issue

KINDS = ("csv", "xlsx")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter (January to March, April to June…), the period balances are read by."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        last_month = first_month + 2
        last_day = calendar.monthrange(day.year, last_month)[1]
        return cls(datetime.date(day.year, first_month, 1), datetime.date(day.year, last_month, last_day))

    def __str__(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "F"),
            "end": formats.date_format(self.end, "F Y"),
        }


@dataclass(frozen=True)
class QuarterTotals:
    quarter: Quarter
    hours: Decimal
    entries: int


def own_entries(user: Any) -> QuerySet[Activity]:
    """The user's own entries, newest first, with the communities the list shows."""
    return (
        Activity.objects.visible_to(user)
        .filter(worker_id=user.pk)
        .prefetch_related(Prefetch("communities", queryset=Community.objects.only("pk", "name")))
        .order_by("-date", "-pk")
    )


def quarter_totals(user: Any, today: datetime.date | None = None) -> QuarterTotals:
    """The hours and entries the user has logged in the quarter ``today`` falls in."""
    quarter = Quarter.of(today or timezone.localdate())
    totals = (
        Activity.objects.visible_to(user)
        .filter(worker_id=user.pk, date__range=(quarter.start, quarter.end))
        .aggregate(hours=Sum("hours"), entries=Count("pk"))
    )
    return QuarterTotals(quarter, totals["hours"] or Decimal(0), totals["entries"])


# --- Spreadsheets ------------------------------------------------------------------------------------------


def headings() -> list[str]:
    return [
        _("Date"),
        _("Hours"),
        _("Type"),
        *[str(function.label) for function in CdwFunction],
        _("Communities"),
        _("Organisations"),
        _("Venue"),
        _("Outcome"),
        _("Feedback items"),
        _("Issues"),
        _("Plan actions"),
        _("Directory services"),
        _("Network events"),
    ]


def entries_of(worker: Any, *, viewer: Any) -> QuerySet[Activity]:
    """A worker's entries as ``viewer`` sees them (none unless the viewer is the worker or their manager),
    oldest first, each link limited to the records the viewer sees."""

    def seen(model: Any, *only: str) -> QuerySet:
        rows = model.objects.visible_to(viewer)
        return rows.only("pk", *only) if only else rows

    return (
        Activity.objects.visible_to(viewer)
        .filter(worker_id=worker.pk)
        .order_by("date", "pk")
        .prefetch_related(
            Prefetch("communities", queryset=Community.objects.only("pk", "name")),
            Prefetch("organisations", queryset=Organisation.objects.only("pk", "name")),
            Prefetch("feedback_items", queryset=seen(FeedbackItem, "reference")),
            Prefetch("issues", queryset=seen(Issue, "title")),
            Prefetch("plan_actions", queryset=seen(Action, "code", "title")),
            Prefetch("services", queryset=seen(Service, "name")),
            Prefetch("events", queryset=seen(Event, "title")),
        )
    )


def _names(values: Any, attribute: str = "name") -> str:
    return "; ".join(str(getattr(value, attribute)) for value in values.all())


def entry_row(activity: Activity) -> list[Any]:
    return [
        activity.date,
        float(activity.hours),
        str(ActivityType(activity.activity_type).label),
        *[_("Yes") if getattr(activity, function.value) else _("No") for function in CdwFunction],
        _names(activity.communities),
        _names(activity.organisations),
        activity.venue,
        activity.outcome,
        _names(activity.feedback_items, "reference"),
        _names(activity.issues, "title"),
        "; ".join(f"{action.code} {action.title}" for action in activity.plan_actions.all()),
        _names(activity.services),
        _names(activity.events, "title"),
    ]


def write_file(worker: Any, *, viewer: Any, kind: str) -> tuple[bytes, int]:
    """The worker's entries as CSV (UTF-8 with a byte-order mark, so Excel reads accents) or XLSX, and how
    many rows it holds."""
    rows = [entry_row(activity) for activity in entries_of(worker, viewer=viewer)]
    name = worker.get_full_name() or worker.get_username()
    header = records_header(
        _("Activity log of %(worker)s") % {"worker": name},
        scope=name,
        grouping=_("One row per activity"),
        unsuppressed=True,  # a named worker's entries, linked to people's feedback: never for publication
    )
    if kind == "xlsx":
        about = [
            _("Activity log of %(worker)s") % {"worker": worker.get_full_name() or worker.get_username()},
            _("Downloaded on %(date)s.") % {"date": timezone.localdate().isoformat()},
            _("Hours serving several functions count equally towards each in balances."),
        ]
        return write_xlsx(_("Activity"), headings(), rows, about=about, header=header), len(rows)
    return ("\ufeff" + write_csv(headings(), rows, header=header)).encode(), len(rows)


def file_name(worker: Any, kind: str) -> str:
    return f"cdw-activity-{worker.pk}-{timezone.localdate().isoformat()}.{kind}"
