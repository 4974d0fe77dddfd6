"""A meeting's agenda: items carry their start times and can be moved up and down; the agenda is sent to
members with the meeting as a calendar entry; a meeting that has ended reads "Held"."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.network.agendas import timed_agenda
from waymark.network.factories_meetings import ContactFactory, MeetingFactory, MembershipFactory, NetworkFactory
from waymark.network.ical import LONDON
from waymark.network.models import AgendaItem
from waymark.network.services import meetings

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    network = NetworkFactory(name="Riverside Mental Health Network")
    MembershipFactory(network=network, contact=ContactFactory(name="Asha Rahman", email="asha@example.org"))
    MembershipFactory(network=network, contact=ContactFactory(name="Ben Okafor", email="ben@example.org"))
    MembershipFactory(
        network=network, contact=ContactFactory(name="Dev Shah", consent_to_contact=False, lawful_basis="")
    )
    start = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=10), datetime.time(14, 0), tzinfo=LONDON
    )
    meeting = MeetingFactory(
        network=network, title="Network meeting", start=start, end=start + datetime.timedelta(hours=2)
    )
    for title, minutes in (("Welcome", 10), ("Service updates", 20), ("Any other business", None), ("Close", 5)):
        meetings.add_agenda_item(actor=None, meeting=meeting, data={"title": title, "minutes_allowed": minutes})
    return meeting


@pytest.fixture
def staff(client):
    verified_login(client, make_persona(Role.STAFF))


def times(meeting):
    return [
        (row.item.title, row.starts.astimezone(LONDON).strftime("%H:%M") if row.starts else None)
        for row in timed_agenda(meeting)
    ]


def test_each_item_starts_when_the_items_before_it_have_had_their_minutes(meeting):
    assert times(meeting) == [
        ("Welcome", "14:00"),
        ("Service updates", "14:10"),
        ("Any other business", "14:30"),
        ("Close", None),  # the item before it has no minutes allowed, so its start is not known
    ]


def test_moving_an_item_moves_the_times_with_it(client, staff, meeting):
    updates = AgendaItem.objects.get(title="Service updates")
    move = reverse("network:agenda_item_move", args=[meeting.uuid, updates.pk])

    response = client.post(move, {"direction": "up"})
    assert response["Location"] == f"{meeting.get_absolute_url()}#agenda"
    assert times(meeting)[:3] == [("Service updates", "14:00"), ("Welcome", "14:20"), ("Any other business", "14:30")]
    client.post(move, {"direction": "up"})  # already first: nothing moves
    assert times(meeting)[0][0] == "Service updates"
    client.post(move, {"direction": "down"})
    client.post(move, {"direction": "down"})
    assert [title for title, _time in times(meeting)] == ["Welcome", "Any other business", "Service updates", "Close"]
    assert sorted(AgendaItem.objects.values_list("order", flat=True)) == [1, 2, 3, 4]
    assert client.post(move, {"direction": "sideways"}).status_code == 400

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>14:00</strong> Welcome" in page
    assert "Move up<span" in page and "Move down<span" in page


def test_members_cannot_reorder_or_send(client, meeting):
    member = make_persona(Role.MEMBER, organisation=meeting.network.organisation)
    MembershipFactory(network=meeting.network, contact=ContactFactory(name=member.full_name, user=member))
    verified_login(client, member)
    item = AgendaItem.objects.first()
    assert (
        client.post(
            reverse("network:agenda_item_move", args=[meeting.uuid, item.pk]), {"direction": "down"}
        ).status_code
        == 403
    )
    assert client.post(reverse("network:agenda_send", args=[meeting.uuid])).status_code == 403
    assert "Move up" not in client.get(meeting.get_absolute_url()).content.decode()


def test_the_agenda_goes_to_members_who_may_be_emailed_once_until_it_changes(
    client, staff, meeting, django_capture_on_commit_callbacks
):
    send = reverse("network:agenda_send", args=[meeting.uuid])
    question = client.get(send).content.decode()
    assert "Send the agenda to 2 members?" in question
    assert "1 member has no e-mail address or has not agreed to be contacted" in question

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(send, follow=True)
    assert "Agenda sent to 2 members. 1 member may not be e-mailed and was skipped." in first.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == ["asha@example.org", "ben@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Agenda: Riverside Mental Health Network: Network meeting")
    assert "14:10 Service updates" in message.body
    [(filename, content, content_type)] = message.attachments
    assert (filename, content_type) == ("meeting.ics", "text/calendar")
    [entry] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Riverside Mental Health Network: Network meeting"

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(send, follow=True)
    assert "Agenda sent to 0 members. 2 already had this agenda" in again.content.decode()
    assert len(mail.outbox) == 2

    meetings.add_agenda_item(actor=None, meeting=meeting, data={"title": "Housing update", "minutes_allowed": 10})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    assert len(mail.outbox) == 4
    assert "Housing update" in mail.outbox[-1].body


def test_a_meeting_that_has_ended_reads_held(client, staff):
    network = NetworkFactory()
    ended = timezone.now() - datetime.timedelta(days=3)
    held = MeetingFactory(network=network, title="Spring meeting", start=ended - datetime.timedelta(hours=2), end=ended)
    called_off = meetings.cancel_meeting(
        actor=None,
        meeting=MeetingFactory(
            network=network,
            title="Summer meeting",
            start=ended - datetime.timedelta(days=1, hours=2),
            end=ended - datetime.timedelta(days=1),
        ),
    )
    coming = MeetingFactory(network=network, title="Autumn meeting")

    assert (held.held, called_off.held, coming.held) == (True, False, False)
    assert ">Held<" in client.get(held.get_absolute_url()).content.decode()
    assert ">Scheduled<" in client.get(coming.get_absolute_url()).content.decode()
    past = client.get(reverse("network:network_meetings", args=[network.slug]), {"when": "past"}).content.decode()
    assert ">Held<" in past and ">Cancelled<" in past and ">Scheduled<" not in past
