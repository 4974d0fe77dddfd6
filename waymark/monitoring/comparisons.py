"""The dashboard's fairer comparisons, added to an indicator table after it is built: the indirectly
standardised rate where a group is too small for a directly standardised one, the band each figure could
move across if the people of unknown ethnicity were known, and a trend marker over the last five years.

The arithmetic is in ``monitoring.stats_compare`` (Django-free, vectorised); this module only lines the
tables' groups up with it and words the method notes, so the page and its downloads say the same.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from django.utils.translation import gettext as _

from waymark.core.disclosure import DisclosureRules, protect_counts
from waymark.monitoring import stats, stats_compare
from waymark.monitoring.choices import AGE_BANDS
from waymark.monitoring.indicators import IndicatorTable, Interval

COMPLETENESS_TARGET = 0.95


def trend_label(direction: str) -> str:
    return {
        stats_compare.INCREASING: _("Increasing"),
        stats_compare.DECREASING: _("Decreasing"),
        stats_compare.NO_SIGNIFICANT_CHANGE: _("No significant change"),
        stats_compare.CANNOT_CALCULATE: _("Cannot be calculated"),
    }.get(direction, "")


def with_indirect_standardisation(
    table: IndicatorTable,
    counts_by_age: Mapping[str, Sequence[int]],
    populations_by_age: Mapping[str, Sequence[int]],
) -> IndicatorTable:
    """Groups with a DSR keep it; groups too small for one (fewer than 10 events) get the indirectly
    standardised rate instead, against all groups' age-specific rates together, and say why. Full figures
    only, as the DSR: age-specific counts are too small to publish."""
    if table.protected:
        return table
    groups = [row.group for row in table.rows]
    bands = len(AGE_BANDS)
    counts = np.array([list(counts_by_age.get(group, [0] * bands)) for group in groups], dtype=float)
    populations = np.array([list(populations_by_age.get(group, [0] * bands)) for group in groups], dtype=float)
    # A group with more events than people in some age band (population figures and activity from different
    # sources rarely agree exactly) keeps the DSR's own reason; it is left out of the reference too.
    consistent = (counts <= populations).all(axis=1)
    if not consistent.any() or populations[consistent].sum() == 0:
        return table
    # The reference: every group of the table together, so the expected events are what this group's
    # age structure would give at the area's own age-specific rates.
    ratio_source = stats_compare.isr_rates(
        counts[consistent],
        populations[consistent],
        counts[consistent].sum(axis=0),
        populations[consistent].sum(axis=0),
        per=table.per,
        confidence=table.confidence,
    )
    position = np.cumsum(consistent) - 1  # a table row's index among the consistent groups
    rows = []
    for index, row in enumerate(table.rows):
        if row.age_standardised.value is not None:
            rows.append(replace(row, standardised_method=_("directly standardised (Dobson)")))
        elif not consistent[index]:
            rows.append(row)
        elif row.age_standardised.reason == stats.TOO_FEW_FOR_DSR and row.rate.value is not None:
            estimate = ratio_source.estimate(int(position[index]))
            if estimate.value is None:
                rows.append(row)
                continue
            rows.append(
                replace(
                    row,
                    age_standardised=Interval(
                        estimate.value,
                        estimate.lower,
                        estimate.upper,
                        _("Fewer than 10 events, too few for a directly standardised rate: indirectly standardised."),
                    ),
                    standardised_method=_("indirectly standardised (%(method)s)") % {"method": estimate.method},
                )
            )
        else:
            rows.append(row)
    note = _(
        "Standardised rates: directly standardised (2013 European Standard Population, Dobson intervals) where a "
        "group has 10 events or more; below that, indirectly standardised against all groups' age-specific rates "
        "together (observed over expected events times the area's crude rate; Byar's interval from 10 events, "
        "exact Poisson below), as marked on each figure."
    )
    return replace(table, rows=rows, notes=[*table.notes, note])


def with_unknown_band(table: IndicatorTable, unknown: int, rules: DisclosureRules | None = None) -> IndicatorTable:
    """When fewer than 95% of the people counted have a known ethnic group, each group's rate and ratio to the
    reference group get the range they could take: none of the unknowns in the group (the figure shown) to
    all of them. With protected figures the band is worked from the published counts and the unknown count
    published by the same rules (rounded; no band when it is small enough to be suppressed), so it reveals
    nothing they do not."""
    if table.protected:
        rules = rules or DisclosureRules.from_settings()
        if 0 < unknown <= rules.suppress_up_to:
            return table
        unknown = rules.rounded(unknown)
    known = sum(row.count or 0 for row in table.rows)
    everyone = known + unknown
    completeness = known / everyone if everyone else None
    table = replace(table, unknown_count=unknown, completeness=completeness)
    if completeness is None or completeness >= COMPLETENESS_TARGET:
        return table
    reference = next((row for row in table.rows if row.is_reference), None)
    has_reference = reference is not None and (reference.count or 0) > 0 and (reference.population or 0) > 0
    counts = np.array([row.count or 0 for row in table.rows], dtype=float)
    populations = np.array([row.population or 0 for row in table.rows], dtype=float)
    band = stats_compare.unknown_band(
        counts,
        populations,
        np.full(counts.shape, float(unknown)),
        reference_count=float(reference.count or 0) if has_reference and reference else None,
        reference_denominator=float(reference.population or 0) if has_reference and reference else None,
        per=table.per,
    )
    rows = []
    for index, row in enumerate(table.rows):
        lower, upper, ratio_lower, ratio_upper = band.at(index)
        if row.rate.value is None or lower is None:
            rows.append(row)
            continue
        ratio = Interval(None, None, None)
        if not row.is_reference and ratio_lower is not None and row.ratio_to_reference.value is not None:
            ratio = Interval(row.ratio_to_reference.value, ratio_lower, ratio_upper)
        rows.append(replace(row, unknown_band=Interval(row.rate.value, lower, upper), unknown_ratio_band=ratio))
    note = _(
        "%(percent)s of the people counted have a known ethnic group, below the 95%% target: beside each figure, "
        "the range it could take if none (lower) or all (upper) of the %(unknown)s people of unknown ethnicity "
        "belonged to that group."
    ) % {"percent": f"{completeness:.1%}", "unknown": f"{unknown:,}"}
    return replace(table, rows=rows, notes=[*table.notes, note])


def with_trends(
    table: IndicatorTable,
    counts_by_year: Sequence[Mapping[str, int]],
    populations: Mapping[str, int],
    period: str,
    rules: DisclosureRules | None = None,
) -> IndicatorTable:
    """Each group's trend over the last five years (oldest first in ``counts_by_year``), the chi-squared test
    for trend against the group's population. With protected figures the test reads the published counts
    of each year, so a marker reveals nothing they do not; a suppressed year leaves no marker."""
    if len(counts_by_year) < stats_compare.TREND_PERIODS:
        return table
    groups = [row.group for row in table.rows]
    series = []
    for year in counts_by_year[-stats_compare.TREND_PERIODS :]:
        true = {group: int(year.get(group, 0)) for group in groups}
        if table.protected:
            published, _total = protect_counts(true, rules)
            series.append([published[g].value if not published[g].suppressed else None for g in groups])
        else:
            series.append([true[g] for g in groups])
    counts = np.array([[np.nan if v is None else v for v in year] for year in series], dtype=float).T
    population = np.array([float(populations.get(group, 0)) for group in groups])
    usable = ~np.isnan(counts).any(axis=1) & (population > 0) & (counts <= population[:, None]).all(axis=1)
    directions = np.full(len(groups), stats_compare.CANNOT_CALCULATE, dtype=object)
    if usable.any():
        found = stats_compare.trends(
            counts[usable], np.broadcast_to(population[usable, None], counts[usable].shape), table.confidence
        )
        directions[usable] = found.direction
    ratio_directions = _ratio_trends(table, counts, usable)
    rows = [
        replace(row, trend=str(directions[index]), ratio_trend=str(ratio_directions[index]))
        for index, row in enumerate(table.rows)
    ]
    note = _(
        "Trend over %(period)s: chi-squared test for linear trend in each group's rate (the last five years, "
        "each against the latest population) at the %(level)s level; for the ratio to %(reference)s, the same "
        "test on the group's share of the two groups' events, which rises and falls with the ratio. It finds "
        "steady rises or falls only, not a rise then a fall; it treats the years as independent, though people "
        "detained in one year may be counted again in the next; and five years are a short series, so a marker "
        "is a prompt to look, not a finding."
    ) % {"period": period, "level": table.confidence_percent, "reference": table.reference_group}
    return replace(table, rows=rows, trend_period=period, notes=[*table.notes, note])


def _ratio_trends(table: IndicatorTable, counts: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Each group's trend in its ratio to the reference group (groups by years of ``counts``); none for the
    reference group itself, and "cannot be calculated" where either group's series is not usable."""
    directions = np.full(len(table.rows), stats_compare.CANNOT_CALCULATE, dtype=object)
    reference = next((index for index, row in enumerate(table.rows) if row.is_reference), None)
    if reference is None:
        directions[:] = ""
        return directions
    compared = usable.copy()
    compared[reference] = False
    if usable[reference] and compared.any():
        found = stats_compare.ratio_trends(counts[compared], counts[reference], table.confidence)
        directions[compared] = found.direction
    directions[reference] = ""
    return directions
