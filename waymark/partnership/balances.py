"""A community development worker's balance across the four functions of the role, per quarter.

The role is to be developed "in the round": a worker drifting into casework (access facilitation alone) or
a team neglecting one function should see it. Two rules, both per quarter:

- **Shared hours.** An activity that served several functions counts its hours equally towards each:
  three hours that were both change-agent and capacity-building work are 1.5 hours of each. The hours of a
  quarter therefore add up to the hours worked, whatever the mix.
- **The warning.** A quarter with hours warns when one function takes *more than*
  ``settings.CDW_FUNCTION_SHARE_WARNING`` per cent of them (exactly the share does not warn), and when a
  function has no hours at all in it.

Quarters start in January, April, July and October, as monitoring's do. A team's balance adds up its
current workers' hours (a worker in two teams counts in both): it is read as sums grouped in the database,
so it never holds, and a page built from it never shows, anyone's individual entries.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from waymark.partnership.choices import CdwFunction
from waymark.partnership.models import Activity, CdwTeam

FUNCTIONS = tuple(CdwFunction)
HUNDRED = Decimal(100)


def quarter_start(day: datetime.date) -> datetime.date:
    """The first day of the quarter ``day`` falls in."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: datetime.date) -> datetime.date:
    """The last day of the quarter starting on ``start``."""
    following = datetime.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def quarter_label(start: datetime.date) -> str:
    """ "April to June 2026": plain words rather than Q1 or Q2, which mean different months to different readers."""
    end = quarter_end(start)
    return _("%(first)s to %(last)s %(year)s") % {
        "first": format_date(start, "F"),
        "last": format_date(end, "F"),
        "year": start.year,
    }


def shown(hours: Decimal) -> str:
    """Hours as people write them: 7.5, 10, 1.33 (to the hundredth, without trailing noughts)."""
    rounded = hours.quantize(Decimal("0.01"))
    return f"{rounded:f}".rstrip("0").rstrip(".") if "." in f"{rounded:f}" else f"{rounded:f}"


@dataclass(frozen=True)
class FunctionHours:
    function: CdwFunction
    hours: Decimal
    share: Decimal  # per cent of the quarter's hours, unrounded

    @property
    def label(self) -> str:
        return str(self.function.label)

    @property
    def hours_shown(self) -> str:
        return shown(self.hours)


@dataclass(frozen=True)
class QuarterBalance:
    """One quarter's hours per function, in CdwFunction's order, and what is out of balance in it."""

    start: datetime.date
    functions: tuple[FunctionHours, ...]
    total: Decimal
    warnings: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return quarter_label(self.start)

    @property
    def total_shown(self) -> str:
        return shown(self.total)

    @property
    def end(self) -> datetime.date:
        return quarter_end(self.start)

    @property
    def is_current(self) -> bool:
        return self.start == quarter_start(timezone.localdate())


def _warnings(functions: Iterable[FunctionHours], limit: Decimal) -> tuple[str, ...]:
    said = []
    for item in functions:
        if item.share > limit:
            said.append(
                _("%(function)s took %(share)s%% of the hours, more than %(limit)s%%.")
                % {"function": item.label, "share": round(item.share), "limit": limit}
            )
    for item in functions:
        if not item.hours:
            said.append(_("No hours as %(function)s.") % {"function": item.label.lower()})
    return tuple(said)


def _balances(activities: Iterable[dict]) -> list[QuarterBalance]:
    """Quarters, newest first, from rows of (quarter, the four function flags, summed hours)."""
    hours: dict[datetime.date, dict[CdwFunction, Decimal]] = {}
    totals: dict[datetime.date, Decimal] = {}
    for row in activities:
        served = [function for function in FUNCTIONS if row[function.value]]
        if not served:  # the model refuses such rows; an old one counts nowhere rather than failing the page
            continue
        quarter = hours.setdefault(row["quarter"], dict.fromkeys(FUNCTIONS, Decimal(0)))
        worked = Decimal(row["hours"])
        totals[row["quarter"]] = totals.get(row["quarter"], Decimal(0)) + worked
        for function in served:
            quarter[function] += worked / len(served)
    limit = Decimal(settings.CDW_FUNCTION_SHARE_WARNING)
    balances = []
    for start, by_function in sorted(hours.items(), reverse=True):
        total = totals[start]  # added up from the hours worked, so that shared thirds cannot round it off
        functions = tuple(
            FunctionHours(
                function, by_function[function], by_function[function] * HUNDRED / total if total else Decimal(0)
            )
            for function in FUNCTIONS
        )
        balances.append(QuarterBalance(start, functions, total, _warnings(functions, limit) if total else ()))
    return balances


def _grouped(activities: QuerySet[Activity]) -> list[dict]:
    """Sum hours per quarter and mix of functions in the database: at most fifteen rows a quarter."""
    flags = [function.value for function in FUNCTIONS]
    rows = (
        activities.annotate(quarter=TruncQuarter("date"))
        .values("quarter", *flags)
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return [{**row, "quarter": _as_date(row["quarter"])} for row in rows]


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def worker_balance(worker: Any) -> list[QuarterBalance]:
    """The quarters in which ``worker`` recorded activity, newest first."""
    return _balances(_grouped(Activity.objects.filter(worker=worker)))


def team_balance(team: CdwTeam) -> list[QuarterBalance]:
    """The team's quarters, newest first: its current workers' hours added together."""
    workers = team.workers.values("pk")
    return _balances(_grouped(Activity.objects.filter(worker__in=workers)))


def line_manages(manager: object, worker: object) -> bool:
    """Whether ``manager`` is the line manager of a team ``worker`` belongs to."""
    manager_id = getattr(manager, "pk", None)
    worker_id = getattr(worker, "pk", None)
    if manager_id is None or worker_id is None:
        return False
    return CdwTeam.objects.filter(manager_id=manager_id, workers=worker_id).exists()
