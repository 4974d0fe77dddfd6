"""Series block-booking, moving and cancelling meetings, agendas and attendance."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waymark.accounts.factories import make_persona
from waymark.network.factories_meetings import ContactFactory, MeetingFactory, NetworkFactory
from waymark.network.ical import LONDON
from waymark.network.models import Meeting, MeetingSeries, MeetingStatus, Recurrence
from waymark.network.services import meetings

pytestmark = pytest.mark.django_db


def series_data(**overrides):
    return {
        "title": "Network meeting",
        "recurrence": Recurrence.WEEKLY,
        "interval": 6,
        "first_date": timezone.localdate() + datetime.timedelta(days=3),
        "start_time": datetime.time(14, 0),
        "duration_minutes": 120,
        "venue": "Community Hub",
        **overrides,
    }


def test_occurrence_dates_every_six_weeks_for_a_year():
    series = MeetingSeries(**series_data(first_date=datetime.date(2027, 1, 7)))
    dates = meetings.occurrence_dates(series, datetime.date(2028, 1, 7))
    assert dates[:3] == [datetime.date(2027, 1, 7), datetime.date(2027, 2, 18), datetime.date(2027, 4, 1)]
    assert len(dates) == 9  # 52 weeks / 6, counting the first
    assert all((b - a).days == 42 for a, b in itertools.pairwise(dates))


def test_monthly_series_keep_the_weekday_and_its_place_in_the_month():
    second_tuesday = MeetingSeries(
        **series_data(recurrence=Recurrence.MONTHLY, interval=1, first_date=datetime.date(2027, 1, 12))
    )
    dates = meetings.occurrence_dates(second_tuesday, datetime.date(2027, 4, 30))
    assert dates == [
        datetime.date(2027, 1, 12),
        datetime.date(2027, 2, 9),
        datetime.date(2027, 3, 9),
        datetime.date(2027, 4, 13),
    ]
    last_friday = MeetingSeries(
        **series_data(recurrence=Recurrence.MONTHLY, interval=1, first_date=datetime.date(2027, 1, 29))
    )
    assert meetings.occurrence_dates(last_friday, datetime.date(2027, 3, 31)) == [
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
        datetime.date(2027, 3, 26),
    ]


def test_a_series_is_booked_twelve_months_ahead_and_booking_again_adds_only_new_months():
    network = NetworkFactory()
    today = timezone.localdate()
    series = meetings.create_series(actor=None, network=network, data=series_data(first_date=today))
    booked = list(series.meetings.order_by("start"))
    assert len(booked) == 9
    assert booked[-1].occurrence_date <= today + datetime.timedelta(days=366)
    assert all(m.start.astimezone(LONDON).time() == datetime.time(14, 0) for m in booked)
    assert all(m.end - m.start == datetime.timedelta(hours=2) for m in booked)
    series.refresh_from_db()
    assert series.booked_until is not None

    assert meetings.book_series(actor=None, series=series) == []  # nothing new on the same day
    later = meetings.book_series(actor=None, series=series, today=today + datetime.timedelta(days=100))
    assert len(later) in (2, 3)
    assert series.meetings.count() == 9 + len(later)


def test_booking_again_leaves_moved_and_cancelled_meetings_alone():
    network = NetworkFactory()
    series = meetings.create_series(actor=None, network=network, data=series_data())
    first = series.meetings.order_by("start").first()
    meetings.cancel_meeting(actor=None, meeting=first)
    meetings.book_series(actor=None, series=series, today=timezone.localdate() + datetime.timedelta(days=60))
    first.refresh_from_db()
    assert first.status == MeetingStatus.CANCELLED
    assert series.meetings.filter(occurrence_date=first.occurrence_date).count() == 1


def test_changing_a_series_moves_future_scheduled_meetings_and_raises_their_sequence():
    network = NetworkFactory()
    series = meetings.create_series(actor=None, network=network, data=series_data())
    cancelled = meetings.cancel_meeting(actor=None, meeting=series.meetings.order_by("start")[1])
    meetings.update_series(actor=None, series=series, data={"start_time": datetime.time(10, 0), "venue": "Town Hall"})

    scheduled = series.meetings.filter(status=MeetingStatus.SCHEDULED)
    assert {m.start.astimezone(LONDON).time() for m in scheduled} == {datetime.time(10, 0)}
    assert {m.venue for m in scheduled} == {"Town Hall"}
    assert {m.sequence for m in scheduled} == {1}
    cancelled.refresh_from_db()
    assert cancelled.start.astimezone(LONDON).time() == datetime.time(14, 0)
    assert cancelled.sequence == 1  # only the cancellation


def test_a_meeting_must_end_after_it_starts():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        meetings.update_meeting(actor=None, meeting=meeting, data={"end": meeting.start})
    assert "end" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_changes_are_audited_with_the_actor():
    staff = make_persona("staff")
    meeting = MeetingFactory()
    meetings.update_meeting(actor=staff, meeting=meeting, data={"venue": "Library"})
    assert meeting.history.latest().history_user == staff


def test_agenda_items_go_at_the_end_unless_placed():
    meeting = MeetingFactory()
    presenter = ContactFactory()
    first = meetings.add_agenda_item(actor=None, meeting=meeting, data={"title": "Welcome"})
    second = meetings.add_agenda_item(
        actor=None, meeting=meeting, data={"title": "Service updates", "service_update": True, "presenter": presenter}
    )
    assert (first.order, second.order) == (1, 2)
    assert [item.title for item in meeting.agenda_items.all()] == ["Welcome", "Service updates"]


def test_attendance_is_recorded_changed_and_removed():
    meeting = MeetingFactory()
    ana, ben = ContactFactory(), ContactFactory()
    meetings.record_attendance(actor=None, meeting=meeting, statuses={ana: "present", ben: "apologies"})
    meetings.record_attendance(actor=None, meeting=meeting, statuses={ana: "absent", ben: ""})
    assert dict(meeting.attendance.values_list("contact__name", "status")) == {ana.name: "absent"}


def test_meeting_times_are_stored_as_aware_datetimes():
    meeting = MeetingFactory()
    stored = Meeting.objects.get(pk=meeting.pk)
    assert timezone.is_aware(stored.start)
