"""Every .ics Waymark serves or sends, read by both icalendar and vobject (the library Radicale builds on),
gives the same UTC start in winter and in summer, and names the network in its title."""

import datetime

import icalendar
import pytest
import vobject
from django.core import mail
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.network.factories_events import EventFactory, TicketTypeFactory
from waymark.network.factories_meetings import MeetingFactory, NetworkFactory
from waymark.network.ical import LONDON

pytestmark = pytest.mark.django_db

# 14:00 in London: 14:00 UTC in February (GMT), 13:00 UTC in July (BST).
WINTER = datetime.datetime(2027, 2, 11, 14, 0, tzinfo=LONDON)
SUMMER = datetime.datetime(2027, 7, 15, 14, 0, tzinfo=LONDON)


def starts_in_utc(content: bytes) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(icalendar's, vobject's) UTC start of each VEVENT, in order."""
    by_icalendar = [
        event["DTSTART"].dt.astimezone(datetime.UTC) for event in icalendar.Calendar.from_ical(content).walk("VEVENT")
    ]
    by_vobject = [
        event.dtstart.value.astimezone(datetime.UTC) for event in vobject.readOne(content.decode()).vevent_list
    ]
    return list(zip(by_icalendar, by_vobject, strict=True))


def assert_read_alike(content: bytes, expected: list[datetime.datetime]) -> None:
    expected_utc = [moment.astimezone(datetime.UTC) for moment in expected]
    assert starts_in_utc(content) == [(moment, moment) for moment in expected_utc]
    text = content.decode()
    assert "RDATE" not in text  # the generated list of dates vobject misreads
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


@pytest.mark.parametrize("start", [WINTER, SUMMER], ids=["winter", "summer"])
def test_a_meeting_and_its_network_feed_read_alike_in_both_libraries(client, staff, start):
    network = NetworkFactory(name="Riverside Mental Health Network")
    meeting = MeetingFactory(
        network=network, title="Network meeting", start=start, end=start + datetime.timedelta(hours=2)
    )

    single = client.get(reverse("network:meeting_ics", args=[meeting.uuid])).content
    feed = client.get(reverse("network:network_meetings_feed", args=[network.slug])).content

    for content in (single, feed):
        assert_read_alike(content, [start])
        [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
        assert str(entry["SUMMARY"]) == "Riverside Mental Health Network: Network meeting"


@pytest.mark.parametrize("start", [WINTER, SUMMER], ids=["winter", "summer"])
def test_an_event_file_and_its_confirmation_attachment_read_alike(client, start, django_capture_on_commit_callbacks):
    network = NetworkFactory(name="Riverside Mental Health Network")
    event = EventFactory(
        title="Launch day", network=network, starts_at=start, ends_at=start + datetime.timedelta(hours=6)
    )
    tickets = TicketTypeFactory(event=event, capacity=5)

    served = client.get(reverse("network:event_ics", args=[event.uuid])).content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:event_register", args=[event.uuid]),
            {"ticket_type": tickets.pk, "name": "Amina Yusuf", "email": "amina@example.org"},
        )
    [message] = mail.outbox
    [(_filename, attached, _type)] = message.attachments

    for content in (served, attached.encode() if isinstance(attached, str) else attached):
        assert_read_alike(content, [start])
        [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
        assert str(entry["SUMMARY"]) == "Riverside Mental Health Network: Launch day"


def test_a_title_that_already_names_the_network_is_not_prefixed_twice(client, staff):
    network = NetworkFactory(name="Carers Forum")
    meeting = MeetingFactory(
        network=network, title="Carers Forum AGM", start=WINTER, end=WINTER + datetime.timedelta(hours=1)
    )
    content = client.get(reverse("network:meeting_ics", args=[meeting.uuid])).content
    [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Carers Forum AGM"
