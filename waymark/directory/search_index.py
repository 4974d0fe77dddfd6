"""The search index: what each service is found by, written identically for SQLite and PostgreSQL.

The text of a service is reduced in Python to plain words: lower case, accents removed, split on
anything that is not a letter, digit or mark, and spelled in ASCII letters and digits only (any other
character becomes ``z`` and its six-digit hex code point, and ``z`` itself ``zz``). Its name and other
name are the *title*; its description, eligibility, organisation, needs (with their parent needs),
languages and communities the *body*. ``Service.search_document`` holds all those words.

The index also holds *facet markers*, one word per filter value that applies to the service:
``zpub`` (the public may see it) or else ``zhid``, ``zfree``, ``zrself``/``zrprof``/``zrgp`` (referral routes),
``zn<id>`` (each need and the needs above it), ``zt<id>`` (taxonomy), ``zl<id>`` (language),
``zc<id>`` (community), ``zw<id>`` (ward of a location with a public address), and the opening hours (below).
Words typed into
the search box can never produce them: after escaping, a typed word has ``z`` only before ``z``,
``0`` or ``1``. So filters are answered by the index itself, which keeps counting fast. On SQLite,
public searches leave out ``zhid`` rather than require ``zpub``: nearly every service has ``zpub``, and
FTS5 reads the whole list of a word it is asked for (and ranks by it), so requiring it cost more than
everything else a search asks.

Opening hours are markers of half-hour slots of the week: ``zo<day><slot>`` when weekly hours cover the whole
slot ("zotu22": Tuesday 11:00 to 11:30), ``zq<day><slot>`` when they cover only part of it, and ``zhx`` when the
service has a holiday exception that opens it at other hours. "Open now" asks the index for the slot's two markers
or ``zhx``, and checks only those services against the hours themselves (``search_filters``): the partly covered slot,
holiday exceptions today, special hours. Reading every service open now from the hours took longer than the rest
of a search.

SQLite: the FTS5 table ``directory_service_fts`` (title, body), and ``directory_service_fts_terms``, every word
it has held (not the markers), so a word typed is looked for as the few whole words it begins (see ``prefixed``):
FTS5 answers a prefix by merging the lists of all the words it begins, and could not then skip through them as it
does through a whole word's list, which made a common word typed in full cost several times its own list.

PostgreSQL: the ``search_vector`` tsvector column, written from a literal (so PostgreSQL's parser never splits a
word again), with the title words weighted A. Both engines' indexes are written here, and only here.
"""

# SQL is built here from constant table names, placeholders and WHERE clauses Django compiled;
# every value is a parameter.
# ruff: noqa: S608

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time

from django.db import connection

from waymark.directory.choices import LocationVisibility
from waymark.directory.models import HolidayException, Schedule, Service, ServiceAtLocation, TaxonomyTerm

FTS_TABLE = "directory_service_fts"
TERMS_TABLE = "directory_service_fts_terms"
PREFIX_INDEX_UP_TO = 3  # FTS5 keeps prefixes of up to this many characters (the table's prefix option)
MAX_WORD_LENGTH = 100  # PostgreSQL refuses lexemes over 2 KB; nobody types a longer word.
_MAX_POSITION = 16383  # the largest word position a tsvector holds
_BATCH = 2000
_REBUILD_SLICE = 10 * _BATCH  # services recomputed and written at a time by rebuild_index
_ASCII_WORD = re.compile(r"[a-z0-9]+")

PUBLIC_MARKER = "zpub"
HIDDEN_MARKER = "zhid"
FREE_MARKER = "zfree"
REFERRAL_MARKERS = {"self": "zrself", "professional": "zrprof", "gp": "zrgp"}
SPECIAL_HOURS_MARKER = "zhx"
SLOT_MINUTES = 30  # opening hours are marked by the half hour
_SLOT_MICROSECONDS = SLOT_MINUTES * 60 * 1_000_000


def need_marker(term_id: int) -> str:
    return f"zn{term_id}"


def taxonomy_marker(taxonomy_id: int) -> str:
    return f"zt{taxonomy_id}"


def language_marker(language_id: int) -> str:
    return f"zl{language_id}"


def community_marker(community_id: int) -> str:
    return f"zc{community_id}"


def ward_marker(ward_id: int) -> str:
    return f"zw{ward_id}"


def open_marker(weekday: str, slot: int) -> str:
    """Open for the whole of this half hour of the week (``weekday`` a BYDAY code, ``slot`` 0 to 47)."""
    return f"zo{weekday.lower()}{slot}"


def partly_open_marker(weekday: str, slot: int) -> str:
    """Open for part of this half hour of the week."""
    return f"zq{weekday.lower()}{slot}"


def _microseconds(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def slot_of(moment: time) -> tuple[int, time, time | None]:
    """The half hour ``moment`` falls in: its number, when it starts, and when it ends (None at midnight)."""
    slot = _microseconds(moment) // _SLOT_MICROSECONDS
    start, end = slot * SLOT_MINUTES, (slot + 1) * SLOT_MINUTES
    return slot, time(start // 60, start % 60), time(end // 60, end % 60) if end < 24 * 60 else None


def opening_markers(hours: Iterable[tuple[str, time, time]]) -> list[str]:
    """The slot markers of weekly hours (weekday, opens, closes): whole slots, then those covered in part."""
    whole: set[tuple[str, int]] = set()
    part: set[tuple[str, int]] = set()
    for weekday, opens, closes in hours:
        start, end = _microseconds(opens), _microseconds(closes)
        for slot in range(start // _SLOT_MICROSECONDS, -(-end // _SLOT_MICROSECONDS)):
            covers = start <= slot * _SLOT_MICROSECONDS and end >= (slot + 1) * _SLOT_MICROSECONDS
            (whole if covers else part).add((weekday, slot))
    return [open_marker(*key) for key in sorted(whole)] + [partly_open_marker(*key) for key in sorted(part - whole)]


# --- Words ---------------------------------------------------------------------------------------------


def _spell(word: str) -> str:
    return "".join("zz" if ch == "z" else ch if ch.isascii() and ch.isalnum() else f"z{ord(ch):06x}" for ch in word)[
        :MAX_WORD_LENGTH
    ]


def search_words(text: str) -> list[str]:
    """The words of ``text`` as the index holds them: "Café-Zürich 2" → ["cafe", "zzurich", "2"]."""
    if not text:
        return []
    if text.isascii():  # the common case, and the same result as the general one below
        return [word.replace("z", "zz")[:MAX_WORD_LENGTH] for word in _ASCII_WORD.findall(text.lower())]
    decomposed = unicodedata.normalize("NFKD", text)
    words: list[str] = []
    current: list[str] = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn":  # accents and other non-spacing marks: "é" matches "e"
            continue
        if category[0] in "LN" or category in ("Mc", "Me"):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [_spell(word.casefold()) for word in words]


def _text(parts: Iterable[str]) -> list[str]:
    return [word for part in parts for word in search_words(part)]


# --- Entries -------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """What the index holds for one service."""

    title: list[str]
    body: list[str]
    markers: list[str]

    @property
    def document(self) -> str:
        return " ".join(self.title + self.body)

    def tsvector(self) -> str:
        """The entry in PostgreSQL's tsvector input syntax, title words weighted A."""
        positions: dict[str, list[str]] = defaultdict(list)
        words = [(word, "A") for word in self.title] + [(word, "") for word in self.body + self.markers]
        for position, (word, weight) in enumerate(words, start=1):
            positions[word].append(f"{min(position, _MAX_POSITION)}{weight}")
        return " ".join(f"'{word}':{','.join(places)}" for word, places in positions.items())


def entries(service_ids: Sequence[int] | None) -> dict[int, Entry]:
    """Index entries for the services (all when None), a few queries per batch of services."""
    services = Service.objects.all() if service_ids is None else Service.objects.filter(pk__in=service_ids)
    rows = list(
        services.values_list(
            "pk",
            "name",
            "alternate_name",
            "description",
            "eligibility_description",
            "organisation__name",
            "is_free",
            "self_referral",
            "professional_referral",
            "gp_referral",
        )
    )
    terms = {
        pk: (parent, taxonomy, name)
        for pk, parent, taxonomy, name in TaxonomyTerm.objects.values_list("pk", "parent_id", "taxonomy_id", "name")
    }
    body: dict[int, list[str]] = defaultdict(list)
    markers: dict[int, list[str]] = defaultdict(list)
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        public = set(Service.objects.visible_to(None).filter(pk__in=batch).values_list("pk", flat=True))
        for pk in batch:
            markers[pk].append(PUBLIC_MARKER if pk in public else HIDDEN_MARKER)
        categories = Service.categories.through.objects.filter(service_id__in=batch)
        for service_id, term_id in categories.values_list("service_id", "taxonomyterm_id"):
            # A service listed under "Out-of-hours" is found by "crisis" too, and by the Crisis filter.
            seen: set[int] = set()
            while term_id is not None and term_id not in seen:
                seen.add(term_id)
                parent, taxonomy, name = terms[term_id]
                body[service_id].append(name)
                markers[service_id] += [need_marker(term_id), taxonomy_marker(taxonomy)]
                term_id = parent
        languages = Service.languages.through.objects.filter(service_id__in=batch)
        for service_id, language_id, name in languages.values_list("service_id", "language_id", "language__name"):
            body[service_id].append(name)
            markers[service_id].append(language_marker(language_id))
        communities = Service.communities.through.objects.filter(service_id__in=batch)
        for service_id, community_id, name in communities.values_list("service_id", "community_id", "community__name"):
            body[service_id].append(name)
            markers[service_id].append(community_marker(community_id))
        places = ServiceAtLocation.objects.filter(
            service_id__in=batch, location__visibility=LocationVisibility.FULL, location__ward__isnull=False
        )
        for service_id, ward_id in places.values_list("service_id", "location__ward_id"):
            markers[service_id].append(ward_marker(ward_id))
        hours: dict[int, list[tuple[str, time, time]]] = defaultdict(list)
        weekly = Schedule.objects.filter(service_id__in=batch)
        for service_id, weekday, opens, closes in weekly.values_list("service_id", "weekday", "opens_at", "closes_at"):
            hours[service_id].append((weekday, opens, closes))
        for service_id, weekly_hours in hours.items():
            markers[service_id] += opening_markers(weekly_hours)
        special = HolidayException.objects.filter(service_id__in=batch, closed=False)
        for service_id in special.values_list("service_id", flat=True).distinct():
            markers[service_id].append(SPECIAL_HOURS_MARKER)
    result = {}
    for pk, name, alternate, description, eligibility, organisation, free, self_ref, professional, gp in rows:
        flags = [FREE_MARKER] * free + [REFERRAL_MARKERS["self"]] * self_ref
        flags += [REFERRAL_MARKERS["professional"]] * professional + [REFERRAL_MARKERS["gp"]] * gp
        result[pk] = Entry(
            title=_text([name, alternate]),
            body=_text([description, eligibility, organisation, *body[pk]]),
            markers=list(dict.fromkeys(markers[pk] + flags)),
        )
    return result


# --- Writing -------------------------------------------------------------------------------------------


def _write(written: dict[int, Entry], missing: Iterable[int] = (), *, fresh: bool = False) -> None:
    """Store the entries; ``fresh`` when the SQLite index holds none of them yet."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE directory_service SET search_document = %s, search_vector = %s::tsvector WHERE id = %s",
                [(entry.document, entry.tsvector(), pk) for pk, entry in written.items()],
            )
            return
        cursor.executemany(
            "UPDATE directory_service SET search_document = %s WHERE id = %s",
            [(entry.document, pk) for pk, entry in written.items()],
        )
        stale = [] if fresh else [*written, *missing]
        for start in range(0, len(stale), 500):
            batch = stale[start : start + 500]
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", batch)
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
            [(pk, " ".join(entry.title), " ".join(entry.body + entry.markers)) for pk, entry in written.items()],
        )
        terms = {word for entry in written.values() for word in entry.title + entry.body}
        cursor.executemany(f"INSERT OR IGNORE INTO {TERMS_TABLE} (term) VALUES (%s)", [(term,) for term in terms])


def prefixed(prefix: str, most: int) -> list[str] | None:
    """On SQLite, the words in the index that begin with ``prefix`` (itself among them if it is one); None when
    there are more than ``most``. Words no longer in any entry may be among them: they match nothing."""
    with connection.cursor() as cursor:
        # The words are ASCII letters and digits, all sorting before "{".
        cursor.execute(
            f"SELECT term FROM {TERMS_TABLE} WHERE term >= %s AND term < %s LIMIT %s", [prefix, f"{prefix}{{", most + 1]
        )
        terms = [row[0] for row in cursor.fetchall()]
    return terms if len(terms) <= most else None


def index_services(service_ids: Sequence[int]) -> None:
    """Recompute and store the index entries of these services (removing any that no longer exist)."""
    service_ids = list(dict.fromkeys(service_ids))
    if service_ids:
        written = entries(service_ids)
        _write(written, missing=[pk for pk in service_ids if pk not in written])


def rebuild_index() -> int:
    """Recompute every service's entry and rebuild the index from nothing. Returns the count.

    It works through the services a slice at a time, so a million of them need little memory. On
    SQLite it also refreshes the query planner's statistics, which a bulk load leaves stale.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), _REBUILD_SLICE):
        _write(entries(ids[start : start + _REBUILD_SLICE]), fresh=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return len(ids)
