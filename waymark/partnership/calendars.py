"""Reads behind the calendar pages: a month as a grid of days, and the list grouped by community or by theme,
each consultation with its clashes. Clashes are found once per page (``clashes.clashes_among``), never per row.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from waymark.core.models import Community, Theme
from waymark.partnership.clashes import Clash, clashes_among
from waymark.partnership.models import Consultation

# A day's cell lists this many consultations, then "and N more", which leads to that day on the list.
DAY_CELL_LIMIT = 3

GROUPINGS = ("community", "theme")


def with_particulars(rows: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """What a calendar row shows and clash detection reads: the lead body, communities and themes."""
    return rows.select_related("lead_organisation").prefetch_related(
        Prefetch("communities", queryset=Community.objects.only("pk", "name")),
        Prefetch("themes", queryset=Theme.objects.only("pk", "name", "parent_id")),
    )


def _prefetch_particulars(consultations: Sequence[Consultation]) -> None:
    prefetch_related_objects(
        list(consultations),
        Prefetch("communities", queryset=Community.objects.only("pk", "name")),
        Prefetch("themes", queryset=Theme.objects.only("pk", "name", "parent_id")),
    )


@dataclass(frozen=True)
class Listed:
    """A consultation on a calendar page, with the consultations it may clash with."""

    consultation: Consultation
    clashes: list[Clash] = field(default_factory=list)


def listed(consultations: Iterable[Consultation]) -> list[Listed]:
    """The consultations (communities and themes prefetched) each with its clashes, in one clash search."""
    consultations = list(consultations)
    found = clashes_among(consultations)
    return [Listed(consultation, found.get(consultation.pk, [])) for consultation in consultations]


# The list grouped: one line per consultation and community (or theme), so a consultation asking two
# communities sits under both. Paginated by these lines, so a crowded group runs on to the next page.


@dataclass(frozen=True)
class GroupedLine:
    group: Community | Theme
    listed: Listed


def grouped_lines(rows: QuerySet[Consultation], group: str, *, only: Iterable[int] = ()) -> QuerySet:
    """The (group, consultation) lines of ``rows`` in group order: a query to paginate. ``only`` keeps the
    groups a filter asked for (a community filter shows that community's group alone)."""
    lines: QuerySet
    if group == "community":
        lines = Consultation.communities.through.objects.select_related("community").order_by(
            "community__name", "consultation__starts_on", "consultation__pk"
        )
        group_field = "community_id"
    else:
        lines = Consultation.themes.through.objects.select_related("theme__parent").order_by(
            "theme__name", "theme__pk", "consultation__starts_on", "consultation__pk"
        )
        group_field = "theme_id"
    lines = lines.filter(consultation__in=rows.values("pk")).select_related("consultation__lead_organisation")
    only = list(only)
    if only:
        lines = lines.filter(**{f"{group_field}__in": only})
    return lines


def grouped_page_lines(lines: Iterable, group: str) -> list[GroupedLine]:
    """A page of ``grouped_lines``, each with its consultation's clashes, found once for the page."""
    lines = list(lines)
    consultations = [line.consultation for line in lines]
    _prefetch_particulars(consultations)
    found = clashes_among(consultations)
    return [
        GroupedLine(
            group=line.community if group == "community" else line.theme,
            listed=Listed(line.consultation, found.get(line.consultation.pk, [])),
        )
        for line in lines
    ]


# The month grid.


@dataclass
class Day:
    date: datetime.date
    shown: list[Listed] = field(default_factory=list)
    more: int = 0


@dataclass
class Month:
    first: datetime.date
    weeks: list[list[Day | None]]
    previous: datetime.date | None
    next: datetime.date | None
    count: int  # consultations running at some time in the month


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _neighbour(first: datetime.date, step: int) -> datetime.date | None:
    year, month = divmod(first.year * 12 + first.month - 1 + step, 12)
    month += 1
    return datetime.date(year, month, 1) if datetime.MINYEAR <= year <= datetime.MAXYEAR else None


@dataclass(frozen=True)
class MonthFrame:
    """A month's place among the others, known without reading a consultation."""

    first: datetime.date
    previous: datetime.date | None
    next: datetime.date | None


def month_frame(first: datetime.date) -> MonthFrame:
    return MonthFrame(first, _neighbour(first, -1), _neighbour(first, 1))


def month_grid(rows: QuerySet[Consultation], year: int, month: int) -> Month:
    """The weeks of a month (Monday first), each day with the consultations running on it: the first few in
    full, with their clashes, and how many more. Reads the month's dates alone first, then the particulars of
    the consultations shown, so a crowded month costs a handful of queries."""
    first, last = _month_bounds(year, month)
    running = list(
        rows.filter(starts_on__lte=last, ends_on__gte=first)
        .order_by("starts_on", "title", "pk")
        .values_list("pk", "starts_on", "ends_on")
    )
    on_day: dict[datetime.date, list[int]] = defaultdict(list)
    for pk, starts_on, ends_on in running:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            on_day[day].append(pk)
            day += datetime.timedelta(days=1)
    shown_ids = {pk for pks in on_day.values() for pk in pks[:DAY_CELL_LIMIT]}
    shown = listed(with_particulars(Consultation.objects.filter(pk__in=shown_ids)).order_by("starts_on", "pk"))
    by_pk = {item.consultation.pk: item for item in shown}
    weeks: list[list[Day | None]] = []
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month):
        days: list[Day | None] = []
        for date in week:
            if date.month != month:
                days.append(None)
                continue
            pks = on_day.get(date, [])
            days.append(Day(date, [by_pk[pk] for pk in pks[:DAY_CELL_LIMIT]], max(0, len(pks) - DAY_CELL_LIMIT)))
        weeks.append(days)
    return Month(first, weeks, _neighbour(first, -1), _neighbour(first, 1), len(running))
