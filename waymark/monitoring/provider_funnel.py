"""Compare providers on a funnel plot: one ethnic group's share of each provider's people, or its rate per
population, against control limits around the overall value (``monitoring.funnel``).

Each provider's figures are the ones its dashboard shows the same reader: the same indicator table, built
through disclosure control unless the reader may see that provider unsuppressed (``dashboards.shows_unsuppressed``),
and only for providers the reader may see at all. A suppressed count is listed, never plotted.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from waymark.core.models import Area, Organisation
from waymark.monitoring import dashboards, funnel, indicators
from waymark.monitoring.choices import Measure
from waymark.monitoring.models import AnalysisGrouping

SHARE = "share"
RATE = "rate"
STATISTICS = (SHARE, RATE)
RATE_PER = indicators.RATE_PER

NO_PEOPLE = "no people in any group"
NO_POPULATION = "no population figure"


@dataclass(frozen=True)
class FunnelPoint:
    """One provider: its figure, or why it is not plotted (``numerator`` is None when suppressed)."""

    provider: Organisation
    numerator: int | None
    denominator: int | None
    value: float | None
    position: str
    protected: bool
    reason: str = ""

    @property
    def plotted(self) -> bool:
        return self.value is not None

    @property
    def position_label(self) -> str:
        """The position in words for the table (the funnel module's names are for code and files)."""
        labels = {
            funnel.WITHIN: _("Within the limits"),
            funnel.ABOVE_95: _("Above the 95% limit"),
            funnel.ABOVE_998: _("Above the 99.8% limit"),
            funnel.BELOW_95: _("Below the 95% limit"),
            funnel.BELOW_998: _("Below the 99.8% limit"),
        }
        return labels.get(self.position, "")


@dataclass(frozen=True)
class FunnelComparison:
    """Every provider the reader may see, for one measure, year, group and area, with the funnel's limits."""

    measure_label: str
    group: str
    year: int
    area: Area
    statistic: str
    average: float | None
    points: list[FunnelPoint]
    limits: funnel.FunnelLimits | None
    notes: list[str]
    grouping_name: str = ""
    disclosure_notes: tuple[str, ...] = ()  # the notes saying how disclosure control changed the figures

    @property
    def method_notes(self) -> list[str]:
        """The notes on the funnel's method, without those on disclosure control."""
        return [note for note in self.notes if note not in self.disclosure_notes]

    @property
    def per(self) -> int:
        return RATE_PER if self.statistic == RATE else 1

    @property
    def unsuppressed(self) -> bool:
        """Whether any provider's figures are shown without disclosure control (the file must say so)."""
        return any(not point.protected for point in self.points)

    def limits_at(self) -> dict[int, tuple[float, float, float, float]]:
        """{provider id: (lower 99.8 %, lower 95 %, upper 95 %, upper 99.8 %)} at each provider's own
        denominator, on the scale of the figures: what a download lists beside each provider's figure."""
        if self.average is None:
            return {}
        placed = [point for point in self.points if point.denominator]
        if not placed:
            return {}
        denominators = [float(point.denominator or 0) for point in placed]
        limits = (
            funnel.proportion_limits(denominators, self.average)
            if self.statistic == SHARE
            else funnel.rate_limits(denominators, self.average, per=RATE_PER)
        )
        return {
            point.provider.pk: (
                float(limits.lower_998[i]),
                float(limits.lower_95[i]),
                float(limits.upper_95[i]),
                float(limits.upper_998[i]),
            )
            for i, point in enumerate(placed)
        }

    @property
    def plotted(self) -> list[FunnelPoint]:
        return [point for point in self.points if point.plotted]


def providers_seen(user: Any) -> list[Organisation]:
    """Providers with figures that the reader may see (their dashboards open to them)."""
    return list(dashboards.providers_with_figures().filter(pk__in=Organisation.objects.visible_to(user).values("pk")))


def compare_providers(
    *,
    user: Any,
    providers: Sequence[Organisation],
    measure: str,
    year: int,
    group: str,
    area: Area,
    statistic: str = SHARE,
    grouping: AnalysisGrouping | None = None,
) -> FunnelComparison:
    """Each provider's figure for ``group``, its position against the funnel, and the limits to draw.

    ``share``: the group's people over all the provider's people with a known group (a proportion, Wilson
    limits). ``rate``: the group's people per 100,000 of the group's population in ``area`` (Poisson limits).
    """
    if statistic not in STATISTICS:
        raise ValueError(f"Unknown statistic {statistic!r}; expected one of {', '.join(STATISTICS)}.")
    parts = dashboards.grouping_parts(grouping or dashboards.default_grouping())
    population = dashboards.population_by_group(area, parts)
    measure_label = str(dict(Measure.choices).get(measure, measure))
    points = []
    notes: list[str] = []
    disclosure: list[str] = []
    # One query for every provider's people and one policy answer for all of them, so the page costs the
    # same whether the reader sees two providers or forty.
    unsuppressed = dashboards.unsuppressed_provider_ids(user, providers)
    people_of = dashboards.people_by_provider(providers, area, year, parts, measure=measure)
    for provider in providers:
        protected = provider.pk not in unsuppressed
        people = people_of.get(provider.pk, {}).get(measure)
        table = indicators.build_table(
            measure=measure,
            measure_label=measure_label,
            grouping_name=parts.name,
            groups=parts.groups,
            counts=people.totals if people else {},
            populations=population.totals,
            protected=protected,
        )
        if protected and table.notes and table.notes[0] not in notes:
            notes.append(table.notes[0])
            disclosure.append(table.notes[0])
        row = next((row for row in table.rows if row.group == group), None)
        points.append(_point(provider, row, table, statistic, protected))
    comparison = _with_positions(measure_label, group, year, area, statistic, points, notes)
    return replace(comparison, grouping_name=parts.name, disclosure_notes=tuple(disclosure))


def _point(
    provider: Organisation,
    row: indicators.GroupRow | None,
    table: indicators.IndicatorTable,
    statistic: str,
    protected: bool,
) -> FunnelPoint:
    if row is None:
        return FunnelPoint(provider, None, None, None, "", protected, _("The group is not in this grouping."))
    denominator = table.total_count if statistic == SHARE else row.population
    if row.suppressed or row.count is None:
        return FunnelPoint(provider, None, denominator, None, "", protected, _("Suppressed"))
    if not denominator:
        reason = _("No people in any group") if statistic == SHARE else _("No population figure")
        return FunnelPoint(provider, row.count, denominator, None, "", protected, reason)
    scale = 1 if statistic == SHARE else RATE_PER
    return FunnelPoint(provider, row.count, denominator, row.count / denominator * scale, "", protected)


def _with_positions(
    measure_label: str, group: str, year: int, area: Area, statistic: str, points: list[FunnelPoint], notes: list[str]
) -> FunnelComparison:
    plotted = [point for point in points if point.plotted]
    if not plotted:
        return FunnelComparison(measure_label, group, year, area, statistic, None, points, None, notes)
    numerators = np.array([point.numerator for point in plotted], dtype=float)
    denominators = np.array([point.denominator for point in plotted], dtype=float)
    average = float(numerators.sum() / denominators.sum())
    if statistic == SHARE:
        positions = funnel.proportion_positions(numerators, denominators, average)
        notes.append(
            _(
                "Control limits at 95%% and 99.8%% around the overall share of all providers shown (%(method)s, "
                "as PHEindicatormethods' calculate_funnel_limits and the Fingertips technical guidance)."
            )
            % {"method": funnel.WILSON_FUNNEL}
        )
    else:
        average *= RATE_PER
        positions = funnel.rate_positions(numerators, denominators, average, per=RATE_PER)
        notes.append(
            _(
                "Control limits at 95%% and 99.8%% around the overall rate of all providers shown (%(method)s); "
                "each provider's position compares its own interval (exact Poisson under 10 people, Byar from 10) "
                "with the overall rate, as PHEindicatormethods' assign_funnel_significance."
            )
            % {"method": funnel.POISSON_FUNNEL}
        )
    position_of = dict(zip([id(point) for point in plotted], positions, strict=True))
    points = [
        FunnelPoint(**{**point.__dict__, "position": str(position_of[id(point)])}) if point.plotted else point
        for point in points
    ]
    smallest, largest = float(denominators.min()), float(denominators.max())
    axis = funnel.axis_denominators(max(smallest / 2, 1.0), max(largest * 2, 10.0))
    limits = funnel.proportion_limits(axis, average) if statistic == SHARE else funnel.rate_limits(axis, average)
    return FunnelComparison(measure_label, group, year, area, statistic, average, points, limits, notes)


@dataclass(frozen=True)
class FunnelChart:
    """Where to draw the funnel, in SVG user units: x is the denominator on a log scale, y the figure."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    average_y: float
    lines: dict[str, str]  # limit name → polyline points
    dots: list[dict[str, Any]]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


CHART_WIDTH, CHART_HEIGHT = 640, 380
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 64, 620, 12, 330


def funnel_chart(comparison: FunnelComparison) -> FunnelChart | None:
    """The geometry of the funnel plot, or None when no provider has a figure to plot."""
    limits = comparison.limits
    if limits is None or comparison.average is None:
        return None
    scale = 100 if comparison.statistic == SHARE else 1  # shares are drawn in percent
    x_low, x_high = np.log10(limits.denominators[0]), np.log10(limits.denominators[-1])
    values = [point.value or 0.0 for point in comparison.plotted]
    y_high = max(max(values), comparison.average) * scale
    upper_95 = np.asarray(limits.upper_95, dtype=float) * scale
    y_high = float(indicators._nice_ceiling(max(y_high * 1.15, float(np.median(upper_95)))))
    if comparison.statistic == SHARE:
        y_high = min(y_high, 100.0)

    def x_of(denominator: float) -> float:
        share = (np.log10(max(denominator, 1.0)) - x_low) / (x_high - x_low or 1.0)
        return round(CHART_LEFT + share * (CHART_RIGHT - CHART_LEFT), 1)

    def y_of(value: float) -> float:
        clipped = min(max(value * scale, 0.0), y_high)
        return round(CHART_BOTTOM - clipped / y_high * (CHART_BOTTOM - CHART_TOP), 1)

    lines = {
        name: " ".join(f"{x_of(n)},{y_of(v)}" for n, v in zip(limits.denominators, getattr(limits, name), strict=True))
        for name in ("lower_95", "upper_95", "lower_998", "upper_998")
    }
    dots = [
        {
            "x": x_of(float(point.denominator or 1)),
            "y": y_of(point.value or 0.0),
            "shape": "up"
            if point.position.startswith("above")
            else "down"
            if point.position.startswith("below")
            else "dot",
            "provider": point.provider.name,
            "position": point.position,
        }
        for point in comparison.plotted
    ]
    decades = range(int(np.floor(x_low)), int(np.ceil(x_high)) + 1)
    x_ticks = [(x_of(10.0**d), f"{10**d:,}") for d in decades if x_low <= d <= x_high]
    y_ticks = [(y_of(y_high * step / 4 / scale), f"{y_high * step / 4:,.4g}") for step in range(5)]
    return FunnelChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        right=CHART_RIGHT,
        top=CHART_TOP,
        bottom=CHART_BOTTOM,
        average_y=y_of(comparison.average),
        lines=lines,
        dots=dots,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
