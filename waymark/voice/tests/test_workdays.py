"""Working days: weekends, England's bank holidays and the closure days an administrator adds never count."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waymark.voice import workdays
from waymark.voice.models import ClosureDay

D = datetime.date


def test_bank_holidays_in_england_include_substitute_days() -> None:
    found = workdays.bank_holidays(D(2026, 12, 1), D(2027, 1, 31))
    # Boxing Day 2026 is a Saturday, so Monday 28 December is the substitute day.
    assert found == {D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 28), D(2027, 1, 1)}


@pytest.mark.django_db
def test_due_date_across_easter_skips_good_friday_and_easter_monday() -> None:
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert workdays.add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    # 20 working days from 30 March 2026: 22 weekdays to 28 April, less the two Easter holidays.
    assert workdays.add_working_days(D(2026, 3, 30), 20) == D(2026, 4, 29)


@pytest.mark.django_db
def test_due_date_across_christmas_and_new_year() -> None:
    # Sent Monday 21 December 2026: 25, 28 December and 1 January are bank holidays.
    assert workdays.add_working_days(D(2026, 12, 21), 5) == D(2026, 12, 30)
    assert workdays.add_working_days(D(2026, 12, 21), 20) == D(2027, 1, 21)


@pytest.mark.django_db
def test_friday_plus_one_working_day_is_monday_or_tuesday_after_a_bank_holiday() -> None:
    assert workdays.add_working_days(D(2026, 5, 15), 1) == D(2026, 5, 18)
    assert workdays.add_working_days(D(2026, 5, 22), 1) == D(2026, 5, 26)  # Spring bank holiday 25 May


@pytest.mark.django_db
def test_closure_days_an_admin_adds_do_not_count() -> None:
    before = workdays.add_working_days(D(2026, 6, 1), 5)
    assert before == D(2026, 6, 8)
    ClosureDay.objects.create(date=D(2026, 6, 3), reason="Office move")
    assert workdays.add_working_days(D(2026, 6, 1), 5) == D(2026, 6, 9)
    assert not workdays.is_working_day(D(2026, 6, 3))


@pytest.mark.django_db
def test_default_is_twenty_working_days_and_configurable(settings) -> None:
    assert workdays.due_date(D(2026, 6, 1)) == D(2026, 6, 29)
    settings.VOICE_RESPONSE_WORKING_DAYS = 10
    assert workdays.due_date(D(2026, 6, 1)) == D(2026, 6, 15)


@pytest.mark.django_db
def test_working_days_between_counts_how_late_an_answer_is() -> None:
    # Due Thursday 2 April 2026; by Tuesday 7 April only the Tuesday counts (Good Friday, weekend, Easter Monday).
    assert workdays.working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1
    assert workdays.working_days_between(D(2026, 4, 7), D(2026, 4, 2)) == 0


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        workdays.add_working_days(D(2026, 1, 5), -1)


@pytest.mark.django_db
@given(start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)), count=st.integers(0, 60))
def test_adding_working_days_lands_on_a_working_day_the_right_count_away(start: D, count: int) -> None:
    due = workdays.add_working_days(start, count)
    assert workdays.working_days_between(start, due) == count
    if count:
        assert workdays.is_working_day(due)
        assert due.weekday() < 5
        assert due not in workdays.bank_holidays(due, due)
