"""The fatigue figure: how many consultations reached each community in the last twelve months, beside the
community's population from monitoring's denominators, so that the most-asked communities stand out.

A community's population is the sum of the census figures of the ethnic groups it belongs to
(``Community.ethnic_groups``), in the borough's latest population year. Communities name groups in two code
sets (ONS 2021 and the NHS ethnic category); a population file uses one, so the groups are counted in one code
set only, never both. Several communities can share a group (Somali and Nigerian people are both in
"African"): each is then measured against the whole group, and its rate understates how often its own people
are asked. A community with no group, or no figures for its groups, has no denominator: "not known".
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from waymark.core.choices import AreaType
from waymark.core.dates import add_months
from waymark.core.models import Area, Community
from waymark.monitoring.dashboards import AREA_DEPTH, areas_with_population
from waymark.monitoring.models import PopulationFigure
from waymark.partnership.choices import ConsultationStatus

PER = 1_000
CHART_WIDTH = 130  # pixels of the longest bar in the SVG beside the table (a third of the page wide)


@dataclass(frozen=True)
class Denominators:
    """The borough's latest population figures: people by source ethnic group."""

    area: Area
    year: int
    by_group: dict[int, int]


@dataclass(frozen=True)
class FatigueRow:
    community: Community
    reached: int
    population: int | None  # None: not known
    rate: Decimal | None  # per 1,000 people; None when the population is not known
    bar: int  # the rate's bar, in pixels of CHART_WIDTH


def window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last twelve months up to and including today."""
    today = today or timezone.localdate()
    return add_months(today, -12) + datetime.timedelta(days=1), today


def borough_areas() -> QuerySet[Area]:
    """Local authorities whose populations monitoring holds (the demo has one: Riverside)."""
    return areas_with_population().filter(area_type=AreaType.LOCAL_AUTHORITY)


def denominators(area: Area | None) -> Denominators | None:
    """The area's population by ethnic group in its latest year, read at one level only (the area itself,
    else its children, and so on), so a file giving both LSOAs and their MSOA is not counted twice."""
    if area is None:
        return None
    for depth in range(AREA_DEPTH + 1):
        rows = PopulationFigure.objects.filter(**{"__".join(["area"] + ["parent"] * depth): area})
        year = rows.order_by("-year").values_list("year", flat=True).first()
        if year is not None:
            totals = rows.filter(year=year).values("ethnic_group_id").annotate(total=Sum("count"))
            return Denominators(area, year, {row["ethnic_group_id"]: int(row["total"]) for row in totals})
    return None


def population_of(group_ids: list[tuple[int, int]], figures: Denominators | None) -> int | None:
    """The people in a community's groups, given as (code set, group) pairs: counted in the one code set
    the figures use (the larger sum if, unusually, they use both), never added across code sets."""
    if figures is None:
        return None
    by_code_set: dict[int, list[int]] = defaultdict(list)
    for code_set_id, group_id in group_ids:
        if group_id in figures.by_group:
            by_code_set[code_set_id].append(figures.by_group[group_id])
    sums = [sum(counts) for counts in by_code_set.values()]
    return max(sums) if sums else None


def reached_counts(communities: QuerySet[Community], today: datetime.date | None = None) -> QuerySet[Community]:
    """Each community with ``reached``: consultations not cancelled that ran on at least one day of the last
    twelve months (planned ones whose dates have come count: the community was due to be asked); the most
    asked first."""
    start, end = window(today)
    reached = Q(consultations__starts_on__lte=end, consultations__ends_on__gte=start) & ~Q(
        consultations__status=ConsultationStatus.CANCELLED
    )
    counted = communities.annotate(reached=Count("consultations", filter=reached, distinct=True))
    return counted.order_by("-reached", "name")


def rate_per_thousand(reached: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(reached) * PER / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fatigue_rows(communities: list[Any], figures: Denominators | None) -> list[FatigueRow]:
    """A page of communities (each with ``reached``) as rows with their populations and rates, in two queries."""
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links = Community.ethnic_groups.through.objects.filter(community_id__in=[c.pk for c in communities])
    for community_id, code_set_id, group_id in links.values_list(
        "community_id", "ethnicgroup__code_set_id", "ethnicgroup_id"
    ):
        pairs[community_id].append((code_set_id, group_id))
    built = []
    for community in communities:
        population = population_of(pairs[community.pk], figures)
        built.append((community, population, rate_per_thousand(community.reached, population)))
    largest = max((rate for _community, _population, rate in built if rate), default=Decimal(0))
    return [
        FatigueRow(
            community=community,
            reached=community.reached,
            population=population,
            rate=rate,
            bar=int(CHART_WIDTH * rate / largest) if rate and largest else 0,
        )
        for community, population, rate in built
    ]
