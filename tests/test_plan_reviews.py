"""Plans and network meetings: staff record which meetings reviewed a plan (its governance); the plan's
page lists them and its history keeps the change. Here because it crosses two apps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.network.factories_meetings import MeetingFactory
from waymark.plans.choices import PlanStatus
from waymark.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


def _held(days_ago: int, title: str):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return MeetingFactory(title=title, start=start, end=start + datetime.timedelta(hours=2))


def test_staff_record_the_meetings_that_reviewed_a_plan(client):
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)
    plan = PlanFactory(status=PlanStatus.IN_CONSULTATION)
    board = _held(30, "Trust board")
    forum = _held(10, "Community forum")
    future = MeetingFactory(title="Next quarter's board")
    url = reverse("plans:plan_meetings", args=[plan.uuid])
    page = client.get(url).content.decode()
    assert "Trust board" in page and "Community forum" in page
    assert "Next quarter" not in page  # not yet held, so it reviewed nothing
    response = client.post(url, {"meetings": [board.pk, forum.pk]})
    assert response.status_code == 302
    assert set(plan.reviewed_at_meetings.all()) == {board, forum}
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Meetings that reviewed it" in detail and board.get_absolute_url() in detail
    assert client.post(url, {"meetings": [future.pk]}).status_code == 400
    history = client.get(reverse("plans:plan_history", args=[plan.uuid])).content.decode()
    assert "Meetings that reviewed it" in history and "Trust board" in history


def test_a_meeting_the_viewer_may_not_see_is_not_listed(client):
    plan = PlanFactory()
    plan.reviewed_at_meetings.add(_held(5, "Private network meeting"))
    analyst = make_persona(Role.ANALYST)
    verified_login(client, analyst)
    assert "Private network meeting" not in client.get(plan.get_absolute_url()).content.decode()
