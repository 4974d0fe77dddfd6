"""What the monitoring pages, exports, API and snapshots show: figures read from the aggregates, mapped
into an analysis grouping and turned into indicator tables.

The one question every caller asks first is whether the reader may see this provider's figures
unsuppressed (``core.policy``: the provider's analysts and commissioners with an agreement); if not,
or if the figures are for publication, the tables are built through disclosure control.

Counts are distinct people living in an area in a financial year (``PeopleCount``), the PCREF convention:
people detained, not detentions. Populations are the census-style denominators of the same area, summed
from the finest level the population file gave inside it, so numerator and denominator cover one place.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.choices import AreaType
from waymark.core.models import Area, Organisation
from waymark.monitoring import codes, comparisons, indicators
from waymark.monitoring.choices import AGE_BANDS, Measure, PeriodType
from waymark.monitoring.indicators import IndicatorTable
from waymark.monitoring.models import (
    AnalysisGroup,
    AnalysisGrouping,
    DataQualityFigure,
    PeopleCount,
    PopulationFigure,
    PublishedSnapshot,
    age_sex_array,
)
from waymark.monitoring.stats_compare import TREND_PERIODS

# The PCREF dashboard's measures, in the order it shows them.
DASHBOARD_MEASURES = [
    Measure.MHA_DETENTION,
    Measure.CTO,
    Measure.RESTRAINT,
    Measure.SECLUSION,
    Measure.REFERRAL,
    Measure.FIRST_CONTACT,
    Measure.ADMISSION,
]
COMPLETENESS_TARGET = 0.95
AREA_DEPTH = 3  # local authority → MSOA → LSOA: how far down to look for population rows


def financial_year_start(year: int) -> datetime.date:
    return datetime.date(year, 4, 1)


def financial_year_label(year: int) -> str:
    return _("April %(start)d to March %(end)d") % {"start": year, "end": year + 1}


def default_grouping() -> AnalysisGrouping:
    grouping = AnalysisGrouping.objects.filter(is_default=True).first() or AnalysisGrouping.objects.first()
    if grouping is None:
        raise LookupError("No analysis grouping: run the monitoring migrations.")
    return grouping


def grouping_label(grouping: AnalysisGrouping) -> str:
    """The grouping and mapping version, as printed beside every figure."""
    mapping_set = grouping.current_mapping()
    return str(mapping_set) if mapping_set else grouping.name


def shows_unsuppressed(user: Any, provider: Organisation) -> bool:
    return policy.can(user, "monitoring.view_unsuppressed", provider)


def unsuppressed_provider_ids(user: Any, providers: Iterable[Organisation]) -> set[int]:
    """Which of ``providers`` the reader may see unsuppressed, asked of the policy for all of them at once: the
    roles and the providers an analyst's agreements open are read once per request and cached on the user, so
    the answer costs the same queries for two providers or two hundred."""
    return {provider.pk for provider in providers if shows_unsuppressed(user, provider)}


def providers_with_figures() -> QuerySet[Organisation]:
    """Providers that have any imported activity."""
    ids = PeopleCount.objects.values("provider_id").distinct()
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def years_for(provider: Organisation | None = None, *, providers: Sequence[Organisation] | None = None) -> list[int]:
    """Financial years with figures (of ``provider``, or of any of ``providers``, in one query), newest first."""
    rows = PeopleCount.objects.filter(period_type=PeriodType.YEAR)
    if provider is not None:
        rows = rows.filter(provider=provider)
    if providers is not None:
        rows = rows.filter(provider__in=list(providers))
    starts = rows.values_list("period_start", flat=True).distinct()
    return sorted({start.year for start in starts}, reverse=True)


def areas_with_population() -> QuerySet[Area]:
    """Local authorities and coarser areas whose populations the files cover, for comparing against."""
    coarse = [AreaType.LOCAL_AUTHORITY, AreaType.SUB_ICB, AreaType.ICB, AreaType.REGION]
    covered = PopulationFigure.objects.values("area_id")
    paths = Q(pk__in=covered)
    for depth in range(1, AREA_DEPTH + 1):
        paths |= Q(**{"__".join(["children"] * depth) + "__in": covered})
    return Area.objects.filter(paths, area_type__in=coarse).distinct().order_by("name")


def _population_rows(area: Area) -> QuerySet[PopulationFigure]:
    """Population rows inside ``area`` at one level only (the area itself, else its children, and so on), so
    a file that gives both LSOAs and their MSOA is not counted twice."""
    latest = PopulationFigure.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return PopulationFigure.objects.none()
    rows = PopulationFigure.objects.filter(year=latest)
    for depth in range(AREA_DEPTH + 1):
        lookup = "__".join(["area"] + ["parent"] * depth)
        level = rows.filter(**{lookup: area})
        if level.exists():
            return level
    return rows.none()


@dataclass(frozen=True)
class GroupingParts:
    grouping: AnalysisGrouping
    name: str
    groups: list[str]
    labels: dict[int, str]
    mapping: dict[int, int]
    broad: dict[str, str]  # each group's broad group, by its label


def grouping_parts(grouping: AnalysisGrouping) -> GroupingParts:
    groups = list(AnalysisGroup.objects.filter(grouping=grouping).order_by("sort_order"))
    _mapping_set, mapping = codes.mapping_for(grouping)
    return GroupingParts(
        grouping=grouping,
        name=grouping_label(grouping),
        groups=[group.label for group in groups],
        labels={group.pk: group.label for group in groups},
        mapping=mapping,
        broad={group.label: group.high_level_group for group in groups},
    )


@dataclass
class GroupFigures:
    """Totals by group, and the same by census age band (people of unknown age are in the totals only)."""

    totals: dict[str, int]
    by_age: dict[str, list[int]]


def _by_group_and_age(rows: Iterable[dict[str, Any]], value: str, parts: GroupingParts) -> GroupFigures:
    band_index = {band: i for i, band in enumerate(AGE_BANDS)}
    totals: dict[str, int] = {}
    by_age: dict[str, list[int]] = {}
    for row in rows:
        ethnic_group_id = row["ethnic_group_id"]
        group_id = parts.mapping.get(ethnic_group_id) if ethnic_group_id is not None else None
        if group_id is None:
            continue  # not stated, not known, invalid or unmapped: in data quality, never guessed into a group
        label = parts.labels[group_id]
        amount = int(row[value] or 0)
        totals[label] = totals.get(label, 0) + amount
        if row["age_band"] in band_index:
            by_age.setdefault(label, [0] * len(AGE_BANDS))[band_index[row["age_band"]]] += amount
    return GroupFigures(totals, by_age)


def population_by_group(area: Area, parts: GroupingParts) -> GroupFigures:
    rows = _population_rows(area).values("ethnic_group_id", "age_band").annotate(total=Sum("count"))
    return _by_group_and_age((dict(row) for row in rows), "total", parts)


def people_by_measure_and_group(
    provider: Organisation, area: Area, year: int, parts: GroupingParts
) -> dict[str, GroupFigures]:
    """{measure: people by group} living in ``area``, for one provider and financial year. People may be
    summed over groups, ages and sexes within one roll-up, as here, but never across years or areas."""
    return people_by_provider([provider], area, year, parts).get(provider.pk, {})


def people_by_provider(
    providers: Sequence[Organisation], area: Area, year: int, parts: GroupingParts, *, measure: str | None = None
) -> dict[int, dict[str, GroupFigures]]:
    """{provider id: {measure: people by group}} as ``people_by_measure_and_group`` gives each one, for all of
    ``providers`` in one query (pages comparing providers would otherwise ask once per provider)."""
    rows = PeopleCount.objects.filter(
        provider__in=list(providers), period_type=PeriodType.YEAR, period_start=financial_year_start(year), area=area
    )
    if measure is not None:
        rows = rows.filter(measure=measure)
    totals: dict[tuple[int, str], dict[str, int]] = {}
    maps: dict[tuple[int, str], dict[str, list[dict[str, int]]]] = {}
    for provider_id, measure_code, ethnic_group_id, people, by_age_sex in rows.values_list(
        "provider_id", "measure", "ethnic_group_id", "people", "by_age_sex"
    ):
        group_id = parts.mapping.get(ethnic_group_id) if ethnic_group_id is not None else None
        if group_id is None:
            continue  # not stated, not known, invalid or unmapped: in data quality, never guessed into a group
        label = parts.labels[group_id]
        key = (provider_id, measure_code)
        totals.setdefault(key, {})[label] = totals.get(key, {}).get(label, 0) + people
        maps.setdefault(key, {}).setdefault(label, []).append(by_age_sex)
    known_ages = len(AGE_BANDS)  # age_sex_array's last row is "unknown"
    found: dict[int, dict[str, GroupFigures]] = {}
    for (provider_id, measure_code), group_totals in totals.items():
        found.setdefault(provider_id, {})[measure_code] = GroupFigures(
            totals=group_totals,
            by_age={
                label: [int(v) for v in age_sex_array(group_maps).sum(axis=1)[:known_ages]]
                for label, group_maps in maps[(provider_id, measure_code)].items()
            },
        )
    return found


def unknown_people_by_measure(provider: Organisation, area: Area, year: int, parts: GroupingParts) -> dict[str, int]:
    """{measure: people whose ethnic group is not stated, not known, invalid or unmapped}, for the unknown band."""
    rows = PeopleCount.objects.filter(
        provider=provider, period_type=PeriodType.YEAR, period_start=financial_year_start(year), area=area
    ).values_list("measure", "ethnic_group_id", "people")
    unknown: dict[str, int] = {}
    for measure, ethnic_group_id, people in rows:
        if ethnic_group_id is None or parts.mapping.get(ethnic_group_id) is None:
            unknown[measure] = unknown.get(measure, 0) + people
    return unknown


def people_by_year(
    provider: Organisation, area: Area, years: Sequence[int], parts: GroupingParts
) -> dict[str, list[dict[str, int]]]:
    """{measure: [people by group, one mapping per year of ``years``, in that order]}, in one query."""
    starts = {financial_year_start(year): index for index, year in enumerate(years)}
    rows = PeopleCount.objects.filter(
        provider=provider, period_type=PeriodType.YEAR, period_start__in=list(starts), area=area
    ).values_list("measure", "period_start", "ethnic_group_id", "people")
    found: dict[str, list[dict[str, int]]] = {}
    for measure, period_start, ethnic_group_id, people in rows:
        group_id = parts.mapping.get(ethnic_group_id) if ethnic_group_id is not None else None
        if group_id is None:
            continue
        by_year = found.setdefault(measure, [{} for _year in years])[starts[period_start]]
        label = parts.labels[group_id]
        by_year[label] = by_year.get(label, 0) + people
    return found


def _trend_years(provider: Organisation, year: int) -> list[int]:
    """The last five financial years up to ``year`` when the provider has figures for all five, oldest first."""
    wanted = list(range(year - TREND_PERIODS + 1, year + 1))
    return wanted if set(wanted) <= set(years_for(provider)) else []


def _compared(
    table: IndicatorTable,
    figures: GroupFigures | None,
    population: GroupFigures,
    unknown: int,
    by_year: list[dict[str, int]] | None,
    period: str,
) -> IndicatorTable:
    """The table with the fairer comparisons of ``monitoring.comparisons`` added."""
    table = comparisons.with_indirect_standardisation(table, figures.by_age if figures else {}, population.by_age)
    table = comparisons.with_unknown_band(table, unknown)
    if by_year is not None:
        table = comparisons.with_trends(table, by_year, population.totals, period)
    return table


@dataclass(frozen=True)
class Dashboard:
    """The PCREF-style page for one provider, year and comparison area."""

    provider: Organisation
    area: Area
    year: int
    grouping_name: str
    reference_group: str
    confidence: float
    protected: bool
    tables: list[IndicatorTable]
    population: dict[str, int]

    @property
    def period_label(self) -> str:
        return financial_year_label(self.year)

    def headlines(self, limit: int = 3) -> list["Headline"]:
        """The largest ratios to the reference group whose intervals exclude 1, furthest from 1 first (a ratio
        of 0.25 as far as one of 4), for the summary a reader sees before the tables."""
        found = [
            Headline(table.measure_label, row.label, table.reference_group, row.ratio_to_reference)
            for table in self.tables
            for row in table.rows
            if row.flag_reference and not row.is_reference and row.ratio_to_reference.value
        ]
        found.sort(
            key=lambda headline: max(headline.ratio.value or 1.0, 1 / (headline.ratio.value or 1.0)), reverse=True
        )
        return found[:limit]


@dataclass(frozen=True)
class Headline:
    """One line of a dashboard's summary: a group's ratio to the reference group, with its interval."""

    measure: str
    group: str
    reference: str
    ratio: indicators.Interval

    @property
    def higher(self) -> bool:
        return (self.ratio.value or 0.0) > 1


def provider_dashboard(
    *,
    provider: Organisation,
    area: Area,
    year: int,
    protected: bool,
    grouping: AnalysisGrouping | None = None,
    reference_group: str | None = None,
    confidence: float = 0.95,
    measures: Sequence[str] = DASHBOARD_MEASURES,
) -> Dashboard:
    """Every dashboard measure for the provider, each group against the area's population."""
    grouping = grouping or default_grouping()
    parts = grouping_parts(grouping)
    reference = reference_group or (grouping.default_reference.label if grouping.default_reference else "")
    population = population_by_group(area, parts)
    people = people_by_measure_and_group(provider, area, year, parts)
    labels = dict(Measure.choices)
    tables = [
        indicators.build_table(
            measure=measure,
            measure_label=str(labels[measure]),
            grouping_name=parts.name,
            groups=parts.groups,
            counts=people[measure].totals if measure in people else {},
            populations=population.totals,
            counts_by_age=people[measure].by_age if measure in people else {},
            populations_by_age=population.by_age,
            broad_groups=parts.broad,
            protected=protected,
            reference_group=reference,
            confidence=confidence,
        )
        for measure in measures
    ]
    unknown = unknown_people_by_measure(provider, area, year, parts)
    trend_years = _trend_years(provider, year)
    by_year = people_by_year(provider, area, trend_years, parts) if trend_years else {}
    period = (
        _("April %(start)d to March %(end)d") % {"start": trend_years[0], "end": trend_years[-1] + 1}
        if trend_years
        else ""
    )
    tables = [
        _compared(
            table,
            people.get(table.measure),
            population,
            unknown.get(table.measure, 0),
            by_year.get(table.measure, [{} for _year in trend_years]) if trend_years else None,
            period,
        )
        for table in tables
    ]
    return Dashboard(
        provider=provider,
        area=area,
        year=year,
        grouping_name=parts.name,
        reference_group=reference,
        confidence=confidence,
        protected=protected,
        tables=tables,
        population=population.totals,
    )


@dataclass(frozen=True)
class QualityRow:
    """Ethnic coding quality for one month, against the 95% completeness target."""

    period_start: datetime.date
    records: int
    valid_stated: int
    not_stated: int
    not_known: int
    invalid_code: int
    missing_area: int
    completeness: Any  # stats.Estimate of valid_stated / records (Wilson interval)

    @property
    def meets_target(self) -> bool:
        return self.completeness.value is not None and self.completeness.value >= COMPLETENESS_TARGET

    def share(self, field: str) -> float | None:
        return getattr(self, field) / self.records if self.records else None


def data_quality(provider: Organisation, measure: str | None = None) -> list[QualityRow]:
    """Month by month coding quality for a provider (all measures together unless one is named), oldest first."""
    from waymark.monitoring import stats

    rows = DataQualityFigure.objects.filter(provider=provider)
    if measure:
        rows = rows.filter(measure=measure)
    fields = ["records", "valid_stated", "not_stated", "not_known", "invalid_code", "missing_area"]
    monthly: list[dict[str, Any]] = [
        dict(row)
        for row in rows.values("period_start").annotate(**{f: Sum(f) for f in fields}).order_by("period_start")
    ]
    if not monthly:
        return []
    estimates = stats.proportions([m["valid_stated"] for m in monthly], [m["records"] for m in monthly])
    return [
        QualityRow(
            period_start=month["period_start"],
            **{f: int(month[f]) for f in fields},
            completeness=_estimate_at(estimates, index),
        )
        for index, month in enumerate(monthly)
    ]


def _estimate_at(estimates: Any, index: int) -> indicators.Interval:
    value = float(estimates.value[index])
    if value != value:  # NaN: no records
        return indicators.Interval.missing(str(estimates.reason[index]))
    return indicators.Interval(value, float(estimates.lower[index]), float(estimates.upper[index]))


def snapshot_tables(snapshot: PublishedSnapshot) -> list[IndicatorTable]:
    """A published snapshot's tables as they were published, never recomputed from live figures."""
    return [IndicatorTable.from_dict(data) for data in snapshot.tables.get("indicators", [])]
