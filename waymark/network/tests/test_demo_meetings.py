"""The demo's meetings: a six-weekly series a year back and a year ahead, with minutes and actions."""

import datetime
import itertools
import random

import pytest
from django.utils import timezone

from waymark.core import demo as core_demo
from waymark.core.models import EmailDelivery
from waymark.network import demo
from waymark.network.actions import overdue_actions
from waymark.network.ical import LONDON
from waymark.network.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    context: dict = {}
    quiet = lambda *args: None  # noqa: E731
    core_demo.seed(rng=random.Random(3), size="small", actor=None, progress=quiet, context=context)
    demo.seed(rng=random.Random(3), size="small", actor=None, progress=quiet, context=context)
    return context


def test_the_demo_has_a_year_of_six_weekly_meetings_and_a_year_booked_ahead(seeded):
    series = MeetingSeries.objects.get()
    starts = list(series.meetings.order_by("start").values_list("start", flat=True))
    assert {(b - a).days for a, b in itertools.pairwise(starts)} <= {41, 42, 43}  # the clock changes
    assert {start.astimezone(LONDON).strftime("%H:%M") for start in starts} == {"14:00"}
    today = timezone.localdate()
    assert starts[0].date() <= today - datetime.timedelta(days=350)
    assert starts[-1].date() >= today + datetime.timedelta(days=320)
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).count() == 1


def test_every_meeting_held_has_an_agenda_attendance_minutes_and_actions(seeded):
    held = Meeting.objects.filter(end__lt=timezone.now())
    assert held.count() >= 8
    for meeting in held:
        assert AgendaItem.objects.filter(meeting=meeting, service_update=True).exists()
        assert Attendance.objects.filter(meeting=meeting, status="present").count() >= 8
        assert Action.objects.filter(meeting=meeting).count() == 3
    statuses = list(Minutes.objects.order_by("meeting__start").values_list("status", flat=True))
    assert statuses[-1] == MinutesStatus.CIRCULATED
    assert set(statuses[:-1]) == {MinutesStatus.PUBLISHED}
    assert overdue_actions().exists()  # something for the weekly digest to chase
    assert not EmailDelivery.objects.filter(template__startswith="network_minutes").exists()
