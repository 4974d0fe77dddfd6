"""Finding services: one text box, filters, distance from a postcode, and pages of results.

The same search finds the same services on SQLite and PostgreSQL by construction: the words typed and
most filters are answered by the search index (see ``search_index``), which holds the same words and
facet markers on both engines; the other conditions (who may see what, opening hours, ages) are SQL.
Only the order of equally good matches may differ, as relevance is bm25 on SQLite and ts_rank on
PostgreSQL. Relevance puts services whose name contains every word first.

Distances use the equirectangular approximation, exact enough across a borough and the same
arithmetic on both engines, measured to each service's nearest publicly placeable location (a
district-only location counts at its district's middle; a hidden one not at all).

Searches stay fast on 100,000 services because the index counts the matches, relevance is computed
for the services named in full first (and for the rest only when a page reaches them), distance
ordering looks near the origin before measuring everything, and listing by name walks the name index.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from functools import cached_property
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.models import Area, Community, Language, Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.directory import search_index
from waymark.directory.choices import WEEKDAY_BY_INDEX, LocationVisibility
from waymark.directory.models import (
    HolidayException,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from waymark.directory.public import district_centroid
from waymark.directory.search_index import FTS_TABLE, search_words

__all__ = ["SearchFilters", "SearchResults", "is_open_at", "search_services", "search_words"]

MAX_QUERY_WORDS = 12
KM_PER_DEGREE = 6371.0088 * math.pi / 180
_DISTRICT_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


# --- Filters and opening hours -------------------------------------------------------------------------


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


def open_at_condition(moment: datetime) -> Q:
    """Services open at ``moment``: a holiday exception that day decides; otherwise the weekly hours.

    Written as ``id IN (…)`` subqueries, which the database evaluates once, not once per service.
    """
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    day, at = local.date(), local.time()
    exceptions = HolidayException.objects.filter(starts_on__lte=day, ends_on__gte=day)
    weekly = Schedule.objects.filter(weekday=WEEKDAY_BY_INDEX[day.weekday()], opens_at__lte=at, closes_at__gt=at)
    open_by_exception = exceptions.filter(closed=False, opens_at__lte=at, closes_at__gt=at)
    return Q(pk__in=open_by_exception.values("service_id")) | (
        Q(pk__in=weekly.values("service_id")) & ~Q(pk__in=exceptions.values("service_id"))
    )


def is_open_at(service: Service, moment: datetime) -> bool:
    """Whether the service is open at ``moment``, by the same rule as the "open now" filter."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    day, at = local.date(), local.time()
    exceptions = [e for e in service.holiday_exceptions.all() if e.starts_on <= day <= e.ends_on]
    if exceptions:
        return any(
            not e.closed and e.opens_at is not None and e.closes_at is not None and e.opens_at <= at < e.closes_at
            for e in exceptions
        )
    code = WEEKDAY_BY_INDEX[day.weekday()]
    return any(s.weekday == code and s.opens_at <= at < s.closes_at for s in service.schedules.all())


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
        queryset = queryset.filter(open_at_condition(now))
    if filters.day or filters.start_time or filters.end_time:
        hours = Schedule.objects.all()
        if filters.day:
            hours = hours.filter(weekday=filters.day)
        if filters.start_time:
            hours = hours.filter(closes_at__gt=filters.start_time)
        if filters.end_time:
            hours = hours.filter(opens_at__lt=filters.end_time)
        queryset = queryset.filter(pk__in=hours.values("service_id"))
    return queryset


# --- Postcodes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Origin:
    latitude: float | None
    longitude: float | None
    used: str
    note: str


def locate(postcode: str) -> _Origin:
    """Where to measure from: the postcode, else its district's middle (saying so), else nowhere."""
    raw = " ".join((postcode or "").split())
    if not raw:
        return _Origin(None, None, "", "")
    try:
        full = normalise_postcode(raw)
    except ValueError:
        full = ""
    if full:
        point = Postcode.objects.filter(postcode=full).values_list("latitude", "longitude").first()
        if point is not None:
            return _Origin(float(point[0]), float(point[1]), full, "")
        district = full.split(" ")[0]
        centre = district_centroid(district)
        if centre is not None:
            return _Origin(
                float(centre[0]),
                float(centre[1]),
                district,
                _("We could not find the postcode %(postcode)s, so distances are from the middle of %(district)s.")
                % {"postcode": full, "district": district},
            )
        return _Origin(
            None,
            None,
            "",
            _(
                "We could not find the postcode %(postcode)s or its area %(district)s, "
                "so results are not in order of distance."
            )
            % {"postcode": full, "district": district},
        )
    compact = raw.replace(" ", "").upper()
    if _DISTRICT_SHAPE.match(compact):
        centre = district_centroid(compact)
        if centre is not None:
            return _Origin(float(centre[0]), float(centre[1]), compact, "")
        return _Origin(
            None,
            None,
            "",
            _("We could not find the postcode area %(district)s, so results are not in order of distance.")
            % {"district": compact},
        )
    return _Origin(
        None,
        None,
        "",
        _("“%(text)s” is not a UK postcode, so results are not in order of distance.") % {"text": raw},
    )


# --- Searching ---------------------------------------------------------------------------------------
#
# SQL here is assembled from constant table names, placeholders and WHERE clauses Django compiled;
# every value is a parameter.

SERVICE_TABLE = "directory_service"
# Up to this many matches, relevance or distance is worked out for all of them at once.
ALL_AT_ONCE_UP_TO = 1500
# Listing by name walks the name index when at least this many services match.
NAME_INDEX_FROM = 1000
NEARBY_RADII_KM = (0.5, 1.5, 4.0, 12.0)
_CHUNK = 2000


@dataclass(frozen=True)
class _Sql:
    """A piece of SQL with its parameters."""

    sql: str
    params: tuple[Any, ...] = ()


def _where_clause(queryset: QuerySet[Service]) -> _Sql | None:
    """The queryset's conditions as SQL on ``directory_service``; None when it can match nothing."""
    query = queryset.query
    if len(query.alias_map) > 1 or query.distinct or query.is_sliced or query.combinator:
        # Joins (or anything unusual) cannot be lifted out as a WHERE clause: use it as a subquery.
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        return _Sql(f"{SERVICE_TABLE}.id IN ({sql})", tuple(params))
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return _Sql("1 = 1")
    return _Sql(f"({sql})", tuple(params))


class _Key(NamedTuple):
    """How matches are ordered after distance: every word in the name first, then rank, name and id."""

    not_in_title: bool
    rank: float
    name: str
    pk: int


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _names(ids: Sequence[int]) -> list[tuple[int, str]]:
    return list(Service.objects.filter(pk__in=ids).values_list("pk", "name"))


def _rows(sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


class _Index:
    """Questions to the engine's search index: an expression of words (prefixes) and markers, and
    optionally SQL the matching services must also satisfy (``restriction``: ids IN a subquery)."""

    def __init__(self, words: list[str], markers: list[str], restriction: _Sql | None) -> None:
        self.words = words
        self.markers = markers
        self.restriction = restriction
        self.postgres = connection.vendor == "postgresql"

    def expression(self, part: str = "all") -> str:
        """ "all" matches; "title" those with every word in the name; "rest" the others."""
        if self.postgres:
            words = [f"'{word}':*" for word in self.words]
            title = [f"'{word}':*A" for word in self.words]
            markers = [f"'{marker}'" for marker in self.markers]
            if part == "title":
                return " & ".join(title + markers)
            everything = " & ".join(words + markers)
            return f"({everything}) & !({' & '.join(title)})" if part == "rest" else everything
        words_sql = " AND ".join(f'"{word}"*' for word in self.words)
        everything = " AND ".join(([f"({words_sql})"] if words_sql else []) + self.markers)
        if part == "title":
            return " AND ".join([f"{{title}} : ({words_sql})", *self.markers])
        return f"({everything}) NOT {{title}} : ({words_sql})" if part == "rest" else everything

    def _restricted(self, column: str) -> tuple[str, tuple[Any, ...]]:
        if self.restriction is None:
            return "", ()
        # The unary plus stops SQLite from looking the subquery's ids up one by one in the index.
        plus = "" if self.postgres else "+"
        return f" AND {plus}{column} IN ({self.restriction.sql})", self.restriction.params

    def count(self, part: str = "all") -> int:
        if self.postgres:
            extra, params = self._restricted(f"{SERVICE_TABLE}.id")
            sql = f"SELECT COUNT(*) FROM {SERVICE_TABLE} WHERE search_vector @@ %s::tsquery{extra}"  # noqa: S608
        else:
            extra, params = self._restricted("rowid")
            sql = f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{extra}"  # noqa: S608
        return int(_rows(sql, (self.expression(part), *params))[0][0])

    def page(self, part: str, limit: int, offset: int) -> list[int]:
        """Ids in order of relevance, then name."""
        expression = self.expression(part)
        if self.postgres:
            extra, params = self._restricted(f"{SERVICE_TABLE}.id")
            sql = (
                f"SELECT id FROM {SERVICE_TABLE} WHERE search_vector @@ %s::tsquery{extra}"  # noqa: S608
                " ORDER BY ts_rank(search_vector, %s::tsquery) DESC, name, id LIMIT %s OFFSET %s"
            )
            return [row[0] for row in _rows(sql, (expression, *params, expression, limit, offset))]
        extra, params = self._restricted("rowid")
        sql = (
            f"SELECT m.id FROM (SELECT rowid AS id, bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s{extra}) AS m CROSS JOIN {SERVICE_TABLE} ON {SERVICE_TABLE}.id = m.id"
            f" ORDER BY m.rank, {SERVICE_TABLE}.name, {SERVICE_TABLE}.id LIMIT %s OFFSET %s"
        )
        return [row[0] for row in _rows(sql, (expression, *params, limit, offset))]

    def keys(self, among: Sequence[int] | None = None) -> dict[int, _Key]:
        """The sort key of every match (or of the matches ``among`` the ids given), in one query."""
        expression = self.expression()
        title = self.expression("title") if self.words else ""
        found: dict[int, _Key] = {}
        for chunk in [None] if among is None else _chunks(list(among)):
            # SQLite: "+rowid" makes FTS5 scan the matches once rather than look each id up (slow for
            # common words); bm25 is still only worked out for the rows that pass.
            within = f" AND {{column}} IN ({', '.join(['%s'] * len(chunk))})" if chunk is not None else ""
            if self.postgres:
                extra, params = self._restricted(f"{SERVICE_TABLE}.id")
                in_title = "search_vector @@ %s::tsquery" if title else "TRUE"
                sql = (
                    f"SELECT id, {in_title}, -ts_rank(search_vector, %s::tsquery), name"  # noqa: S608
                    f" FROM {SERVICE_TABLE} WHERE search_vector @@ %s::tsquery{extra}{within.format(column='id')}"
                )
                values: tuple[Any, ...] = (*([title] if title else []), expression, expression, *params)
                rows = [
                    (pk, bool(named), rank, name) for pk, named, rank, name in _rows(sql, (*values, *(chunk or ())))
                ]
            else:
                extra, params = self._restricted("rowid")
                sql = (
                    f"SELECT m.id, m.title, m.rank, {SERVICE_TABLE}.name FROM (SELECT rowid AS id, title,"  # noqa: S608
                    f" bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{extra}"
                    f"{within.format(column='+rowid')}) AS m CROSS JOIN {SERVICE_TABLE} ON {SERVICE_TABLE}.id = m.id"
                )
                rows = [
                    (pk, self._all_in(title_words), rank, name)
                    for pk, title_words, rank, name in _rows(sql, (expression, *params, *(chunk or ())))
                ]
            found.update((pk, _Key(not named, rank, name, pk)) for pk, named, rank, name in rows)
        return found

    def _all_in(self, title: str) -> bool:
        """Whether every word starts a word of the title, as the index's title match decides."""
        title_words = title.split()
        return all(any(word.startswith(prefix) for word in title_words) for prefix in self.words)

    def members(self, among: Sequence[int]) -> set[int]:
        """Which of the ids match, in one pass over the matches."""
        column = f"{SERVICE_TABLE}.id" if self.postgres else "+rowid"
        extra, params = self._restricted(f"{SERVICE_TABLE}.id" if self.postgres else "rowid")
        found: set[int] = set()
        for chunk in _chunks(list(among)):
            if self.postgres:
                sql = f"SELECT id FROM {SERVICE_TABLE} WHERE search_vector @@ %s::tsquery{extra}"  # noqa: S608
            else:
                sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{extra}"  # noqa: S608
            sql += f" AND {column} IN ({', '.join(['%s'] * len(chunk))})"
            found.update(row[0] for row in _rows(sql, (self.expression(), *params, *chunk)))
        return found


class _Plan:
    """One search, ready to count and page: what the index answers, what SQL answers, and the order."""

    def __init__(
        self, queryset: QuerySet[Service], filters: SearchFilters, words: list[str], origin: _Origin, now: datetime
    ) -> None:
        self.words = words
        self.origin = origin
        # The whole search in SQL: the reference the index agrees with, used to list by name.
        self.matches = apply_filters(queryset, filters, now)
        self.empty = _where_clause(self.matches) is None
        markers, rest = _index_filters(filters)
        where = _where_clause(queryset)
        base: QuerySet[Service] = queryset
        if where is not None and where == _where_clause(Service.objects.visible_to(None)):
            markers.append(search_index.PUBLIC_MARKER)
            base = Service.objects.all()
        elif where is not None and where.sql == "1 = 1":
            base = Service.objects.all()
        remaining = apply_filters(base, rest, now)
        restricted = _where_clause(remaining)
        restriction = None
        if restricted is not None and restricted.sql != "1 = 1":
            sql, params = remaining.order_by().values("pk").query.sql_with_params()
            restriction = _Sql(sql, tuple(params))
        self.index = _Index(words, markers, restriction) if words or markers else None

    def count(self) -> int:
        if self.empty:
            return 0
        return self.index.count() if self.index else self.matches.count()

    def page(self, offset: int, limit: int, total: int) -> list[tuple[int, float | None]]:
        """(service id, squared distance or None) for the services in places offset to offset + limit."""
        if self.empty or limit <= 0:
            return []
        if self.origin.latitude is not None:
            return self._by_distance(offset, limit, total)
        if self.words and self.index:
            return [(pk, None) for pk in self._by_relevance(offset, limit, total)]
        return [(pk, None) for pk in self._by_name(offset, limit, total)]

    # Relevance: services with every word in their name first, each group by rank, then name.

    def _by_relevance(self, offset: int, limit: int, total: int) -> list[int]:
        assert self.index is not None
        if total <= ALL_AT_ONCE_UP_TO:
            keys = self.index.keys()
            return sorted(keys, key=keys.__getitem__)[offset : offset + limit]
        in_title = self.index.count("title")
        ids = self.index.page("title", limit, offset) if offset < in_title else []
        if len(ids) < limit:
            ids += self.index.page("rest", limit - len(ids), max(0, offset - in_title))
        return ids

    def _keys(self, among: Sequence[int] | None = None) -> dict[int, _Key]:
        """Sort keys of the matches (among some ids): by relevance when words were typed, else by name."""
        if self.index is not None and (self.words or among is None):
            keys = self.index.keys(among)
            return keys if self.words else {pk: key._replace(rank=0.0) for pk, key in keys.items()}
        if among is None:
            rows = list(self.matches.values_list("pk", "name"))
        else:
            rows = [
                row
                for chunk in _chunks(list(among))
                for row in self.matches.filter(pk__in=chunk).values_list("pk", "name")
            ]
        found = {pk: _Key(False, 0.0, name, pk) for pk, name in rows}
        return found

    # Name: walk the name index when many match, sort the few otherwise.

    def _by_name(self, offset: int, limit: int, total: int) -> list[int]:
        if total >= NAME_INDEX_FROM or self.index is None:
            where = _where_clause(self.matches)
            assert where is not None
            hint = " INDEXED BY service_name_idx" if connection.vendor == "sqlite" and total >= NAME_INDEX_FROM else ""
            sql = (
                f"SELECT id FROM {SERVICE_TABLE}{hint} WHERE {where.sql}"  # noqa: S608
                " ORDER BY name, id LIMIT %s OFFSET %s"
            )
            return [row[0] for row in _rows(sql, (*where.params, limit, offset))]
        keys = self.index.keys()
        return sorted(keys, key=lambda pk: (keys[pk].name, pk))[offset : offset + limit]

    # Distance: nearest public point first, then relevance, then name.

    def _by_distance(self, offset: int, limit: int, total: int) -> list[tuple[int, float | None]]:
        if total > ALL_AT_ONCE_UP_TO:
            nearby = self._nearby(offset, limit)
            if nearby is not None:
                return nearby
        keys = self._keys()
        ids = list(keys)
        distances = self._distances(ids)
        ordered = sorted(ids, key=lambda pk: (pk not in distances, distances.get(pk, 0.0), keys[pk]))
        return [(pk, distances.get(pk)) for pk in ordered[offset : offset + limit]]

    def _nearby(self, offset: int, limit: int) -> list[tuple[int, float | None]] | None:
        """The page from services near the origin, widening the circle until it holds the page; None
        if even the widest does not (then every match is measured)."""
        latitude, longitude = self.origin.latitude, self.origin.longitude
        assert latitude is not None and longitude is not None
        wanted = offset + limit
        scale = math.cos(math.radians(latitude))
        for radius_km in NEARBY_RADII_KM:
            half_height = radius_km / KM_PER_DEGREE
            half_width = half_height / max(scale, 0.01)
            distance = self._distance_sql()
            rows = _rows(
                f"SELECT sal.service_id, MIN({distance.sql}) FROM directory_location l"  # noqa: S608
                " JOIN directory_serviceatlocation sal ON sal.location_id = l.id"
                " WHERE l.public_latitude BETWEEN %s AND %s AND l.public_longitude BETWEEN %s AND %s"
                " GROUP BY sal.service_id",
                (
                    *distance.params,
                    latitude - half_height,
                    latitude + half_height,
                    longitude - half_width,
                    longitude + half_width,
                ),
            )
            within = {pk: squared for pk, squared in rows if squared <= half_height * half_height}
            matched = self._members(list(within))
            if len(matched) < wanted:
                continue
            ordered = sorted(matched, key=within.__getitem__)
            # Everything as near as the last one on the page, so ties are settled by relevance and name.
            cut = within[ordered[wanted - 1]]
            near = [pk for pk in ordered if within[pk] <= cut]
            keys = self._keys(near)
            near.sort(key=lambda pk: (within[pk], keys[pk]))
            return [(pk, within[pk]) for pk in near[offset:wanted]]
        return None

    def _members(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        if self.index is not None:
            return self.index.members(ids)
        found: set[int] = set()
        for chunk in _chunks(ids):
            found.update(self.matches.filter(pk__in=chunk).values_list("pk", flat=True))
        return found

    def _distance_sql(self) -> _Sql:
        """Squared distance (in degrees of latitude) from the origin to location ``l``'s public point."""
        latitude, longitude = self.origin.latitude, self.origin.longitude
        scale = math.cos(math.radians(latitude or 0.0)) ** 2
        return _Sql(
            "(l.public_latitude - %s) * (l.public_latitude - %s)"
            " + (l.public_longitude - %s) * (l.public_longitude - %s) * %s",
            (latitude, latitude, longitude, longitude, scale),
        )

    def _distances(self, ids: list[int]) -> dict[int, float]:
        distance = self._distance_sql()
        found: dict[int, float] = {}
        for chunk in _chunks(ids):
            found.update(
                _rows(
                    f"SELECT sal.service_id, MIN({distance.sql}) FROM directory_serviceatlocation sal"  # noqa: S608
                    " JOIN directory_location l ON l.id = sal.location_id"
                    f" WHERE l.public_latitude IS NOT NULL AND sal.service_id IN ({', '.join(['%s'] * len(chunk))})"
                    " GROUP BY sal.service_id",
                    (*distance.params, *chunk),
                )
            )
        return found


def _index_filters(filters: SearchFilters) -> tuple[list[str], SearchFilters]:
    """The filters the index answers, as markers, and what is left for SQL."""
    markers = []
    if filters.need is not None:
        markers.append(search_index.need_marker(filters.need.pk))
    if filters.taxonomy is not None:
        markers.append(search_index.taxonomy_marker(filters.taxonomy.pk))
    if filters.language is not None:
        markers.append(search_index.language_marker(filters.language.pk))
    if filters.community is not None:
        markers.append(search_index.community_marker(filters.community.pk))
    if filters.ward is not None:
        markers.append(search_index.ward_marker(filters.ward.pk))
    if filters.referral:
        if filters.referral not in search_index.REFERRAL_MARKERS:
            raise ValueError(f"Unknown referral route {filters.referral!r}.")
        markers.append(search_index.REFERRAL_MARKERS[filters.referral])
    if filters.free:
        markers.append(search_index.FREE_MARKER)
    rest = replace(
        SearchFilters(),
        open_now=filters.open_now,
        minimum_age=filters.minimum_age,
        maximum_age=filters.maximum_age,
        day=filters.day,
        start_time=filters.start_time,
        end_time=filters.end_time,
    )
    return markers, rest


class _Hits:
    """The ordered matches, fetched one page at a time (what Django's Paginator slices)."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan

    @cached_property
    def total(self) -> int:
        return self.plan.count()

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list[Service]:
        if not isinstance(key, slice):
            raise TypeError("Search results are read a page at a time.")
        start, stop, _step = key.indices(self.total)
        rows = self.plan.page(start, stop - start, self.total)
        services = (
            Service.objects.filter(pk__in=[row[0] for row in rows])
            .select_related("organisation")
            .prefetch_related("categories", "languages", "communities", "locations", "locations__ward")
            .in_bulk()
        )
        page = []
        for pk, squared in rows:
            service = services[pk]
            service.distance_km = None if squared is None else math.sqrt(squared) * KM_PER_DEGREE  # type: ignore[attr-defined]
            page.append(service)
        return page


@dataclass
class SearchResults:
    """One search: how many services matched, the place distances are from, and its pages."""

    hits: _Hits
    postcode_used: str = ""
    postcode_note: str = ""
    words: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.hits.total

    def page(self, number: int | str | None, per_page: int = 20) -> Page:
        """A page of services (the first when ``number`` is missing or not a number; the last when too high)."""
        return Paginator(self.hits, per_page).get_page(number)  # type: ignore[arg-type]


def search_services(
    queryset: QuerySet[Service],
    *,
    text: str = "",
    filters: SearchFilters | None = None,
    postcode: str = "",
    now: datetime | None = None,
) -> SearchResults:
    """Search ``queryset`` (already what the user may see) by text, filters and distance from a postcode.

    With a place to measure from, results are nearest first, then by relevance; otherwise by
    relevance; with no text, by name. Services with no public location come after the placed ones.
    """
    words = search_words(text)[:MAX_QUERY_WORDS]
    origin = locate(postcode)
    plan = _Plan(queryset, filters or SearchFilters(), words, origin, now or timezone.now())
    return SearchResults(hits=_Hits(plan), postcode_used=origin.used, postcode_note=origin.note, words=words)
