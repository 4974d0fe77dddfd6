"""What a person needs to know to use a service, in plain words: the one reading of a service that the public
service page, its print view, the shortlist and the shortlist PDF all show.

Everything here comes from public fields and ``directory.public`` (locations and contacts), never from the model's
staff-only fields, so a page built from a sheet cannot leak internal notes, funding or private addresses.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from waymark.directory.choices import WEEKDAY_BY_INDEX, Weekday
from waymark.directory.feeds.provenance import source_of, source_prefetch
from waymark.directory.models import Contact, FeedRecord, HolidayException, Schedule, Service
from waymark.directory.public import PublicLocation, public_contacts, public_location

UPCOMING_EXCEPTION_DAYS = 60

# Languages are stored by ISO 639-3 code, but an HTML lang attribute takes the shortest BCP 47 tag: the
# two-letter ISO 639-1 code where there is one ("som" is not a valid tag, "so" is).
TWO_LETTER_CODES = {
    "amh": "am", "ara": "ar", "ben": "bn", "bul": "bg", "ces": "cs", "cym": "cy", "ell": "el", "eng": "en",
    "fas": "fa", "fra": "fr", "gla": "gd", "gle": "ga", "guj": "gu", "heb": "he", "hin": "hi", "hun": "hu",
    "ibo": "ig", "ita": "it", "lav": "lv", "lin": "ln", "lit": "lt", "mal": "ml", "npi": "ne", "orm": "om", "pan": "pa",
    "pol": "pl", "por": "pt", "pus": "ps", "ron": "ro", "rus": "ru", "sin": "si", "slk": "sk", "som": "so",
    "spa": "es", "sqi": "sq", "swa": "sw", "tam": "ta", "tgl": "tl", "tha": "th", "tir": "ti", "tur": "tr",
    "twi": "tw", "ukr": "uk", "urd": "ur", "vie": "vi", "yid": "yi", "yor": "yo",
}  # fmt: skip

# What a sheet reads, fetched in a fixed number of queries however many services there are.
SHEET_PREFETCH = (
    "categories",
    "languages",
    "communities",
    "locations",
    Prefetch("contacts", queryset=Contact.objects.order_by("title", "pk")),
    Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")),
    Prefetch("holiday_exceptions", queryset=HolidayException.objects.order_by("starts_on")),
    source_prefetch(),
)


def with_sheet_data(services: QuerySet[Service]) -> QuerySet[Service]:
    """The services with everything their sheets show loaded alongside."""
    return services.select_related("organisation").prefetch_related(*SHEET_PREFETCH)


@dataclass(frozen=True)
class OpeningDay:
    """One row of the weekly table: a day and its opening times ("9am to 1pm"); no times means closed."""

    name: str
    times: list[str]


@dataclass(frozen=True)
class OpeningException:
    """A coming day or run of days with other hours than usual (a bank holiday, a closure)."""

    dates: str
    hours: str
    notes: str


@dataclass(frozen=True)
class SpokenLanguage:
    """A language the service speaks, with its own name and the tag that lets screen readers say it right."""

    name: str
    native_name: str
    tag: str
    direction: str


@dataclass(frozen=True)
class ServiceSheet:
    """A public service read for people: how to get in first, then what it offers, when and where."""

    service: Service
    referral_routes: list[str]
    contacts: list[Contact]
    languages: list[SpokenLanguage]
    locations: list[PublicLocation]
    opening_days: list[OpeningDay]
    opening_exceptions: list[OpeningException]
    age_range: str
    source: FeedRecord | None  # the neighbour's feed it was read from, if any

    @property
    def has_opening_times(self) -> bool:
        return bool(self.opening_days)


def service_sheet(service: Service, *, today: datetime.date) -> ServiceSheet:
    """The sheet of one service; load it through ``with_sheet_data`` to keep the query count flat."""
    return ServiceSheet(
        service=service,
        referral_routes=referral_routes(service),
        contacts=public_contacts(service),
        languages=[
            SpokenLanguage(
                name=language.name,
                native_name=language.native_name if language.native_name != language.name else "",
                tag=TWO_LETTER_CODES.get(language.code, language.code),
                direction=language.direction,
            )
            for language in service.languages.all()
        ],
        locations=[public_location(location) for location in service.locations.all()],
        opening_days=opening_days(service.schedules.all()),
        opening_exceptions=opening_exceptions(service.holiday_exceptions.all(), today=today),
        age_range=age_range(service.minimum_age, service.maximum_age),
        source=source_of(service),
    )


def referral_routes(service: Service) -> list[str]:
    """The ways in, said to the person who wants help."""
    routes = []
    if service.self_referral:
        routes.append(_("You can refer yourself."))
    if service.gp_referral:
        routes.append(_("Ask your GP to refer you."))
    if service.professional_referral:
        routes.append(_("A professional can refer you, for example a support worker or social worker."))
    return routes


def age_range(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return _("Ages %(minimum)s to %(maximum)s") % {"minimum": minimum, "maximum": maximum}
    if minimum is not None:
        return _("Ages %(minimum)s and over") % {"minimum": minimum}
    if maximum is not None:
        return _("Ages up to %(maximum)s") % {"maximum": maximum}
    return _("Any age")


def clock_time(value: datetime.time) -> str:
    """9:00 → "9am", 17:30 → "5:30pm", as NHS.UK content style writes times."""
    if value.hour == 0 and value.minute == 0:
        return _("midnight")
    if value.hour == 12 and value.minute == 0:
        return _("midday")
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def time_range(opens_at: datetime.time, closes_at: datetime.time) -> str:
    return _("%(opens)s to %(closes)s") % {"opens": clock_time(opens_at), "closes": clock_time(closes_at)}


def opening_days(schedules: Iterable[Schedule]) -> list[OpeningDay]:
    """Monday to Sunday with each day's times; an empty list when the service gives no weekly hours."""
    rows = list(schedules)
    if not rows:
        return []
    by_day: dict[str, list[str]] = {code: [] for code in WEEKDAY_BY_INDEX}
    for schedule in sorted(rows, key=lambda s: s.opens_at):
        time_text = time_range(schedule.opens_at, schedule.closes_at)
        by_day[schedule.weekday].append(f"{time_text} ({schedule.notes})" if schedule.notes else time_text)
    return [OpeningDay(name=str(Weekday(code).label), times=by_day[code]) for code in WEEKDAY_BY_INDEX]


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "l j F")


def opening_exceptions(exceptions: Iterable[HolidayException], *, today: datetime.date) -> list[OpeningException]:
    """Exceptions that touch the next ``UPCOMING_EXCEPTION_DAYS`` days, soonest first."""
    horizon = today + datetime.timedelta(days=UPCOMING_EXCEPTION_DAYS)
    upcoming = sorted(
        (e for e in exceptions if e.ends_on >= today and e.starts_on <= horizon), key=lambda e: e.starts_on
    )
    lines = []
    for exception in upcoming:
        if exception.starts_on == exception.ends_on:
            dates = _day(exception.starts_on)
        else:
            dates = _("%(first)s to %(last)s") % {"first": _day(exception.starts_on), "last": _day(exception.ends_on)}
        if exception.closed or not (exception.opens_at and exception.closes_at):
            hours = _("Closed")
        else:
            hours = _("Open %(times)s") % {"times": time_range(exception.opens_at, exception.closes_at)}
        lines.append(OpeningException(dates=dates, hours=hours, notes=exception.notes))
    return lines
