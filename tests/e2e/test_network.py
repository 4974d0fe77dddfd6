"""Network meetings in the browser: the minute-taker drafts the minutes, circulates them, a member
comments, and the minute-taker publishes them. Every page is checked with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.ical import LONDON
from waymark.network.models import MembershipRole, Minutes, MinutesStatus
from waymark.network.services import meetings

pytestmark = pytest.mark.django_db(transaction=True)


def member_of(network, role, name):
    user = make_persona(Role.MEMBER, organisation=network.organisation, full_name=name)
    MembershipFactory(network=network, role=role, contact=ContactFactory(name=name, user=user))
    return user


def test_minutes_are_drafted_circulated_commented_on_and_published(browse):
    network = NetworkFactory(name="Riverside Mental Health Network")
    minute_taker = member_of(network, MembershipRole.MINUTE_TAKER, "Grace Minute-Taker")
    member = member_of(network, MembershipRole.MEMBER, "Samir Member")
    start = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=2), datetime.time(14), tzinfo=LONDON
    )
    meeting = meetings.create_meeting(
        actor=None,
        network=network,
        data={"title": "Network meeting", "start": start, "end": start + datetime.timedelta(hours=2), "venue": "Hub"},
    )
    meetings.add_agenda_item(actor=None, meeting=meeting, data={"title": "Welcome and introductions"})
    meetings.add_agenda_item(actor=None, meeting=meeting, data={"title": "Service updates", "service_update": True})
    page = browse.page

    # The minute-taker drafts the minutes from the agenda outline.
    sign_in(browse, minute_taker)
    browse.goto(f"/network/meetings/{meeting.uuid}/")
    page.get_by_role("link", name="Write the minutes").click()
    browse.check()
    minutes_box = page.get_by_label("Minutes", exact=True)
    expect(minutes_box).to_have_value("## 1. Welcome and introductions\n\n\n## 2. Service updates\n")
    minutes_box.fill(
        "## 1. Welcome and introductions\nThe chair welcomed 14 members.\n\n"
        "## 2. Service updates\nThe carers' centre opens on Saturdays."
    )
    page.get_by_role("button", name="Save the minutes").click()
    browse.check()
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    page.get_by_role("button", name="Circulate for comment").click()
    browse.check()
    expect(page.get_by_text("Minutes circulated for comment; 2 members were e-mailed.")).to_be_visible()

    # A member reads the circulated draft and comments.
    sign_in(browse, member)
    browse.goto(f"/network/meetings/{meeting.uuid}/minutes/")
    expect(page.get_by_text("The chair welcomed 14 members.")).to_be_visible()
    page.get_by_role("button", name="Add comment").click()  # empty: refused, with the reason
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("Enter your comment")
    page.get_by_label("Your comment").fill("Item 2: the carers' centre opens on Saturday mornings only.")
    page.get_by_role("button", name="Add comment").click()
    browse.check()
    expect(page.get_by_text("Thank you: your comment has been added")).to_be_visible()

    # The minute-taker takes the comment in and publishes.
    sign_in(browse, minute_taker)
    browse.goto(f"/network/meetings/{meeting.uuid}/minutes/")
    expect(page.get_by_text("Saturday mornings only")).to_be_visible()
    page.get_by_role("button", name="Change the minutes").click()
    browse.check()
    page.get_by_label("Minutes", exact=True).fill(
        "## 1. Welcome and introductions\nThe chair welcomed 14 members.\n\n"
        "## 2. Service updates\nThe carers' centre opens on Saturday mornings."
    )
    page.get_by_role("button", name="Save the minutes").click()
    browse.check()
    page.get_by_role("button", name="Publish the minutes").click()
    browse.check()
    expect(page.get_by_text("Minutes published.")).to_be_visible()

    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.PUBLISHED
    assert "Saturday mornings." in minutes.text

    # The member now reads the final minutes, with no comment box.
    sign_in(browse, member)
    browse.goto(f"/network/meetings/{meeting.uuid}/minutes/")
    expect(page.get_by_text("Published", exact=True)).to_be_visible()
    expect(page.get_by_label("Your comment")).to_have_count(0)


def test_staff_book_a_year_of_meetings_and_record_attendance(browse):
    network = NetworkFactory(name="Riverside Mental Health Network", slug="riverside")
    for name in ("Asha Rahman", "Ben Okafor"):
        MembershipFactory(network=network, contact=ContactFactory(name=name))
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Nia Organiser"))
    page = browse.page
    sign_in(browse, staff)

    browse.goto("/network/networks/riverside/meetings/")
    page.get_by_role("button", name="Set up regular meetings").click()
    browse.check()
    page.get_by_label("Title").fill("Network meeting")
    page.get_by_label("Every few weeks").check()
    page.get_by_label("Every how many").fill("6")
    fill_date(page, "Date of the first meeting", timezone.localdate() + datetime.timedelta(days=5))
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Venue").fill("Community Hub, Room 2")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Series set up: 9 meetings booked.")).to_be_visible()

    browse.goto("/network/networks/riverside/meetings/")
    page.get_by_role("link", name="Network meeting").first.click()
    browse.check()
    page.get_by_role("link", name="Record attendance and apologies").click()
    browse.check()
    page.get_by_role("group", name="Asha Rahman").get_by_label("Present").check()
    page.get_by_role("group", name="Ben Okafor").get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Save attendance").click()
    browse.check()
    expect(page.get_by_text("1 present, 1 sent apologies.")).to_be_visible()
    # The agenda: items with their minutes, reordered, their times following; then sent to the members.
    for title, minutes in (("Welcome", "10"), ("Service updates", "20")):
        page.get_by_role("link", name="Add an agenda item").click()
        browse.check()
        page.get_by_label("Item", exact=True).fill(title)
        page.get_by_label("Minutes allowed").fill(minutes)
        page.get_by_role("button", name="Save").click()
        browse.check()
    page.get_by_role("button", name="Move up Service updates").click()
    browse.check()
    expect(page.get_by_text("14:00 Service updates")).to_be_visible()
    expect(page.get_by_text("14:20 Welcome")).to_be_visible()
    page.get_by_role("link", name="Send the agenda to members").click()
    browse.check()
    page.get_by_role("button", name="Send it to 2 members").click()
    browse.check()
    expect(page.get_by_text("Agenda sent to 2 members.")).to_be_visible()
    page.get_by_role("link", name="Cancel the meeting").click()
    browse.check()
    page.get_by_role("button", name="Cancel the meeting").click()
    browse.check()
    expect(page.get_by_text("This meeting is cancelled")).to_be_visible()
    browse.goto("/network/networks/riverside/actions/")
