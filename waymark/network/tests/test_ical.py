"""iCalendar output (RFC 5545): stable UIDs, SEQUENCE on every change, cancellation, Europe/London."""

import datetime

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone

from waymark.network import calendars
from waymark.network.factories_meetings import MeetingFactory, NetworkFactory
from waymark.network.ical import LONDON, calendar_for, vevent
from waymark.network.models import Recurrence
from waymark.network.services import meetings

pytestmark = pytest.mark.django_db


def parse(calendar: icalendar.Calendar) -> icalendar.Calendar:
    """Round-trip through bytes, as a calendar program reads it."""
    return icalendar.Calendar.from_ical(calendar.to_ical())


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = parse(calendar).walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_a_meeting_keeps_its_uid_and_raises_sequence_on_every_change():
    meeting = MeetingFactory()
    first = only_event(calendars.meeting_calendar(meeting))
    assert str(first["UID"]) == f"meeting-{meeting.uuid}@waymark"
    assert first["SEQUENCE"] == 0
    assert str(first["STATUS"]) == "CONFIRMED"

    moved = meetings.update_meeting(
        actor=None,
        meeting=meeting,
        data={"start": meeting.start + datetime.timedelta(hours=1), "end": meeting.end + datetime.timedelta(hours=1)},
    )
    renamed = meetings.update_meeting(actor=None, meeting=moved, data={"venue": "Town Hall"})
    unchanged = meetings.update_meeting(actor=None, meeting=renamed, data={"venue": "Town Hall"})

    event = only_event(calendars.meeting_calendar(unchanged))
    assert str(event["UID"]) == str(first["UID"])
    assert event["SEQUENCE"] == 2  # two real changes; saving the same venue again is not a change
    assert str(event["LOCATION"]) == "Town Hall"
    assert event["DTSTART"].dt == meeting.start + datetime.timedelta(hours=1)


def test_cancelling_sends_status_cancelled_with_a_higher_sequence():
    meeting = MeetingFactory()
    cancelled = meetings.cancel_meeting(actor=None, meeting=meeting)
    event = only_event(calendars.meeting_calendar(cancelled))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == cancelled.ical_uid

    again = meetings.cancel_meeting(actor=None, meeting=cancelled)
    assert again.sequence == 1  # cancelling a cancelled meeting changes nothing


def test_times_are_written_in_europe_london_with_a_vtimezone():
    meeting = MeetingFactory()
    text = calendars.meeting_calendar(meeting).to_ical().decode()
    assert "BEGIN:VTIMEZONE" in text
    assert "TZID:Europe/London" in text
    assert "DTSTART;TZID=Europe/London:" in text
    timezones = parse(calendars.meeting_calendar(meeting)).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/London"]
    assert {component.name for component in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_network_feed_holds_every_meeting_including_cancelled_ones():
    network = NetworkFactory()
    kept = MeetingFactory(network=network)
    dropped = meetings.cancel_meeting(actor=None, meeting=MeetingFactory(network=network))
    MeetingFactory()  # another network's meeting stays out
    events = parse(calendars.network_calendar(network)).walk("VEVENT")
    statuses = {str(event["UID"]): str(event["STATUS"]) for event in events}
    assert statuses == {kept.ical_uid: "CONFIRMED", dropped.ical_uid: "CANCELLED"}


def test_a_six_weekly_series_keeps_its_local_time_across_the_october_clock_change():
    # Thursdays from early September of next year: the clocks go back on the last Sunday of October.
    year = timezone.localdate().year + 1
    first = datetime.date(year, 9, 1)
    first += datetime.timedelta(days=(3 - first.weekday()) % 7)
    network = NetworkFactory()
    meetings.create_series(
        actor=None,
        network=network,
        data={
            "title": "Network meeting",
            "recurrence": Recurrence.WEEKLY,
            "interval": 6,
            "first_date": first,
            "start_time": datetime.time(14, 0),
            "duration_minutes": 120,
            "venue": "Community Hub",
        },
    )
    feed = parse(calendars.network_calendar(network))
    expanded = recurring_ical_events.of(feed).between(first, datetime.date(year + 1, 1, 1))
    starts = sorted(event["DTSTART"].dt for event in expanded)

    assert [start.date() for start in starts] == [first + datetime.timedelta(weeks=6 * n) for n in range(len(starts))]
    assert len(starts) == 3  # September, October, November/December
    assert {start.astimezone(LONDON).strftime("%H:%M") for start in starts} == {"14:00"}
    offsets = [start.utcoffset() for start in starts]
    assert offsets[0] == datetime.timedelta(hours=1)  # BST before the change
    assert offsets[-1] == datetime.timedelta(0)  # GMT after it
    assert {start.astimezone(datetime.UTC).hour for start in starts} == {13, 14}


def test_a_recurrence_rule_written_by_vevent_expands_in_local_time():
    start = datetime.datetime(2027, 9, 16, 18, 30, tzinfo=LONDON)
    event = vevent(
        uid="forum@waymark",
        start=start,
        end=start + datetime.timedelta(hours=2),
        summary="Forum",
        rrule={"freq": "weekly", "interval": 6, "count": 3},
    )
    calendar = parse(calendar_for([event], name="Forum"))
    occurrences = recurring_ical_events.of(calendar).between(datetime.date(2027, 9, 1), datetime.date(2028, 1, 1))
    assert [o["DTSTART"].dt.astimezone(LONDON).strftime("%d %b %H:%M") for o in occurrences] == [
        "16 Sep 18:30",
        "28 Oct 18:30",
        "09 Dec 18:30",
    ]


def test_vevent_refuses_naive_times_and_backwards_events():
    naive = datetime.datetime(2027, 1, 1, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        vevent(uid="a@w", start=naive, end=naive + datetime.timedelta(hours=1), summary="x")
    aware = naive.replace(tzinfo=LONDON)
    with pytest.raises(ValueError, match="end after"):
        vevent(uid="a@w", start=aware, end=aware, summary="x")
