"""The search's filters in SQL: what each narrows the services to, and when a service is open.

The search (``search``) answers most filters from its index; these are the rules the index agrees with (the tests
hold the two together), and the checks it leaves to SQL: opening hours that begin or end within a half hour,
holiday exceptions, ages.
"""

# SQL is built here from constant table names and placeholders; every value is a parameter.
# ruff: noqa: S608

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from waymark.core.models import Area, Community, Language
from waymark.directory import search_index
from waymark.directory.choices import WEEKDAY_BY_INDEX, LocationVisibility
from waymark.directory.models import HolidayException, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm


@dataclass
class SearchFilters:
    """What a search is narrowed to; empty values do not narrow."""

    need: TaxonomyTerm | None = None  # the term or any term under it
    language: Language | None = None
    community: Community | None = None
    ward: Area | None = None  # a location in the ward whose address is public
    referral: str = ""  # "self", "professional" or "gp"
    open_now: bool = False
    free: bool = False
    minimum_age: int | None = None  # serves someone at least this old
    maximum_age: int | None = None  # serves someone no older than this
    day: str = ""  # Weekday code: open at some time that day
    start_time: time | None = None  # open at some time after this
    end_time: time | None = None  # open at some time before this
    taxonomy: Taxonomy | None = None


REFERRAL_FIELDS = {"self": "self_referral", "professional": "professional_referral", "gp": "gp_referral"}


def term_and_descendants(term: TaxonomyTerm) -> list[int]:
    """Ids of a term and every term under it (the hierarchy is read in one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in TaxonomyTerm.objects.filter(taxonomy_id=term.taxonomy_id).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = [], [term.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.append(pk)
            stack.extend(children[pk])
    return found


def local_time(moment: datetime) -> datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def open_at(moment: datetime) -> QuerySet[Any]:
    """Ids of services open at ``moment``: a holiday exception that day decides; otherwise the weekly hours. One
    subquery (a union), which the database evaluates once rather than once per service."""
    local = local_time(moment)
    day, at = local.date(), local.time()
    exceptions = HolidayException.objects.filter(starts_on__lte=day, ends_on__gte=day)
    weekday = WEEKDAY_BY_INDEX[day.weekday()]
    weekly = Schedule.objects.filter(weekday=weekday, opens_at__in=_opening_times(weekday, at), closes_at__gt=at)
    open_by_exception = exceptions.filter(closed=False, opens_at__lte=at, closes_at__gt=at)
    return (
        open_by_exception.order_by()
        .values("service_id")
        .union(weekly.exclude(service_id__in=exceptions.values("service_id")).order_by().values("service_id"))
    )


def _opening_times(weekday: str, at: time) -> RawSQL:
    """The distinct times at or before ``at`` that hours open on ``weekday``, found by stepping along the
    opening-hours index from one to the next. Asking for hours that open at one of these and close after
    ``at`` reads only the hours open then; "opens at or before" read every earlier one (all of the day's
    hours, by the evening)."""
    table = Schedule._meta.db_table
    value = connection.ops.adapt_timefield_value(at)
    # Constant SQL with placeholders (see the note at the top); every value is a parameter.
    sql = (
        f"WITH RECURSIVE opening (at) AS (SELECT MIN(opens_at) FROM {table} WHERE weekday = %s"
        f" UNION ALL SELECT (SELECT MIN(opens_at) FROM {table} WHERE weekday = %s AND opens_at > opening.at)"
        " FROM opening WHERE opening.at <= %s)"
        " SELECT at FROM opening WHERE at <= %s"
    )
    return RawSQL(sql, (weekday, weekday, value, value))  # noqa: S611


def open_sql(service_id: str, moment: datetime) -> tuple[str, tuple[Any, ...]]:
    """SQL true when the service whose id is the column ``service_id`` is open at ``moment``, by the rule of
    ``open_at``, asked of that service's own hours and exceptions."""
    local = local_time(moment)
    day = connection.ops.adapt_datefield_value(local.date())
    at, weekday = connection.ops.adapt_timefield_value(local.time()), WEEKDAY_BY_INDEX[local.weekday()]
    hours, exceptions = Schedule._meta.db_table, HolidayException._meta.db_table
    # Constant SQL with placeholders (see the note at the top); every value is a parameter.
    sql = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {exceptions} e WHERE e.service_id = {service_id}"
        " AND e.starts_on <= %s AND e.ends_on >= %s)"
        f" THEN EXISTS (SELECT 1 FROM {exceptions} e WHERE e.service_id = {service_id} AND e.starts_on <= %s"
        " AND e.ends_on >= %s AND e.closed = %s AND e.opens_at <= %s AND e.closes_at > %s)"
        f" ELSE EXISTS (SELECT 1 FROM {hours} s WHERE s.service_id = {service_id} AND s.weekday = %s"
        " AND s.opens_at <= %s AND s.closes_at > %s) END"
    )
    return sql, (day, day, day, day, False, at, at, weekday, at, at)


def open_among(service_ids: Iterable[int], moment: datetime) -> set[int]:
    """Which of these services are open at ``moment``, by the rule of the "open now" filter, in one query."""
    ids = list(service_ids)
    if not ids:
        return set()
    is_open, is_open_params = open_sql(f"{Service._meta.db_table}.id", moment)
    placeholders = ", ".join(["%s"] * len(ids))
    # Constant SQL with placeholders (see the note at the top); every value is a parameter.
    sql = f"SELECT id FROM {Service._meta.db_table} WHERE id IN ({placeholders}) AND {is_open}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *is_open_params])
        return {row[0] for row in cursor.fetchall()}


def apply_filters(queryset: QuerySet[Service], filters: SearchFilters, now: datetime) -> QuerySet[Service]:
    """Narrow ``queryset`` by ``filters``, with subqueries so no service appears twice."""
    through = Service.categories.through
    if filters.need is not None:
        terms = term_and_descendants(filters.need)
        queryset = queryset.filter(pk__in=through.objects.filter(taxonomyterm_id__in=terms).values("service_id"))
    if filters.taxonomy is not None:
        queryset = queryset.filter(
            pk__in=through.objects.filter(taxonomyterm__taxonomy=filters.taxonomy).values("service_id")
        )
    if filters.language is not None:
        queryset = queryset.filter(
            pk__in=Service.languages.through.objects.filter(language=filters.language).values("service_id")
        )
    if filters.community is not None:
        queryset = queryset.filter(
            pk__in=Service.communities.through.objects.filter(community=filters.community).values("service_id")
        )
    if filters.ward is not None:
        # Only locations with a public address: a refuge's ward must not be discoverable by filtering.
        queryset = queryset.filter(
            pk__in=ServiceAtLocation.objects.filter(
                location__ward=filters.ward, location__visibility=LocationVisibility.FULL
            ).values("service_id")
        )
    if filters.referral:
        if filters.referral not in REFERRAL_FIELDS:
            raise ValueError(f"Unknown referral route {filters.referral!r}.")
        queryset = queryset.filter(**{REFERRAL_FIELDS[filters.referral]: True})
    if filters.free:
        queryset = queryset.filter(is_free=True)
    if filters.minimum_age is not None:
        queryset = queryset.filter(Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.minimum_age))
    if filters.maximum_age is not None:
        queryset = queryset.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.maximum_age))
    if filters.open_now:
        queryset = queryset.filter(pk__in=open_at(now))
    if filters.day or filters.start_time or filters.end_time:
        queryset = queryset.filter(pk__in=open_during(filters))
    return queryset


def open_during(filters: SearchFilters) -> QuerySet[Any]:
    """Ids of services with weekly hours on the filters' day, open at some time after their start and before
    their end (each left out when not given)."""
    hours = Schedule.objects.order_by()
    if filters.day:
        hours = hours.filter(weekday=filters.day)
    if filters.start_time:
        hours = hours.filter(closes_at__gt=filters.start_time)
    if filters.end_time:
        hours = hours.filter(opens_at__lt=filters.end_time)
    return hours.values("service_id")


def weekday_and_slot(moment: datetime) -> tuple[str, int]:
    local = local_time(moment)
    return WEEKDAY_BY_INDEX[local.weekday()], search_index.slot_of(local.time())[0]


def closed_after_all(moment: datetime) -> tuple[str, tuple[Any, ...]]:
    """Of the services the index takes for open at ``moment`` (their hours cover its half hour in whole or in
    part, or they have special hours), those that are not: hours that begin or end within the half hour, holiday
    exceptions that day, special hours. Few services, each checked by the rule of ``open_among``."""
    local = local_time(moment)
    weekday, (_slot, slot_start, slot_end) = WEEKDAY_BY_INDEX[local.weekday()], search_index.slot_of(local.time())
    start = connection.ops.adapt_timefield_value(slot_start)
    if slot_end is None:  # the last half hour of the day: nothing closes after it
        within = "(opens_at > %s OR closes_at > %s)"
        within_params: tuple[Any, ...] = (start, start)
    else:
        end = connection.ops.adapt_timefield_value(slot_end)
        within = "(opens_at > %s AND opens_at < %s OR closes_at > %s AND closes_at < %s)"
        within_params = (start, end, start, end)
    day = connection.ops.adapt_datefield_value(local.date())
    is_open, is_open_params = open_sql("c.service_id", moment)
    hours, exceptions = Schedule._meta.db_table, HolidayException._meta.db_table
    # Constant SQL with placeholders (see the note at the top); every value is a parameter.
    sql = (
        f"SELECT c.service_id FROM (SELECT service_id FROM {hours} WHERE weekday = %s AND {within}"
        f" UNION SELECT service_id FROM {exceptions} WHERE starts_on <= %s AND ends_on >= %s"
        f" UNION SELECT service_id FROM {exceptions} WHERE closed = %s) AS c WHERE NOT {is_open}"
    )
    return sql, (weekday, *within_params, day, day, False, *is_open_params)
