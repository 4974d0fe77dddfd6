"""What an indicator shows: its latest value with a 95% interval, its trend, where the interval lies against the
target, a suggested RAG and the "complete but not moved" flag.

Every figure comes from monitoring's own functions, never a copy: live values from
``monitoring.dashboards.provider_dashboard`` (unsuppressed only for the viewers monitoring allows,
``shows_unsuppressed``; disclosure-controlled for everyone else), public values from the latest published
snapshots (``monitoring.dashboards.snapshot_tables``) and nothing else. Reports, the evidence pack, the API and
the demo call the functions here; this module never imports the services.

A page showing many indicators passes one ``DashboardMemo``, so each (provider, area, year, grouping, reference,
disclosure) dashboard is computed once per request however many indicators read it.

The suggested RAG (``SUGGESTED_RAG_RULE``, printed on every page that shows it) is:

- green when the latest value's 95% interval lies entirely on the good side of the target;
- red when it lies entirely on the wrong side and the value is not improving (its interval does not lie
  entirely on the good side of the baseline year's interval);
- amber otherwise: the interval straddles the target, or the value is off target but improving;
- no suggestion when there is no value (no figures, or a suppressed count).

It is shown beside the lead's own rating and never replaces it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from waymark.core.models import Area, Organisation
from waymark.monitoring import dashboards
from waymark.monitoring.indicators import GroupRow, IndicatorTable, Interval
from waymark.monitoring.models import AnalysisGrouping, PublishedSnapshot
from waymark.plans.choices import ActionStatus, Direction, Rag, Statistic
from waymark.plans.models import Indicator

SUGGESTED_RAG_RULE = _(
    "Waymark suggests a rating from the indicator: green when the latest value's 95% interval lies entirely on "
    "the good side of the target; red when it lies entirely on the wrong side and the value is not improving "
    "(its interval is not entirely better than the baseline year's); amber otherwise, when the interval straddles "
    "the target or the value is off target but improving. There is no suggestion without a value. The "
    "suggestion sits beside the lead's own rating and never replaces it."
)
UNMOVED_RULE = _(
    "An action marked complete is flagged when its indicator has not moved: the latest value's 95% interval "
    "overlaps the baseline year's."
)


class TargetPosition(models.TextChoices):
    """Where a value's interval lies against its target."""

    GOOD = "good", _("Clear of the target on the good side")
    BAD = "bad", _("Clear of the target on the wrong side")
    STRADDLES = "straddles", _("The interval straddles the target")
    NO_VALUE = "", _("No value")


@dataclass(frozen=True)
class YearValue:
    """One financial year's figure for the indicator's cell."""

    year: int
    value: Interval
    count: int | None
    suppressed: bool

    @property
    def label(self) -> str:
        return dashboards.financial_year_label(self.year)

    @property
    def has_value(self) -> bool:
        return self.value.value is not None


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator as one viewer sees it. ``trend`` is oldest first; ``latest`` is its newest year."""

    indicator: Indicator
    protected: bool
    published: bool
    trend: list[YearValue]
    position: str = TargetPosition.NO_VALUE
    improving: bool = False
    suggested_rag: str = Rag.NOT_RATED
    unmoved_complete: bool = False
    snapshot: PublishedSnapshot | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> YearValue | None:
        return self.trend[-1] if self.trend else None

    @property
    def baseline(self) -> YearValue | None:
        return next((row for row in self.trend if row.year == self.indicator.baseline_year), None)

    @property
    def has_value(self) -> bool:
        return self.latest is not None and self.latest.has_value

    @property
    def places(self) -> int:
        """Decimal places to show: ratios to two, rates per 100,000 to one."""
        return 1 if self.indicator.statistic == Statistic.RATE else 2

    @property
    def off_target(self) -> bool:
        return self.position == TargetPosition.BAD

    @property
    def position_label(self) -> str:
        return str(TargetPosition(self.position).label)

    @property
    def suggested_rag_label(self) -> str:
        return str(Rag(self.suggested_rag).label) if self.suggested_rag else str(_("No suggestion"))


class DashboardMemo:
    """Dashboards, years, disclosure decisions and snapshots already worked out in this request."""

    def __init__(self) -> None:
        self._dashboards: dict[tuple[int, int, int, int, str, bool], dashboards.Dashboard] = {}
        self._years: dict[int, list[int]] = {}
        self._unsuppressed: dict[tuple[int, int], bool] = {}
        self._snapshots: dict[tuple[int, int], list[PublishedSnapshot]] = {}
        self._grouping_labels: dict[int, str] = {}
        self._tables: dict[int, list[IndicatorTable]] = {}
        self.computed = 0  # dashboards built, for the tests and the bench

    def dashboard(
        self,
        *,
        provider: Organisation,
        area: Area,
        year: int,
        grouping: AnalysisGrouping,
        reference_group: str,
        protected: bool,
    ) -> dashboards.Dashboard:
        key = (provider.pk, area.pk, year, grouping.pk, reference_group, protected)
        if key not in self._dashboards:
            self.computed += 1
            self._dashboards[key] = dashboards.provider_dashboard(
                provider=provider,
                area=area,
                year=year,
                protected=protected,
                grouping=grouping,
                reference_group=reference_group,
            )
        return self._dashboards[key]

    def years(self, provider: Organisation) -> list[int]:
        if provider.pk not in self._years:
            self._years[provider.pk] = dashboards.years_for(provider)
        return self._years[provider.pk]

    def unsuppressed(self, viewer: Any, provider: Organisation) -> bool:
        key = (getattr(viewer, "pk", None) or 0, provider.pk)
        if key not in self._unsuppressed:
            self._unsuppressed[key] = dashboards.shows_unsuppressed(viewer, provider)
        return self._unsuppressed[key]

    def snapshots(self, provider: Organisation, area: Area) -> list[PublishedSnapshot]:
        """The provider's published snapshots for the area, newest period first and, within a period, the
        latest publication first (a correction is a new snapshot)."""
        key = (provider.pk, area.pk)
        if key not in self._snapshots:
            self._snapshots[key] = list(
                PublishedSnapshot.objects.filter(provider=provider, area=area).order_by(
                    "-period_start", "-published_on", "-created_at"
                )
            )
        return self._snapshots[key]

    def tables(self, snapshot: PublishedSnapshot) -> list[IndicatorTable]:
        if snapshot.pk not in self._tables:
            self._tables[snapshot.pk] = dashboards.snapshot_tables(snapshot)
        return self._tables[snapshot.pk]

    def grouping_label(self, grouping: AnalysisGrouping) -> str:
        if grouping.pk not in self._grouping_labels:
            self._grouping_labels[grouping.pk] = dashboards.grouping_label(grouping)
        return self._grouping_labels[grouping.pk]


def _bounds(interval: Interval) -> tuple[float, float]:
    """The interval's ends; a missing end is unbounded, so it never looks clear of anything."""
    lower = interval.lower if interval.lower is not None else -math.inf
    upper = interval.upper if interval.upper is not None else math.inf
    return lower, upper


def target_position(interval: Interval, target: float, direction: str) -> str:
    """Whether the interval lies entirely on the good side of the target, entirely on the wrong side, or
    straddles it. "At most" counts a bound equal to the target as good, and so does "at least"."""
    if interval.value is None:
        return TargetPosition.NO_VALUE
    lower, upper = _bounds(interval)
    if direction == Direction.AT_LEAST:
        good, bad = lower >= target, upper < target
    else:
        good, bad = upper <= target, lower > target
    return TargetPosition.GOOD if good else TargetPosition.BAD if bad else TargetPosition.STRADDLES


def has_moved(latest: Interval, baseline: Interval) -> bool:
    """True when the two intervals do not overlap (a change chance alone would rarely give)."""
    latest_lower, latest_upper = _bounds(latest)
    baseline_lower, baseline_upper = _bounds(baseline)
    return latest_upper < baseline_lower or latest_lower > baseline_upper


def is_improving(latest: YearValue | None, baseline: YearValue | None, direction: str) -> bool:
    """The latest interval lies entirely on the good side of the baseline year's, in a later year."""
    if latest is None or baseline is None or not latest.has_value or not baseline.has_value:
        return False
    if latest.year <= baseline.year:
        return False
    latest_lower, latest_upper = _bounds(latest.value)
    baseline_lower, baseline_upper = _bounds(baseline.value)
    if direction == Direction.AT_LEAST:
        return latest_lower > baseline_upper
    return latest_upper < baseline_lower


def suggest_rag(position: str, improving: bool) -> str:
    """The rule in ``SUGGESTED_RAG_RULE``."""
    if position == TargetPosition.NO_VALUE:
        return Rag.NOT_RATED
    if position == TargetPosition.GOOD:
        return Rag.GREEN
    if position == TargetPosition.BAD and not improving:
        return Rag.RED
    return Rag.AMBER


def _row(table: IndicatorTable | None, group: str) -> GroupRow | None:
    if table is None:
        return None
    return next((row for row in table.rows if row.group == group), None)


def _year_value(year: int, table: IndicatorTable | None, indicator: Indicator) -> YearValue:
    row = _row(table, indicator.group)
    if row is None:
        return YearValue(year, Interval.missing(str(_("Not in these figures"))), None, False)
    interval: Interval = getattr(row, indicator.statistic or Statistic.RATIO_TO_REFERENCE)
    return YearValue(year, interval, row.count, row.suppressed)


def _table(tables: Iterable[IndicatorTable], measure: str) -> IndicatorTable | None:
    return next((table for table in tables if table.measure == measure), None)


def _assess(
    indicator: Indicator,
    trend: list[YearValue],
    *,
    protected: bool,
    published: bool,
    snapshot: PublishedSnapshot | None = None,
    notes: list[str] | None = None,
) -> IndicatorValue:
    latest = trend[-1] if trend else None
    baseline = next((row for row in trend if row.year == indicator.baseline_year), None)
    position = (
        target_position(latest.value, indicator.target, indicator.direction) if latest else TargetPosition.NO_VALUE
    )
    improving = is_improving(latest, baseline, indicator.direction)
    action = indicator.action if indicator.action_id else None
    unmoved = bool(
        action is not None
        and action.status == ActionStatus.COMPLETE
        and latest is not None
        and baseline is not None
        and latest.has_value
        and baseline.has_value
        and not has_moved(latest.value, baseline.value)
    )
    return IndicatorValue(
        indicator=indicator,
        protected=protected,
        published=published,
        trend=trend,
        position=position,
        improving=improving,
        suggested_rag=suggest_rag(position, improving),
        unmoved_complete=unmoved,
        snapshot=snapshot,
        notes=notes or [],
    )


def indicator_value(indicator: Indicator, viewer: Any, *, memo: DashboardMemo | None = None) -> IndicatorValue:
    """The indicator as ``viewer`` may see it, computed live by the dashboard's own function: unsuppressed for
    the viewers monitoring allows for this provider, disclosure-controlled for everyone else."""
    memo = memo or DashboardMemo()
    provider = indicator.provider
    protected = not memo.unsuppressed(viewer, provider)
    trend = []
    notes: list[str] = []
    for year in sorted(memo.years(provider)):
        dashboard = memo.dashboard(
            provider=provider,
            area=indicator.area,
            year=year,
            grouping=indicator.grouping,
            reference_group=indicator.reference_group,
            protected=protected,
        )
        table = _table(dashboard.tables, indicator.measure)
        trend.append(_year_value(year, table, indicator))
        if table is not None:
            notes = table.notes
    return _assess(indicator, trend, protected=protected, published=False, notes=notes)


def indicator_values(
    indicators: Iterable[Indicator], viewer: Any, *, memo: DashboardMemo | None = None
) -> list[IndicatorValue]:
    """``indicator_value`` for each, sharing one memo. Select ``provider``, ``area``, ``grouping`` and
    ``action`` with the indicators to avoid a query each."""
    memo = memo or DashboardMemo()
    return [indicator_value(indicator, viewer, memo=memo) for indicator in indicators]


def _matches(snapshot: PublishedSnapshot, table: IndicatorTable, indicator: Indicator, grouping_label: str) -> bool:
    """A snapshot table answers the indicator when it is the same measure in the same grouping (any mapping
    version of it) and, for a ratio to the reference, against the same reference group."""
    same_grouping = snapshot.grouping_name in (grouping_label, indicator.grouping.name) or (
        snapshot.grouping_name.startswith(f"{indicator.grouping.name}, ")
    )
    same_reference = (
        indicator.statistic != Statistic.RATIO_TO_REFERENCE or table.reference_group == indicator.reference_group
    )
    return same_grouping and same_reference and table.measure == indicator.measure


def public_indicator_value(indicator: Indicator, *, memo: DashboardMemo | None = None) -> IndicatorValue | None:
    """The indicator from published snapshots only (the provider's, for the indicator's area): each year's value
    from that period's latest publication, the latest value from the newest. None when nothing is published."""
    memo = memo or DashboardMemo()
    grouping_label = memo.grouping_label(indicator.grouping)
    by_year: dict[int, tuple[YearValue, PublishedSnapshot, list[str]]] = {}
    for snapshot in memo.snapshots(indicator.provider, indicator.area):
        year = snapshot.period_start.year if snapshot.period_start.month >= 4 else snapshot.period_start.year - 1
        if year in by_year:
            continue  # an older publication for a period already answered
        for table in memo.tables(snapshot):
            if _matches(snapshot, table, indicator, grouping_label):
                by_year[year] = (_year_value(year, table, indicator), snapshot, table.notes)
                break
    if not by_year:
        return None
    years = sorted(by_year)
    _latest, snapshot, notes = by_year[years[-1]]
    trend = [by_year[year][0] for year in years]
    return _assess(indicator, trend, protected=True, published=True, snapshot=snapshot, notes=notes)


def public_indicator_values(
    indicators: Iterable[Indicator], *, memo: DashboardMemo | None = None
) -> list[IndicatorValue | None]:
    """``public_indicator_value`` for each, sharing one memo."""
    memo = memo or DashboardMemo()
    return [public_indicator_value(indicator, memo=memo) for indicator in indicators]
