"""Disproportionality tables: every group's crude rate, and its rate ratio against a reference group and
against all other groups together, with confidence intervals and a flag where the ratio's interval
excludes 1.

The pages, exports, API and published snapshots all build their tables here, so they show the same
numbers. A table is computed either from the true counts (for the people ``core.policy`` lets see a
provider's figures unsuppressed) or, for everyone else and for anything published, from counts passed
through ``core.disclosure``: small counts suppressed, the rest rounded, secondary suppression applied.
In the protected case every rate and ratio is computed from the published (rounded) values alone, so
it reveals nothing the published counts do not, and no rate or interval is shown for a suppressed cell.

All arithmetic runs on whole arrays through the vectorised functions in ``monitoring.stats``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from waymark.core.disclosure import DisclosureRules, protect_counts
from waymark.monitoring import stats
from waymark.monitoring.choices import AGE_BANDS

DEFAULT_REFERENCE = "White British"
RATE_PER = 100_000
CONFIDENCE_LEVELS = (0.95, 0.998)


def full_group_label(group: str, broad_group: str) -> str:
    """A group named with its broad group ("Black or Black British: Caribbean"), so that "Caribbean" is never
    read beside "White and Black Caribbean" without saying which it is; a group whose name already begins
    with its broad group ("White British") stays as it is."""
    if not broad_group or group.startswith(broad_group):
        return group
    return f"{broad_group}: {group}"


class Flag:
    HIGHER = "higher"
    LOWER = "lower"
    NONE = ""


@dataclass(frozen=True)
class Interval:
    """A value with its confidence interval, or the reason there is none."""

    value: float | None
    lower: float | None
    upper: float | None
    reason: str = ""

    @classmethod
    def missing(cls, reason: str) -> "Interval":
        return cls(None, None, None, reason)


@dataclass(frozen=True)
class GroupRow:
    """One analysis group's line of a table. ``count`` is None when it is suppressed."""

    group: str
    count: int | None
    population: int | None
    suppressed: bool
    rate: Interval
    ratio_to_reference: Interval
    ratio_to_others: Interval
    flag_reference: str = Flag.NONE
    flag_others: str = Flag.NONE
    is_reference: bool = False
    age_standardised: Interval = Interval(None, None, None, "")
    broad_group: str = ""  # empty in snapshots frozen before broad groups were kept
    # Added by monitoring.comparisons on the dashboard (empty elsewhere and in older snapshots):
    standardised_method: str = ""  # which standardisation made ``age_standardised``
    unknown_band: Interval = Interval(None, None, None)  # the rate, from no unknowns to all unknowns in the group
    unknown_ratio_band: Interval = Interval(None, None, None)  # the same for the ratio to the reference group
    trend: str = ""  # a stats_compare direction over the last five years
    ratio_trend: str = ""  # the same for the rate ratio to the reference group

    @property
    def label(self) -> str:
        """The group as a row label names it: with its broad group."""
        return full_group_label(self.group, self.broad_group)


@dataclass(frozen=True)
class IndicatorTable:
    """One measure for one provider or area and period, by analysis group."""

    measure: str
    measure_label: str
    grouping_name: str
    reference_group: str
    confidence: float
    per: int
    protected: bool
    rows: list[GroupRow]
    total_count: int | None
    total_population: int | None
    rate_method: str = ""
    ratio_method: str = ""
    notes: list[str] = field(default_factory=list)
    unknown_count: int | None = None  # people of unknown ethnic group (rounded in protected tables)
    completeness: float | None = None  # share of the people counted with a known ethnic group
    trend_period: str = ""  # the years the trend markers cover, when there are five

    @property
    def confidence_percent(self) -> str:
        return f"{self.confidence * 100:g}%"

    @property
    def flagged(self) -> list[GroupRow]:
        return [row for row in self.rows if row.flag_reference or row.flag_others]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "IndicatorTable":
        rows = [
            GroupRow(
                **{
                    **row,
                    "rate": Interval(**row["rate"]),
                    "ratio_to_reference": Interval(**row["ratio_to_reference"]),
                    "ratio_to_others": Interval(**row["ratio_to_others"]),
                    **{
                        name: Interval(**row.get(name, {"value": None, "lower": None, "upper": None}))
                        for name in ("age_standardised", "unknown_band", "unknown_ratio_band")
                    },
                }
            )
            for row in data["rows"]
        ]
        return cls(**{**data, "rows": rows})


def _flag(interval: Interval) -> str:
    if interval.lower is not None and interval.lower > 1:
        return Flag.HIGHER
    if interval.upper is not None and interval.upper < 1:
        return Flag.LOWER
    return Flag.NONE


def _intervals(estimates: Any, mask: np.ndarray, reason_if_masked: str) -> list[Interval]:
    """Turn an ``EstimateArray`` into Intervals; positions outside ``mask`` get ``reason_if_masked``."""
    value, lower, upper = (np.asarray(a, dtype=float) for a in (estimates.value, estimates.lower, estimates.upper))
    reasons = np.broadcast_to(np.asarray(estimates.reason, dtype=object), value.shape)
    result = []
    for i in range(value.shape[0]):
        if not mask[i]:
            result.append(Interval.missing(reason_if_masked))
        elif np.isnan(value[i]):
            result.append(Interval.missing(str(reasons[i] or _("No value"))))
        else:
            low = None if np.isnan(lower[i]) else float(lower[i])
            high = None if np.isnan(upper[i]) else float(upper[i])
            result.append(Interval(float(value[i]), low, high, str(reasons[i] or "")))
    return result


def build_table(
    *,
    measure: str,
    measure_label: str,
    grouping_name: str,
    groups: Sequence[str],
    counts: Mapping[str, int],
    populations: Mapping[str, int],
    protected: bool,
    reference_group: str = DEFAULT_REFERENCE,
    confidence: float = 0.95,
    per: int = RATE_PER,
    rules: DisclosureRules | None = None,
    counts_by_age: Mapping[str, Sequence[int]] | None = None,
    populations_by_age: Mapping[str, Sequence[int]] | None = None,
    broad_groups: Mapping[str, str] | None = None,
) -> IndicatorTable:
    """The table for one measure. ``groups`` gives the order; groups missing from ``counts`` count 0.

    ``protected`` passes counts and populations through disclosure control first and computes everything
    from what would be published. Age-standardised rates (2013 European Standard Population, Dobson
    intervals) need counts by age band (the census bands 0-4 … 85+) and are given with full figures only:
    age-specific counts are too small to publish, and a standardised rate would reveal them.
    """
    true_counts = {group: int(counts.get(group, 0)) for group in groups}
    true_populations = {group: int(populations.get(group, 0)) for group in groups}
    notes: list[str] = []
    if protected:
        published, published_total = protect_counts(true_counts, rules)
        published_pops, published_pop_total = protect_counts(true_populations, rules)
        shown_counts = {group: published[group].value for group in groups}
        shown_pops = {group: published_pops[group].value for group in groups}
        suppressed = {group: published[group].suppressed for group in groups}
        total_count, total_population = published_total.value, published_pop_total.value
        rules = rules or DisclosureRules.from_settings()
        notes.append(
            _(
                "Counts from 1 to %(limit)d are suppressed and other counts rounded to the nearest %(round)d; "
                "further counts are suppressed where they would let a suppressed one be worked out. Rates and "
                "ratios are calculated from the published counts."
            )
            % {"limit": rules.suppress_up_to, "round": rules.round_to}
        )
    else:
        shown_counts = dict(true_counts)
        shown_pops = dict(true_populations)
        suppressed = dict.fromkeys(groups, False)
        total_count, total_population = sum(true_counts.values()), sum(true_populations.values())

    n = len(groups)
    count = np.array([shown_counts[g] if shown_counts[g] is not None else 0 for g in groups], dtype=float)
    population = np.array([shown_pops[g] if shown_pops[g] is not None else 0 for g in groups], dtype=float)
    has_count = np.array([not suppressed[g] and shown_counts[g] is not None for g in groups], dtype=bool)
    has_population = np.array([(shown_pops[g] or 0) > 0 for g in groups], dtype=bool)
    usable = has_count & has_population

    safe_population = np.where(has_population, population, 1.0)
    rates = stats.crude_rates(count, safe_population, per, confidence)
    rate_intervals = _intervals(rates, usable, "")
    rate_intervals = [
        interval if usable[i] else Interval.missing(_("Suppressed") if not has_count[i] else _("No population figure"))
        for i, interval in enumerate(rate_intervals)
    ]

    if reference_group not in groups:
        notes.append(_("The reference group %(group)s is not in this grouping.") % {"group": reference_group})
    ref_index = groups.index(reference_group) if reference_group in groups else None
    if ref_index is not None and usable[ref_index] and count[ref_index] > 0:
        ref_count = np.full(n, count[ref_index])
        ref_population = np.full(n, population[ref_index])
        mask = usable & (np.arange(n) != ref_index)
        ratios_ref = stats.rate_ratios(count, safe_population, ref_count, ref_population, confidence)
        ratio_ref_intervals = _intervals(ratios_ref, mask, "")
        ratio_ref_intervals = [
            interval if mask[i] else Interval.missing("" if i == ref_index else rate_intervals[i].reason)
            for i, interval in enumerate(ratio_ref_intervals)
        ]
    else:
        reason = _("No rate for the reference group")
        ratio_ref_intervals = [Interval.missing(reason) for _group in groups]

    # "All other groups together": the total less this group, from the same (published or true) figures.
    total_c = float(total_count or 0)
    total_p = float(total_population or 0)
    other_count = total_c - count
    other_population = total_p - population
    others_mask = usable & (other_population > 0) & (other_count > 0) & (total_count is not None)
    ratios_others = stats.rate_ratios(
        count,
        safe_population,
        np.where(others_mask, other_count, 1.0),
        np.where(others_mask, other_population, 1.0),
        confidence,
    )
    ratio_other_intervals = _intervals(ratios_others, others_mask, "")
    ratio_other_intervals = [
        interval if others_mask[i] else Interval.missing(rate_intervals[i].reason or _("No rate for the other groups"))
        for i, interval in enumerate(ratio_other_intervals)
    ]

    standardised = _age_standardised(
        groups, protected, counts_by_age, populations_by_age, per=per, confidence=confidence
    )
    if protected and counts_by_age is not None:
        notes.append(_("Age-standardised rates are shown only with full figures."))

    rows = [
        GroupRow(
            group=group,
            count=None if suppressed[group] else shown_counts[group],
            population=shown_pops[group],
            suppressed=suppressed[group],
            rate=rate_intervals[i],
            ratio_to_reference=ratio_ref_intervals[i],
            ratio_to_others=ratio_other_intervals[i],
            flag_reference=_flag(ratio_ref_intervals[i]),
            flag_others=_flag(ratio_other_intervals[i]),
            is_reference=i == ref_index,
            age_standardised=standardised[i],
            broad_group=(broad_groups or {}).get(group, ""),
        )
        for i, group in enumerate(groups)
    ]
    return IndicatorTable(
        measure=measure,
        measure_label=measure_label,
        grouping_name=grouping_name,
        reference_group=reference_group,
        confidence=confidence,
        per=per,
        protected=protected,
        rows=rows,
        total_count=total_count,
        total_population=total_population,
        rate_method=_method_name(rates),
        ratio_method=_method_name(ratios_others),
        notes=notes,
    )


def _age_standardised(
    groups: Sequence[str],
    protected: bool,
    counts_by_age: Mapping[str, Sequence[int]] | None,
    populations_by_age: Mapping[str, Sequence[int]] | None,
    *,
    per: int,
    confidence: float,
) -> list[Interval]:
    """Each group's directly age-standardised rate, or why there is none."""
    if protected or counts_by_age is None or populations_by_age is None:
        return [Interval.missing("") for _group in groups]
    bands = len(AGE_BANDS)
    counts = np.array([list(counts_by_age.get(group, [0] * bands)) for group in groups], dtype=float)
    populations = np.array([list(populations_by_age.get(group, [0] * bands)) for group in groups], dtype=float)
    estimates = stats.dsrs(counts, populations, per=per, confidence=confidence)
    return _intervals(estimates, np.ones(len(groups), dtype=bool), "")


def _method_name(estimates: Any) -> str:
    method = estimates.method
    if isinstance(method, str):
        return method
    names = sorted({str(m) for m in np.asarray(method, dtype=object).ravel() if m})
    return ", ".join(names)


@dataclass(frozen=True)
class ChartBar:
    """One row of the rate chart, in SVG user units."""

    label: str
    broad_group: str  # drawn above the label, so a long name is not cut short
    y: float
    x: float
    lower_x: float
    upper_x: float
    rate: float
    lower: float
    upper: float
    is_reference: bool


@dataclass(frozen=True)
class RateChart:
    """Geometry of a horizontal dot-and-whisker chart of rates with their intervals, drawn server-side."""

    width: int
    height: int
    plot_left: int
    plot_width: int
    bars: list[ChartBar]
    ticks: list[tuple[float, str]]
    omitted: list[str]


CHART_WIDTH = 640
CHART_LABEL_WIDTH = 200
CHART_ROW_HEIGHT = 28
CHART_TOP = 10
CHART_AXIS_HEIGHT = 36


def rate_chart(table: IndicatorTable) -> RateChart | None:
    """Where to draw each group's rate and interval; groups without a rate are listed as omitted."""
    with_rates = [row for row in table.rows if row.rate.value is not None]
    if not with_rates:
        return None
    top = max((row.rate.upper if row.rate.upper is not None else row.rate.value) or 0.0 for row in with_rates)
    top = _nice_ceiling(top)
    plot_width = CHART_WIDTH - CHART_LABEL_WIDTH - 20

    def x_of(value: float | None) -> float:
        return round(CHART_LABEL_WIDTH + (value or 0.0) / top * plot_width, 1)

    bars = []
    for index, row in enumerate(with_rates):
        rate = row.rate
        bars.append(
            ChartBar(
                label=row.group,
                broad_group=row.broad_group if row.label != row.group else "",
                y=CHART_TOP + index * CHART_ROW_HEIGHT + CHART_ROW_HEIGHT / 2,
                x=x_of(rate.value),
                lower_x=x_of(rate.lower if rate.lower is not None else rate.value),
                upper_x=x_of(rate.upper if rate.upper is not None else rate.value),
                rate=rate.value or 0.0,
                lower=rate.lower if rate.lower is not None else 0.0,
                upper=rate.upper if rate.upper is not None else 0.0,
                is_reference=row.is_reference,
            )
        )
    ticks = [(x_of(top * step / 4), f"{top * step / 4:,.0f}") for step in range(5)]
    height = CHART_TOP + len(bars) * CHART_ROW_HEIGHT + CHART_AXIS_HEIGHT
    return RateChart(
        width=CHART_WIDTH,
        height=height,
        plot_left=CHART_LABEL_WIDTH,
        plot_width=plot_width,
        bars=bars,
        ticks=ticks,
        omitted=[row.label for row in table.rows if row.rate.value is None],
    )


def _nice_ceiling(value: float) -> float:
    """A round number at or above ``value`` (1, 2, 2.5 or 5 times a power of ten) for the axis end."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)
