"""Finding services: one text box, filters, distance from a postcode, and pages of results.

The same search finds the same services on SQLite and PostgreSQL by construction: the words typed and
most filters are answered by the search index (see ``search_index``), which holds the same words and
facet markers on both engines; the other conditions (who may see what, opening hours, ages) are SQL.

Relevance puts first the services whose name has every word typed (listed by name), then those whose
name has some of them, then the rest; within those two groups by bm25 on SQLite and ts_rank on
PostgreSQL (so only their order may differ between engines), or by name when a group is too big for
ranking to be worth its cost (more than ``RANK_UP_TO``) or the matches were more than the search was asked
to count.

Distances use the equirectangular approximation, exact enough across a borough and the same
arithmetic on both engines, measured to each service's nearest publicly placeable location (a
district-only location counts at its district's middle; a hidden one not at all).

Searches stay fast on 100,000 services because the index counts the matches and answers the filters ("open
now" too, by half-hour markers, checking in SQL only the few services they leave in doubt: see
``search_filters``), a word typed is looked for as the whole words it begins, each relevance group is read only
as far as the page needs and listed by name the quickest way for its size, and distance ordering looks near the
origin before measuring everything.
"""

# SQL is built here from constant table names, placeholders and WHERE clauses Django compiled;
# every value is a parameter.
# ruff: noqa: S608

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.models import Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.directory import search_index
from waymark.directory.models import Service
from waymark.directory.public import district_centroid
from waymark.directory.search_filters import (
    SearchFilters,
    apply_filters,
    closed_after_all,
    open_during,
    weekday_and_slot,
)
from waymark.directory.search_index import FTS_TABLE, search_words

MAX_QUERY_WORDS = 12
KM_PER_DEGREE = 6371.0088 * math.pi / 180
_DISTRICT_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class _Sql:
    """A piece of SQL with its parameters."""

    sql: str
    params: tuple[Any, ...] = ()


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

SERVICE_TABLE = "directory_service"
# Up to this many matches, relevance is worked out for all of them at once.
ALL_AT_ONCE_UP_TO = 1500
# Up to this many matches, distance is measured to all of them at once; beyond, near the origin first.
MEASURE_ALL_UP_TO = 2500
# Services without every word in their name are ranked (bm25, ts_rank) when there are up to this many;
# beyond that, each group is listed by name, as ranking tens of thousands costs more than it tells.
RANK_UP_TO = 3000
# Listing by name walks the name index when at least this many services match.
NAME_INDEX_FROM = 1000
# ...taking the ids from the search index instead when at most one service in this many matches.
NAME_WALK_BY_INDEX_FRACTION = 10
# On SQLite, up to this many ids known beforehand are looked up in the search index one by one; more are tested
# in one pass over the matches.
LOOK_UP_IDS_UP_TO = 64
# A word typed is looked for as the whole words it begins when there are at most this many (see ``search_index``).
WHOLE_WORDS_UP_TO = 12
# Listing a group by name on SQLite (``_Index._by_name_on_sqlite``): with n services and k wanted, a group of at least
# √(DENSE_GROUP_FACTOR·k·n) is walked asking the index about each service; one of at most √(SMALL_GROUP_FACTOR·k·n)
# is sorted; one between has its ids read, then walked. The factors are ratios of the ways' costs per service.
DENSE_GROUP_FACTOR = 200
SMALL_GROUP_FACTOR = 2
FIRST_RADIUS_KM = 0.05  # the first look around the origin, widened until it holds the page
WIDEST_RADIUS_KM = 25.0
_CHUNK = 2000


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
    """How matches are ordered after distance: every word in the name first, then some words in the
    name, then none; then rank, name and id."""

    group: int
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
    """Questions to the engine's search index: an expression of words (prefixes) and markers, SQL subqueries of
    ids the matches must also be in (``restrictions``), and of ids they must not be in (``exclusions``)."""

    def __init__(
        self,
        words: list[str],
        markers: list[tuple[str, ...]],
        restrictions: list[_Sql],
        exclusions: list[_Sql],
        *,
        public: bool = False,
    ) -> None:
        self.words = words
        self.markers = markers  # each a marker, or markers of which any will do
        self.restrictions = restrictions
        self.exclusions = exclusions  # subqueries of ids the matches must not be in
        self.matches = 1 << 62  # how many match, once counted: no group of them is larger
        self.postgres = connection.vendor == "postgresql"
        # Only what the public may see: the matches leave out the hidden marker rather than require the public
        # one (see ``search_index``); a search with neither words nor other markers is not asked of the index.
        self.public = public

    def expression(self, part: str = "all", *, rank: bool = False) -> str:
        """The index query for the matches ("all"), or for one relevance group of them: "title" (every
        word in the name), "some" (some but not all) or "none" (no word in the name). On PostgreSQL,
        ``rank`` gives the query ts_rank weighs the matches by, which names the public marker instead."""
        if self.postgres:
            markers = [" | ".join(f"'{marker}'" for marker in group) for group in self.markers]
            markers = [f"({group})" if " | " in group else group for group in markers]
            if self.public:
                markers.append(f"'{search_index.PUBLIC_MARKER}'" if rank else f"!'{search_index.HIDDEN_MARKER}'")
            words = " & ".join([f"'{word}':*" for word in self.words] + markers)
            every = " & ".join(f"'{word}':*A" for word in self.words)
            some = " | ".join(f"'{word}':*A" for word in self.words)
            return {
                "all": words,
                "title": f"{words} & ({every})" if self.words else words,
                "some": f"({words}) & !({every}) & ({some})",
                "none": f"({words}) & !({some})",
            }[part]
        every_word = " AND ".join(self._sqlite_words)
        some_word = " OR ".join(self._sqlite_words)
        markers = [f"({' OR '.join(group)})" if len(group) > 1 else group[0] for group in self.markers]
        words = " AND ".join(([f"({every_word})"] if every_word else []) + markers)
        if self.public:
            words = f"({words}) NOT {search_index.HIDDEN_MARKER}"
        return {
            "all": words,
            "title": f"({words}) AND {{title}} : ({every_word})" if self.words else words,
            "some": f"(({words}) NOT {{title}} : ({every_word})) AND {{title}} : ({some_word})",
            "none": f"({words}) NOT {{title}} : ({some_word})",
            # For ids already known to match: only their names need checking, which is far cheaper.
            "name has every word": f"{{title}} : ({every_word})",
            "name has a word": f"{{title}} : ({some_word})",
        }[part]

    @cached_property
    def _sqlite_words(self) -> list[str]:
        """Each word typed, for FTS5: the whole words it begins, or the prefix when it is short (FTS5 keeps those)
        or begins too many words (see ``search_index``)."""
        found = []
        for word in self.words:
            whole = None
            if len(word) > search_index.PREFIX_INDEX_UP_TO:
                whole = search_index.prefixed(word, WHOLE_WORDS_UP_TO)
            if whole is None:
                found.append(f'"{word}"*')
            else:
                found.append(f"({' OR '.join(f'"{term}"' for term in whole)})" if whole else f'"{word}"')
        return found

    def _matching(self, part: str, select: str, among: Sequence[int] | None = None, *, recheck: bool = False) -> _Sql:
        """SELECT ``select`` FROM the matches; on SQLite the row is the FTS5 row (rowid = service id).
        Ids ``among`` are known to meet the restrictions already, so those are not checked again
        unless ``recheck`` says they may not."""
        conditions: list[str] = []
        params: list[Any] = [self.expression(part)]
        # SQLite: the unary plus makes FTS5 pass over its matches once and test each id, instead of
        # looking every id up in the index (slow for common words). bm25 is still only worked out
        # for the rows that pass.
        column = f"{SERVICE_TABLE}.id" if self.postgres else "+rowid"
        for restriction in self.restrictions if among is None or recheck else []:
            conditions.append(f"{column} IN ({restriction.sql})")
            params += restriction.params
        for exclusion in self.exclusions if among is None or recheck else []:
            conditions.append(f"{column} NOT IN ({exclusion.sql})")
            params += exclusion.params
        if among is not None and not self.postgres and len(among) > LOOK_UP_IDS_UP_TO:
            # Many ids go as one value, so one pass over the matches tests them all.
            conditions.append(f"{column} IN (SELECT value FROM json_each(%s))")
            params.append(json.dumps(list(among)))
        elif among is not None:
            # A few ids are quicker looked up one by one, unless FTS5 would work out a rank for each afresh or
            # look past each for the next match in the name (a part that asks about names).
            seek = not self.postgres and part == "all" and "bm25" not in select
            conditions.append(f"{'rowid' if seek else column} IN ({', '.join(['%s'] * len(among))})")
            params += among
        where = "".join(f" AND {condition}" for condition in conditions)
        if self.postgres:
            sql = f"SELECT {select} FROM {SERVICE_TABLE} WHERE search_vector @@ %s::tsquery{where}"
        else:
            sql = f"SELECT {select} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{where}"
        return _Sql(sql, tuple(params))

    def _batches(self, ids: Iterable[int]) -> Iterable[Sequence[int]]:
        """Ids to ask about at once: all of them on SQLite (one value), a chunk at a time on PostgreSQL."""
        return _chunks(list(ids)) if self.postgres else [list(ids)]

    def count(self, part: str = "all", *, up_to: int | None = None) -> int:
        """How many match; with ``up_to``, counted no further than that."""
        if up_to is None:
            query = self._matching(part, "COUNT(*)")
            return int(_rows(query.sql, query.params)[0][0])
        query = self._matching(part, "1")
        return int(_rows(f"SELECT COUNT(*) FROM ({query.sql} LIMIT %s) AS m", (*query.params, up_to))[0][0])

    def ids(
        self, part: str = "all", among: Sequence[int] | None = None, *, recheck: bool = False, limit: int | None = None
    ) -> set[int]:
        """The matching ids (of those ``among`` the ids given, if any); with ``limit``, at most that many."""
        found: set[int] = set()
        for chunk in [None] if among is None else self._batches(among):
            query = self._matching(part, "id" if self.postgres else "rowid", chunk, recheck=recheck)
            sql, params = query.sql, query.params
            if limit is not None:
                sql, params = f"{sql} LIMIT %s", (*params, limit)
            found.update(row[0] for row in _rows(sql, params))
        return found

    def page(self, part: str, limit: int, offset: int, *, ranked: bool) -> list[int]:
        """Ids of one group of matches, by rank then name, or by name alone (walking the name index)."""
        if not ranked and self.postgres:
            query = self._matching(part, "id")
            sql = f"SELECT id FROM {SERVICE_TABLE} WHERE id IN ({query.sql}) ORDER BY name, id LIMIT %s OFFSET %s"
            return [row[0] for row in _rows(sql, (*query.params, limit, offset))]
        if not ranked:
            return self._by_name_on_sqlite(part, limit, offset)
        if self.postgres:
            query = self._matching(part, "id")
            sql = f"{query.sql} ORDER BY ts_rank(search_vector, %s::tsquery) DESC, name, id LIMIT %s OFFSET %s"
            return [row[0] for row in _rows(sql, (*query.params, self.expression(part, rank=True), limit, offset))]
        query = self._matching(part, f"rowid AS id, bm25({FTS_TABLE}) AS rank")
        sql = (
            f"SELECT m.id FROM ({query.sql}) AS m CROSS JOIN {SERVICE_TABLE} ON {SERVICE_TABLE}.id = m.id"
            f" ORDER BY m.rank, {SERVICE_TABLE}.name, {SERVICE_TABLE}.id LIMIT %s OFFSET %s"
        )
        return [row[0] for row in _rows(sql, (*query.params, limit, offset))]

    def _by_name_on_sqlite(self, part: str, limit: int, offset: int) -> list[int]:
        """A page of one group by name, the quickest of three ways for the group's size (counted only as far as
        the choice needs): a dense group walks the name index asking the index about each service in turn; a
        middling one reads the group's ids, then walks the name index for them; a small one (or an empty one,
        for which a walk would read every name) is sorted. Each way's cost is roughly in proportion to what the
        constants below weigh."""
        wanted, services = offset + limit, _services_upper_bound()
        dense_from = math.isqrt(DENSE_GROUP_FACTOR * wanted * services) + 1
        small_up_to = math.isqrt(SMALL_GROUP_FACTOR * wanted * services)
        # No group is larger than all the matches: when they are fewer than a dense group, count only as far
        # as telling a small group from a middling one.
        size = self.count(part, up_to=dense_from if self.matches >= dense_from else small_up_to + 1)
        if size == 0:
            return []
        if size >= dense_from:
            query = self._matching(part, "1")
            sql = (
                f"SELECT id FROM {SERVICE_TABLE} INDEXED BY service_name_idx WHERE EXISTS ({query.sql}"
                f" AND rowid = {SERVICE_TABLE}.id) ORDER BY name, id LIMIT %s OFFSET %s"
            )
        else:
            query = self._matching(part, "rowid")
            walk = size > small_up_to
            order = f"{SERVICE_TABLE}{' INDEXED BY service_name_idx' if walk else ''} WHERE id IN ({query.sql})"
            sql = f"SELECT id FROM {order} ORDER BY {'name' if walk else '+name'}, id LIMIT %s OFFSET %s"
        return [row[0] for row in _rows(sql, (*query.params, limit, offset))]

    def keys(self, among: Sequence[int] | None = None) -> dict[int, _Key]:
        """The sort key of every match (or of the matches ``among`` the ids given)."""
        found: dict[int, _Key] = {}
        for chunk in [None] if among is None else self._batches(among):
            if self.postgres:
                select = (
                    "id, search_vector @@ %s::tsquery, search_vector @@ %s::tsquery,"
                    " -ts_rank(search_vector, %s::tsquery), name"
                )
                query = self._matching("all", select, chunk)
                every = " & ".join(f"'{word}':*A" for word in self.words)
                some = " | ".join(f"'{word}':*A" for word in self.words)
                rows = _rows(query.sql, (every, some, self.expression(rank=True), *query.params))
                found.update(
                    (pk, _key(0 if all_in else 1 if some_in else 2, rank, name, pk))
                    for pk, all_in, some_in, rank, name in rows
                )
                continue
            # The groups come from two more index queries on the ids found: reading each match's
            # title back from FTS5 would cost far more.
            query = self._matching("all", f"rowid AS id, bm25({FTS_TABLE}) AS rank", chunk)
            sql = (
                f"SELECT m.id, m.rank, {SERVICE_TABLE}.name FROM ({query.sql}) AS m"
                f" CROSS JOIN {SERVICE_TABLE} ON {SERVICE_TABLE}.id = m.id"
            )
            rows = _rows(sql, query.params)
            ids = [row[0] for row in rows]
            in_title = self.ids("name has every word", ids)
            in_some = self.ids("name has a word", ids) if len(self.words) > 1 else set()
            found.update(
                (pk, _key(0 if pk in in_title else 1 if pk in in_some else 2, rank, name, pk))
                for pk, rank, name in rows
            )
        return found


def _key(group: int, rank: float, name: str, pk: int) -> _Key:
    """Every word in the name: by name; otherwise by rank, then name."""
    return _Key(group, 0.0 if group == 0 else rank, name, pk)


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
        markers = _markers(filters, now)
        restrictions = _restrictions(filters, now)
        exclusions = [_Sql(*closed_after_all(now))] if filters.open_now else []
        # Open now is answered by the index and a check of a few services; the same question in SQL reads every
        # service open now, so the index is asked even when the SQL conditions would otherwise be quicker.
        self.index_decides = bool(words) or filters.open_now
        where = _where_clause(queryset)
        public = where is not None and where == _where_clause(Service.objects.visible_to(None))
        if where is not None and not public and where.sql != "1 = 1":
            restrictions.append(_subquery(queryset.values("pk")))
        # Searches with neither words nor filters the index answers are plain SQL: the index would only
        # be asked for (nearly) every public service.
        self.index = _Index(words, markers, restrictions, exclusions, public=public) if words or markers else None
        # Every service the public may see, unfiltered (say, distance from a postcode alone).
        self.everything_public = public and self.index is None and not restrictions

    @cached_property
    def all_ids(self) -> set[int]:
        """Every service the index (and its restrictions) match, worked out once when needed."""
        assert self.index is not None
        return self.index.ids()

    def count(self, up_to: int | None = None) -> int:
        """How many match; with ``up_to``, counted no further than one more than that where counting is the cost."""
        if self.empty:
            return 0
        if self.index is None:
            if self.everything_public and connection.vendor == "sqlite":
                return _public_count()
            return self.matches.count() if up_to is None else self.matches.order_by()[: up_to + 1].count()
        if self.index.restrictions and (self.words or self.origin.latitude is not None):
            # The ids are needed anyway: fetching them once checks the restrictions only once.
            return len(self.all_ids)
        if self.origin.latitude is not None:
            # Few enough matches are all measured, which needs their ids: read them, as many as that at most,
            # and count them only if there are more.
            ids = self.index.ids(limit=MEASURE_ALL_UP_TO + 1)
            if len(ids) <= MEASURE_ALL_UP_TO:
                self.__dict__["all_ids"] = ids
                return len(ids)
        return self.index.count(up_to=None if up_to is None else up_to + 1)

    def page(self, offset: int, limit: int, total: int) -> list[tuple[int, float | None]]:
        """(service id, squared distance or None) for the services in places offset to offset + limit."""
        if self.empty or limit <= 0:
            return []
        if self.index is not None:
            self.index.matches = total
        if self.origin.latitude is not None:
            return self._by_distance(offset, limit, total)
        if self.words and self.index:
            return [(pk, None) for pk in self._by_relevance(offset, limit, total)]
        return [(pk, None) for pk in self._by_name(offset, limit, total)]

    def _keys(self, ids: Sequence[int]) -> dict[int, _Key]:
        """Sort keys of matching ids: relevance when words were typed, else name alone."""
        if self.index is not None and self.words:
            return self.index.keys(ids)
        return {pk: _Key(0, 0.0, name, pk) for chunk in _chunks(list(ids)) for pk, name in _names(chunk)}

    def _by_relevance(self, offset: int, limit: int, total: int) -> list[int]:
        assert self.index is not None
        if total <= ALL_AT_ONCE_UP_TO:
            keys = self.index.keys(sorted(self.all_ids)) if self.index.restrictions else self.index.keys()
            return sorted(keys, key=keys.__getitem__)[offset : offset + limit]
        # Each group is read only as far as the page needs, and counted only when the page runs past
        # it: a group that ends within the page gives its own size (its first page of all does too).
        ids: list[int] = []
        start = offset
        in_title = self._group("title", ids, limit, start, ranked=False)
        if len(ids) >= limit:
            return ids
        rest = total - in_title
        ranked = rest <= RANK_UP_TO
        start = max(0, start - in_title)
        some = self._group("some", ids, limit, start, ranked=ranked) if len(self.words) > 1 and rest else 0
        if len(ids) >= limit:
            return ids
        start = max(0, start - some)
        if start < rest - some:
            ids += self.index.page("none", limit - len(ids), start, ranked=ranked)
        return ids

    def _group(self, part: str, ids: list[int], limit: int, start: int, *, ranked: bool) -> int:
        """Add one relevance group's share of the page to ``ids`` (from place ``start`` in the group);
        return the group's size, counting it only when what was read does not tell."""
        assert self.index is not None
        found = self.index.page(part, limit - len(ids), start, ranked=ranked)
        ids += found
        if len(ids) >= limit:
            return start + len(found)  # the group goes on past the page; its size is not needed
        if found or start == 0:
            return start + len(found)
        return self.index.count(part)

    def _by_name(self, offset: int, limit: int, total: int) -> list[int]:
        if self.index is not None and total < NAME_INDEX_FROM:
            ids = sorted(self.all_ids)
            names = dict(row for chunk in _chunks(ids) for row in _names(chunk))
            return sorted(ids, key=lambda pk: (names[pk], pk))[offset : offset + limit]
        if self.index is not None and (
            self.index_decides or total * NAME_WALK_BY_INDEX_FRACTION <= _services_upper_bound()
        ):
            # A small share of the services (or open now): their ids from the index beat testing each name in turn.
            return self.index.page("all", limit, offset, ranked=False)
        where = _where_clause(self.matches)
        assert where is not None
        hint = " INDEXED BY service_name_idx" if connection.vendor == "sqlite" and total >= NAME_INDEX_FROM else ""
        sql = f"SELECT id FROM {SERVICE_TABLE}{hint} WHERE {where.sql} ORDER BY name, id LIMIT %s OFFSET %s"
        return [row[0] for row in _rows(sql, (*where.params, limit, offset))]

    # Distance: nearest public point first, then relevance, then name.

    def _by_distance(self, offset: int, limit: int, total: int) -> list[tuple[int, float | None]]:
        if total > MEASURE_ALL_UP_TO:
            nearby = self._nearby(offset, limit)
            if nearby is not None:
                return nearby
        ids = sorted(self.all_ids) if self.index is not None else list(self.matches.values_list("pk", flat=True))
        distances = self._distances(ids)
        return self._in_order(ids, distances, offset, limit)

    def _in_order(
        self, ids: Sequence[int], distances: dict[int, float], offset: int, limit: int
    ) -> list[tuple[int, float | None]]:
        """Places offset to offset + limit, nearest first (those with no public place last), ties settled
        by relevance then name. Only the ties that reach into the page are looked up."""
        by_distance: dict[float | None, list[int]] = defaultdict(list)
        for pk in ids:
            by_distance[distances.get(pk)].append(pk)
        groups = [by_distance[d] for d in sorted(by_distance, key=lambda d: (d is None, d or 0.0))]
        tied, start = [], 0
        for group in groups:
            if start < offset + limit and start + len(group) > offset and len(group) > 1:
                tied += group
            start += len(group)
        keys = self._keys(tied) if tied else {}
        ordered: list[tuple[int, float | None]] = []
        for group in groups:
            if len(ordered) >= offset + limit:
                break
            group.sort(key=lambda pk: keys.get(pk) or _Key(0, 0.0, "", pk))
            ordered += [(pk, distances.get(pk)) for pk in group]
        return ordered[offset : offset + limit]

    def _nearby(self, offset: int, limit: int) -> list[tuple[int, float | None]] | None:
        """The page from services near the origin, widening the circle until it holds the page; None
        if even the widest does not (then every match is measured)."""
        latitude, longitude = self.origin.latitude, self.origin.longitude
        assert latitude is not None and longitude is not None
        wanted = offset + limit
        scale = math.cos(math.radians(latitude))
        distance = self._distance_sql()
        # Without words (or "open now"), the service's own conditions go into the same query; otherwise the
        # index says which of the services near the origin match.
        conditions = None if self.index_decides else _where_clause(self.matches)
        join = f" JOIN {SERVICE_TABLE} ON {SERVICE_TABLE}.id = sal.service_id" if conditions else ""
        radius_km = FIRST_RADIUS_KM
        while radius_km <= WIDEST_RADIUS_KM:
            half_height = radius_km / KM_PER_DEGREE
            half_width = half_height / max(scale, 0.01)
            rows = _rows(
                f"SELECT sal.service_id, MIN({distance.sql}) FROM directory_location l"
                f" JOIN directory_serviceatlocation sal ON sal.location_id = l.id{join}"
                " WHERE l.public_latitude BETWEEN %s AND %s AND l.public_longitude BETWEEN %s AND %s"
                f"{' AND ' + conditions.sql if conditions else ''} GROUP BY sal.service_id",
                (
                    *distance.params,
                    latitude - half_height,
                    latitude + half_height,
                    longitude - half_width,
                    longitude + half_width,
                    *(conditions.params if conditions else ()),
                ),
            )
            within = {pk: squared for pk, squared in rows if squared <= half_height * half_height}
            matched = self._matches_among(within) if self.index_decides else set(within)
            if len(matched) >= wanted:
                ordered = sorted(matched, key=within.__getitem__)
                # Everything as near as the last one on the page, so ties are settled by relevance and name.
                cut = within[ordered[wanted - 1]]
                near = [pk for pk in ordered if within[pk] <= cut]
                return self._in_order(near, within, offset, limit)
            # Widen so the circle should hold the page, judging by how many matched in this one.
            radius_km *= min(4.0, max(1.5, 1.2 * math.sqrt(wanted / max(len(matched), 1))))
        return None

    def _matches_among(self, ids: Iterable[int]) -> set[int]:
        """Which of these ids match: from every match's id when those are known, otherwise by asking the
        index about these alone (far cheaper than listing every match of a common word)."""
        assert self.index is not None
        if "all_ids" in self.__dict__:
            return self.all_ids.intersection(ids)
        return self.index.ids(among=sorted(ids), recheck=True)

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
            placeholders = ", ".join(["%s"] * len(chunk))
            found.update(
                _rows(
                    f"SELECT sal.service_id, MIN({distance.sql}) FROM directory_serviceatlocation sal"
                    " JOIN directory_location l ON l.id = sal.location_id"
                    f" WHERE l.public_latitude IS NOT NULL AND sal.service_id IN ({placeholders})"
                    " GROUP BY sal.service_id",
                    (*distance.params, *chunk),
                )
            )
        return found


def _services_upper_bound() -> int:
    """At least the number of services (the highest id), read from the primary key in an instant."""
    return int(_rows(f"SELECT COALESCE(MAX(id), 0) FROM {SERVICE_TABLE}", ())[0][0])


def _public_count() -> int:
    """How many services the public may see, on SQLite: every service less those the index marks hidden.
    Counting all of a table's rows is quick, and the hidden ones are few, unlike the public ones."""
    hidden = f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    rows = _rows(f"SELECT (SELECT COUNT(*) FROM {SERVICE_TABLE}) - ({hidden})", (search_index.HIDDEN_MARKER,))
    return int(rows[0][0])


def _subquery(values: QuerySet[Any]) -> _Sql:
    sql, params = values.order_by().query.sql_with_params()
    return _Sql(sql, tuple(params))


def _markers(filters: SearchFilters, now: datetime) -> list[tuple[str, ...]]:
    """The filters the index answers, as its marker words (several in one entry when any of them will do)."""
    markers: list[str | tuple[str, ...]] = []
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
    if filters.open_now:
        weekday, slot = weekday_and_slot(now)
        open_then = search_index.open_marker(weekday, slot), search_index.partly_open_marker(weekday, slot)
        markers.append((*open_then, search_index.SPECIAL_HOURS_MARKER))
    return [marker if isinstance(marker, tuple) else (marker,) for marker in markers]


def _restrictions(filters: SearchFilters, now: datetime) -> list[_Sql]:
    """The filters the index cannot answer (days and times, ages), as subqueries of service ids."""
    found = []
    if filters.day or filters.start_time or filters.end_time:
        found.append(_subquery(open_during(filters)))
    if filters.minimum_age is not None or filters.maximum_age is not None:
        ages = SearchFilters(minimum_age=filters.minimum_age, maximum_age=filters.maximum_age)
        found.append(_subquery(apply_filters(Service.objects.all(), ages, timezone.now()).values("pk")))
    return found


# What the plan takes the number of matches for when they were not all counted.
UNCOUNTED = 1 << 62
# What a list of results (the search page, the map, the API's ids) reads of each service.
RESULT_FIELDS = ("uuid", "name", "description", "status", "is_free", "interpreter_available", "organisation__name")


class _Hits:
    """The ordered matches, fetched one page at a time (what Django's Paginator slices)."""

    def __init__(self, plan: _Plan, count_up_to: int | None = None) -> None:
        self.plan = plan
        self.count_up_to = count_up_to

    @cached_property
    def counted(self) -> int:
        return self.plan.count(self.count_up_to)

    @property
    def more_than(self) -> bool:
        """Whether more matched than were counted (the total is then the most counted)."""
        return self.count_up_to is not None and self.counted > self.count_up_to

    @property
    def total(self) -> int:
        if self.count_up_to is not None and self.counted > self.count_up_to:
            return self.count_up_to
        return self.counted

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list[Service]:
        if not isinstance(key, slice):
            raise TypeError("Search results are read a page at a time.")
        start, stop, _step = key.indices(self.total)
        # Past the count, the plan takes the matches for as many as could be (the strategies for many).
        rows = self.plan.page(start, stop - start, UNCOUNTED if self.more_than else self.total)
        # What else a page shows (needs, languages, places) differs by caller: each prefetches its own. Only the
        # fields a list of results shows are read (the index's words, the longest column, never).
        found = Service.objects.filter(pk__in=[row[0] for row in rows]).only(*RESULT_FIELDS)
        services = found.select_related("organisation").in_bulk()
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
    origin: tuple[float, float] | None = None  # (longitude, latitude) distances are measured from, if any

    @property
    def total(self) -> int:
        return self.hits.total

    @property
    def more_than(self) -> bool:
        """Whether more than ``total`` matched (the search was asked to count no further)."""
        return self.hits.more_than

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
    count_up_to: int | None = None,
) -> SearchResults:
    """Search ``queryset`` (already what the user may see) by text, filters and distance from a postcode.

    With a place to measure from, results are nearest first, then by relevance; otherwise by
    relevance; with no text, by name. Services with no public location come after the placed ones.
    With ``count_up_to``, matches are counted no further than that (``SearchResults.more_than`` says
    whether there were more): counting every match of a common word costs more than the rest of a page.
    """
    words = search_words(text)[:MAX_QUERY_WORDS]
    origin = locate(postcode)
    plan = _Plan(queryset, filters or SearchFilters(), words, origin, now or timezone.now())
    point = None if origin.latitude is None or origin.longitude is None else (origin.longitude, origin.latitude)
    return SearchResults(
        hits=_Hits(plan, count_up_to), postcode_used=origin.used, postcode_note=origin.note, words=words, origin=point
    )


def matching_services(
    queryset: QuerySet[Service], *, text: str = "", filters: SearchFilters | None = None, now: datetime | None = None
) -> QuerySet[Service]:
    """Every service of ``queryset`` the search matches, unordered, for listing what hangs off them (the API's
    service_at_locations): the same matches as ``search_services``, with the index's part as a subquery."""
    words = search_words(text)[:MAX_QUERY_WORDS]
    plan = _Plan(queryset, filters or SearchFilters(), words, _Origin(None, None, "", ""), now or timezone.now())
    if plan.empty:
        return queryset.none()
    if plan.index is None:
        return plan.matches
    query = plan.index._matching("all", "id" if plan.index.postgres else "rowid")
    # Constant SQL with placeholders (see the note at the top); every value is a parameter.
    return plan.matches.filter(pk__in=RawSQL(query.sql, query.params))  # noqa: S611
