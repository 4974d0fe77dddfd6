"""The network's lines in the home page's work queue: each count is what its list shows, and records the person
may not see are not counted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.network import today
from waymark.network.factories_meetings import ActionFactory, ContactFactory, MeetingFactory, NetworkFactory
from waymark.network.factories_people import BulletinFactory
from waymark.network.models import ActionStatus, BulletinStatus, Minutes, MinutesStatus

pytestmark = pytest.mark.django_db

PAST = timezone.localdate() - datetime.timedelta(days=3)


def _queue(client, verified_login, user) -> list:
    verified_login(client, user)
    return client.get("/").context["today_lines"]


def test_overdue_network_actions_count_what_my_actions_lists(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    mine = ContactFactory(user=staff)
    ActionFactory(owner=mine, due_date=PAST)
    ActionFactory(owner=mine, due_date=PAST)
    ActionFactory(owner=mine, due_date=PAST, status=ActionStatus.DONE)  # done: not overdue
    ActionFactory(owner=mine)  # not yet due
    ActionFactory(due_date=PAST)  # someone else's

    line = next(line for line in _queue(client, verified_login, staff) if "network actions" in str(line.text))

    assert line.count == 2 and line.urgent
    page = client.get(line.url)
    assert page.context["page_obj"].paginator.count == 2
    assert b"Only your open actions past their due date are shown." in page.content
    assert client.get(reverse("network:my_actions")).context["page_obj"].paginator.count == 4


def test_a_members_overdue_action_in_a_network_they_do_not_see_is_not_counted(make_persona):
    organisation = OrganisationFactory()
    member = make_persona(Role.MEMBER, organisation)
    mine = ContactFactory(user=member)
    ActionFactory(owner=mine, due_date=PAST, meeting=MeetingFactory(network=NetworkFactory(organisation=organisation)))
    ActionFactory(owner=mine, due_date=PAST)  # another organisation's network

    assert [line.count for line in today.overdue_action_lines(member)] == [1]


def _minutes(network, status=MinutesStatus.CIRCULATED, title="Network meeting"):
    meeting = MeetingFactory(network=network, title=title)
    return Minutes.objects.create(meeting=meeting, status=status, circulated_at=timezone.now())


def test_circulated_minutes_of_my_networks_are_lines_to_their_pages(client, make_persona, verified_login):
    organisation = OrganisationFactory()
    member = make_persona(Role.MEMBER, organisation)
    own = NetworkFactory(organisation=organisation)
    open_minutes = _minutes(own, title="Spring meeting")
    _minutes(own, status=MinutesStatus.PUBLISHED, title="Winter meeting")
    _minutes(NetworkFactory(), title="Someone else's meeting")

    lines = [line for line in _queue(client, verified_login, member) if "open for your comment" in str(line.text)]

    assert [str(line.text) for line in lines] == [f"Minutes open for your comment: Spring meeting ({own.name})"]
    assert lines[0].url == reverse("network:minutes_detail", args=[open_minutes.meeting.uuid])
    assert lines[0].count is None
    assert client.get(lines[0].url).status_code == 200


def test_the_latest_bulletin_is_the_latest_one_the_member_may_read(client, make_persona, verified_login):
    organisation = OrganisationFactory()
    member = make_persona(Role.MEMBER, organisation)
    own = NetworkFactory(organisation=organisation)
    now = timezone.now()
    older = BulletinFactory(
        distribution_list__network=own, status=BulletinStatus.SENT, sent_at=now - datetime.timedelta(days=9)
    )
    BulletinFactory(distribution_list__network=own)  # a draft
    BulletinFactory(status=BulletinStatus.SENT, sent_at=now)  # another network's, not in the public archive

    lines = [line for line in _queue(client, verified_login, member) if "Latest bulletin" in str(line.text)]

    assert [line.url for line in lines] == [reverse("network:bulletin_detail", args=[older.uuid])]
    assert lines[0].count is None
    assert client.get(lines[0].url).status_code == 200
