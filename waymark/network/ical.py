"""iCalendar (RFC 5545) for meetings and events: one VEVENT per thing that happens, in Europe/London.

Other parts of the network app build their .ics files here rather than with icalendar directly:

- ``vevent(uid=..., start=..., end=..., summary=..., sequence=..., cancelled=...)`` makes one VEVENT.
  ``uid`` must never change for the same occurrence (calendar programs match updates by it), and
  ``sequence`` must go up on every change, or a calendar that already holds the event ignores it.
- ``calendar_for(events, name=...)`` wraps VEVENTs in a VCALENDAR with the VTIMEZONE they need.
- ``ics_response(calendar, filename)`` serves it as ``text/calendar``; ``ics_bytes(calendar)`` gives
  the bytes for an e-mail attachment.

Times are written in Europe/London with a TZID and a VTIMEZONE rather than in UTC, so a recurring
meeting at 14:00 stays at 14:00 on both sides of a clock change in every calendar program. The VTIMEZONE
is the conventional one Outlook and Google export (one STANDARD and one DAYLIGHT part, each with a yearly
RRULE): the list of dates (RDATE) icalendar generates is misread by vobject, and so by Radicale, which
put a 14:00 February meeting at 15:00.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Component, Event, Timezone

LONDON = ZoneInfo("Europe/London")
PRODUCT_ID = "-//Waymark//Network meetings and events//EN"
UID_DOMAIN = "waymark"


def make_uid(kind: str, identifier: Any) -> str:
    """A globally unique, stable UID such as ``meeting-<uuid>@waymark``; the identifier must never change."""
    return f"{kind}-{identifier}@{UID_DOMAIN}"


def in_london(moment: datetime) -> datetime:
    """An aware datetime in Europe/London; naive datetimes are refused, because their meaning is a guess."""
    if timezone.is_naive(moment):
        raise ValueError("Calendar times must be timezone-aware.")
    return moment.astimezone(LONDON)


def vevent(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    sequence: int = 0,
    cancelled: bool = False,
    description: str = "",
    location: str = "",
    url: str = "",
    last_modified: datetime | None = None,
    rrule: Mapping[str, Any] | None = None,
) -> Event:
    """One VEVENT. ``cancelled`` writes STATUS:CANCELLED, which tells calendars to remove or strike it out."""
    if end <= start:
        raise ValueError("An event must end after it starts.")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", in_london(start))
    event.add("dtend", in_london(end))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if last_modified is not None:
        event.add("last-modified", last_modified)
    if rrule:
        event.add("rrule", dict(rrule))
    return event


# Europe/London since 1996: the last Sunday in March at 01:00 UTC and in October at 01:00 UTC.
LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


def london_vtimezone() -> Component:
    """Europe/London as a VTIMEZONE with yearly rules; every time ``vevent`` writes carries this TZID."""
    return Timezone.from_ical(LONDON_VTIMEZONE.replace("\n", "\r\n"))


def calendar_for(events: Iterable[Event], *, name: str = "") -> Calendar:
    """A VCALENDAR holding ``events`` and the Europe/London VTIMEZONE their times use."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    events = list(events)
    if any(_in_local_time(event) for event in events):  # all-day entries (consultations) need no time zone
        calendar.add_component(london_vtimezone())
    for event in events:
        calendar.add_component(event)
    return calendar


def _in_local_time(event: Event) -> bool:
    return any(
        isinstance(getattr(event.get(name), "dt", None), datetime) and event.get(name).dt.tzinfo is not None
        for name in ("dtstart", "dtend")
    )


def ics_bytes(calendar: Calendar) -> bytes:
    return calendar.to_ical()


def ics_response(calendar: Calendar, filename: str) -> HttpResponse:
    """The calendar as a download; calendar programs subscribe to the same URL."""
    response = HttpResponse(ics_bytes(calendar), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
