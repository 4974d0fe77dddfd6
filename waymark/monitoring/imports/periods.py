"""Periods an import covers (months, quarters, financial years) and what an activity re-import
replaces: that provider's figures for the months of its period and the measures in its file."""

import datetime
from collections.abc import Callable

from django.utils.translation import gettext as _

from waymark.monitoring.choices import PeriodType
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
)


def period_start_of(period_type: str, day: datetime.date) -> datetime.date:
    if period_type == PeriodType.MONTH:
        return day.replace(day=1)
    if period_type == PeriodType.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return datetime.date(day.year - (day.month < 4), 4, 1)


def period_end_of(period_type: str, start: datetime.date) -> datetime.date:
    months = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.YEAR: 12}[PeriodType(period_type)]
    month_index = start.year * 12 + start.month - 1 + months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1) - datetime.timedelta(days=1)


def whole_periods(period_type: str, period_start: datetime.date, period_end: datetime.date) -> list[datetime.date]:
    """Starts of the periods of this type that lie wholly inside [period_start, period_end]."""
    starts = []
    start = period_start_of(period_type, period_start)
    while start <= period_end:
        if start >= period_start and period_end_of(period_type, start) <= period_end:
            starts.append(start)
        start = period_end_of(period_type, start) + datetime.timedelta(days=1)
    return starts


def touched_periods(period_type: str, period_start: datetime.date, period_end: datetime.date) -> list[datetime.date]:
    """Starts of the periods of this type that overlap [period_start, period_end]."""
    starts = []
    start = period_start_of(period_type, period_start)
    while start <= period_end:
        starts.append(start)
        start = period_end_of(period_type, start) + datetime.timedelta(days=1)
    return starts


def partial_periods_note(period_start: datetime.date, period_end: datetime.date) -> str:
    partial = [
        (period_type, start)
        for period_type in (PeriodType.QUARTER, PeriodType.YEAR)
        for start in touched_periods(period_type, period_start, period_end)
        if start not in whole_periods(period_type, period_start, period_end)
    ]
    if not partial:
        return ""
    names = ", ".join(f"{PeriodType(kind).label} from {start:%d %B %Y}" for kind, start in partial)
    return _(
        "The file covers only part of %(periods)s: distinct-people figures for those periods were not counted, "
        "and any earlier ones were removed because they included the months replaced."
    ) % {"periods": names}


def activity_scope(measures: list[str]) -> Callable[[ImportBatch], list[ImportBatch]]:
    """Delete this provider's figures for the period's months (and overlapping people roll-ups) and measures."""

    def replace(new: ImportBatch) -> list[ImportBatch]:
        assert new.period_start is not None and new.period_end is not None
        common = {"provider_id": new.provider_id, "measure__in": measures}
        months = {"period_start__gte": new.period_start, "period_start__lte": new.period_end}
        querysets = [
            ActivityCount.objects.filter(**common, **months),
            DataQualityFigure.objects.filter(**common, **months),
            PeopleCount.objects.filter(**common, period_type=PeriodType.MONTH, **months),
        ]
        for period_type in (PeriodType.QUARTER, PeriodType.YEAR):
            starts = touched_periods(period_type, new.period_start, new.period_end)
            querysets.append(PeopleCount.objects.filter(**common, period_type=period_type, period_start__in=starts))
        batch_ids: set[int] = set()
        for queryset in querysets:
            batch_ids.update(queryset.values_list("batch_id", flat=True).distinct())
            queryset.delete()  # nothing refers to count rows, so Django deletes them in one statement
        return list(ImportBatch.objects.filter(pk__in=batch_ids - {new.pk}))

    return replace
