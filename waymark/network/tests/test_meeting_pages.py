"""Meeting pages as staff, members and minute-takers meet them: series, agendas, attendance, minutes,
actions and calendar subscriptions."""

import datetime

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import links_issued_days_ago
from waymark.core.roles import Role
from waymark.network import calendars
from waymark.network.factories_meetings import (
    ActionFactory,
    ContactFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)
from waymark.network.models import ActionStatus, Meeting, MembershipRole, MinutesStatus
from waymark.network.services import minutes as minutes_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory(name="Riverside Mental Health Network")
    for name in ("Asha Rahman", "Ben Okafor"):
        MembershipFactory(network=network, contact=ContactFactory(name=name))
    return network


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def member_of(network, role=MembershipRole.MEMBER):
    user = make_persona(Role.MEMBER, organisation=network.organisation)
    MembershipFactory(network=network, role=role, contact=ContactFactory(name=user.full_name, user=user))
    return user


def url(name, *args):
    return reverse(f"network:{name}", args=args)


def test_staff_set_up_a_six_weekly_series_booked_a_year_ahead(client, staff, network):
    first = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        url("series_create", network.slug),
        {
            "title": "Network meeting",
            "recurrence": "weekly",
            "interval": "6",
            "first_date": first.isoformat(),
            "start_time": "14:00",
            "duration_minutes": "120",
            "venue": "Community Hub",
        },
        follow=True,
    )
    assert "9 meetings booked" in response.content.decode()
    assert Meeting.objects.filter(network=network).count() == 9


def test_a_bad_series_form_names_the_field_and_keeps_what_was_typed(client, staff, network):
    response = client.post(
        url("series_create", network.slug),
        {"title": "Quarterly forum", "recurrence": "weekly", "interval": "0", "first_date": "", "start_time": "14:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="Quarterly forum"' in page
    assert Meeting.objects.count() == 0


def test_a_one_off_meeting_ending_before_it_starts_is_refused(client, staff, network):
    response = client.post(
        url("meeting_create", network.slug),
        {"title": "Launch planning", "date": "2027-03-04", "start_time": "15:00", "end_time": "14:00", "venue": "Hub"},
    )
    assert "The end time must be after the start time" in response.content.decode()
    assert 'value="Launch planning"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_staff_move_and_cancel_a_meeting_and_its_calendar_follows(client, staff, network):
    meeting = MeetingFactory(network=network)
    day = timezone.localtime(meeting.start).date().isoformat()
    client.post(
        url("meeting_edit", meeting.uuid),
        {"title": meeting.title, "date": day, "start_time": "15:00", "end_time": "17:00", "venue": "Library"},
    )
    client.post(url("meeting_cancel", meeting.uuid))
    response = client.get(url("meeting_ics", meeting.uuid))
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["LOCATION"]) == "Library"
    assert timezone.localtime(event["DTSTART"].dt).hour == 15


def test_agenda_and_attendance_pages(client, staff, network):
    meeting = MeetingFactory(network=network)
    asha = network.members.get(name="Asha Rahman")
    client.post(
        url("agenda_item_create", meeting.uuid),
        {"title": "Service updates", "presenter": asha.pk, "service_update": "on"},
    )
    response = client.get(url("attendance", meeting.uuid))
    assert "Asha Rahman" in response.content.decode()
    client.post(url("attendance", meeting.uuid), {f"contact_{asha.pk}": "apologies"})
    page = client.get(url("meeting_detail", meeting.uuid)).content.decode()
    assert "Service updates" in page
    assert "Sent apologies" in page


def test_members_see_their_own_network_only(client, network):
    member = member_of(network)
    verified_login(client, member)
    own = MeetingFactory(network=network, title="Our meeting")
    other = MeetingFactory(title="Someone else's meeting")
    assert "Our meeting" in client.get(url("network_meetings", network.slug)).content.decode()
    assert client.get(url("meeting_detail", own.uuid)).status_code == 200
    assert client.get(url("meeting_detail", other.uuid)).status_code == 404
    assert client.get(url("network_meetings", other.network.slug)).status_code == 404
    assert client.get(url("meeting_edit", own.uuid)).status_code == 403


def test_draft_minutes_are_for_the_minute_taker_until_circulated(client, network):
    meeting = MeetingFactory(network=network)
    taker = member_of(network, MembershipRole.MINUTE_TAKER)
    member = member_of(network)

    verified_login(client, member)
    assert client.get(url("minutes_edit", meeting.uuid)).status_code == 403

    verified_login(client, taker)
    client.post(url("minutes_edit", meeting.uuid), {"text": "## Welcome\nThe chair welcomed everyone."})
    assert client.get(url("minutes_detail", meeting.uuid)).status_code == 200

    verified_login(client, member)
    assert client.get(url("minutes_detail", meeting.uuid)).status_code == 404
    assert client.post(url("minutes_step", meeting.uuid, "circulate")).status_code == 403

    verified_login(client, taker)
    client.post(url("minutes_step", meeting.uuid, "circulate"))

    verified_login(client, member)
    page = client.get(url("minutes_detail", meeting.uuid)).content.decode()
    assert "The chair welcomed everyone." in page
    assert "Comment on the draft" in page
    client.post(url("minutes_detail", meeting.uuid), {"text": "Please add that Ben sent apologies."})

    verified_login(client, taker)
    page = client.get(url("minutes_detail", meeting.uuid)).content.decode()
    assert "Please add that Ben sent apologies." in page
    client.post(url("minutes_step", meeting.uuid, "publish"))
    assert meeting.minutes.__class__.objects.get(meeting=meeting).status == MinutesStatus.PUBLISHED

    verified_login(client, member)
    assert client.post(url("minutes_detail", meeting.uuid), {"text": "Too late"}).status_code == 403


def test_minutes_markdown_is_sanitised(client, staff, network):
    meeting = MeetingFactory(network=network)
    minutes_services.save_minutes(actor=staff, meeting=meeting, text="Hello <script>alert(1)</script> **all**")
    page = client.get(url("minutes_detail", meeting.uuid)).content.decode()
    assert "<script>alert(1)" not in page
    assert "<strong>all</strong>" in page


def test_minute_takers_record_and_close_actions(client, network):
    meeting = MeetingFactory(network=network)
    taker = member_of(network, MembershipRole.MINUTE_TAKER)
    verified_login(client, taker)
    asha = network.members.get(name="Asha Rahman")
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    client.post(
        url("action_create", meeting.uuid),
        {"description": "Book the hall", "owner": asha.pk, "due_date": due, "status": "open"},
    )
    action = meeting.actions.get()
    assert action.owner == asha
    client.post(
        url("action_edit", action.uuid),
        {"description": "Book the hall", "owner": asha.pk, "due_date": due, "status": "done"},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_action_list_marks_overdue_actions(client, staff, network):
    meeting = MeetingFactory(network=network)
    ActionFactory(
        meeting=meeting, description="Chase the venue", due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    page = client.get(url("network_actions", network.slug)).content.decode()
    assert "Chase the venue" in page
    assert "1 open action is overdue" in page


def test_private_feed_link_works_without_signing_in_and_only_for_its_network(client, network):
    member = member_of(network)
    MeetingFactory(network=network, title="Network meeting")
    token = calendars.feed_token(member, network)
    response = client.get(url("network_meetings_feed", network.slug), {"token": token})
    assert response.status_code == 200
    assert [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")] == [
        "Riverside Mental Health Network: Network meeting"  # the network named: a calendar holds several
    ]

    other = NetworkFactory()
    assert client.get(url("network_meetings_feed", other.slug), {"token": token}).status_code == 404
    assert client.get(url("network_meetings_feed", network.slug), {"token": token + "x"}).status_code == 404
    assert client.get(url("network_meetings_feed", network.slug)).status_code == 302  # no token: sign in

    member.role_grants.all().delete()
    assert client.get(url("network_meetings_feed", network.slug), {"token": token}).status_code == 403


def test_a_calendar_link_older_than_its_age_is_refused_with_a_page_saying_what_to_do(client, network, settings):
    settings.SIGNED_LINK_MAX_AGE_DAYS = {**settings.SIGNED_LINK_MAX_AGE_DAYS, "calendar-feed": 365}
    member = member_of(network)
    with links_issued_days_ago(366):
        old = calendars.feed_token(member, network)
    with links_issued_days_ago(364):
        recent = calendars.feed_token(member, network)

    refused = client.get(url("network_meetings_feed", network.slug), {"token": old})
    assert refused.status_code == 410
    assert "This calendar link has expired" in refused.text
    assert url("network_meetings", network.slug) in refused.text  # where a new link is shown
    assert client.get(url("network_meetings_feed", network.slug), {"token": recent}).status_code == 200


def test_staff_withdraw_one_persons_calendar_link_and_anothers_still_works(client, staff, network):
    leaked, other = member_of(network), member_of(network)
    leaked_token = calendars.feed_token(leaked, network)
    other_token = calendars.feed_token(other, network)

    response = client.post(
        url("contact_links_withdraw", leaked.network_contact.uuid), {"links": "calendar"}, follow=True
    )
    assert "calendar links no longer work" in response.text
    client.logout()

    refused = client.get(url("network_meetings_feed", network.slug), {"token": leaked_token})
    assert refused.status_code == 410
    assert "This calendar link has been replaced or withdrawn" in refused.text
    assert client.get(url("network_meetings_feed", network.slug), {"token": other_token}).status_code == 200


def test_a_person_replaces_their_own_calendar_link(client, network):
    member = member_of(network)
    old_token = calendars.feed_token(member, network)
    verified_login(client, member)

    page = client.post(url("network_meetings_feed_replace", network.slug), follow=True)
    assert "Your calendar address has changed" in page.text
    new_feed = page.context["feed_url"]
    client.logout()

    assert client.get(url("network_meetings_feed", network.slug), {"token": old_token}).status_code == 410
    assert client.get(new_feed.removeprefix(settings.SITE_URL)).status_code == 200


def test_meeting_list_query_count_does_not_grow_with_meetings(client, staff, network, django_assert_max_num_queries):
    for _ in range(15):
        MeetingFactory(network=network)
    with django_assert_max_num_queries(14):
        response = client.get(url("network_meetings", network.slug))
    assert response.content.decode().count("Network meeting") >= 15


def test_meeting_page_and_action_list_queries_do_not_grow_with_rows(
    client, staff, network, django_assert_max_num_queries
):
    from waymark.network.services import meetings as services

    meeting = MeetingFactory(network=network)
    members = list(network.members.all())
    for number in range(12):
        owner = ContactFactory()
        services.add_agenda_item(actor=None, meeting=meeting, data={"title": f"Item {number}", "presenter": owner})
        ActionFactory(meeting=meeting, owner=owner)
    services.record_attendance(actor=None, meeting=meeting, statuses=dict.fromkeys(members, "present"))
    with django_assert_max_num_queries(16):
        page = client.get(url("meeting_detail", meeting.uuid)).content.decode()
    assert page.count("Item ") >= 12
    with django_assert_max_num_queries(16):
        client.get(url("network_actions", network.slug))


def test_staff_see_who_changed_the_minutes(client, staff, network):
    meeting = MeetingFactory(network=network)
    minutes_services.save_minutes(actor=staff, meeting=meeting, text="First draft")
    minutes_services.save_minutes(actor=staff, meeting=meeting, text="Second draft")
    page = client.get(url("minutes_history", meeting.uuid)).content.decode()
    assert "Second draft" in page
    assert str(staff) in page
