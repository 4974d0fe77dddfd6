"""Working days for escalation due dates: Monday to Friday, less England's bank holidays and closure days.

Bank holidays come from the offline ``holidays`` package (England), so nothing is fetched from the internet;
closure days (the office shut between Christmas and New Year, a strike day…) are ``ClosureDay`` rows an
administrator adds. A responder is given ``settings.VOICE_RESPONSE_WORKING_DAYS`` working days (20 unless
configured) counted from the day after the escalation was sent.
"""

import datetime
from collections.abc import Iterable
from functools import cache

import holidays
from django.conf import settings

DEFAULT_RESPONSE_WORKING_DAYS = 20
# A generous bound on how far a count of working days can reach in calendar days (weekends, Christmas week
# and every closure an admin might add), so closures are read from the database once per calculation.
_CALENDAR_SPAN_PER_WORKING_DAY = 3


def response_working_days() -> int:
    """How many working days a responder has to answer, from settings."""
    return int(getattr(settings, "VOICE_RESPONSE_WORKING_DAYS", DEFAULT_RESPONSE_WORKING_DAYS))


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """England's bank holidays from ``start`` to ``end`` inclusive (substitute days included)."""
    found: set[datetime.date] = set()
    for year in range(start.year, end.year + 1):
        found |= {day for day in _bank_holidays(year) if start <= day <= end}
    return found


def closure_days(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """The closure days an administrator added, from ``start`` to ``end`` inclusive."""
    from waymark.voice.models import ClosureDay

    return set(ClosureDay.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def non_working_days(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Bank holidays and closure days between the dates (weekends are left to ``is_working_day``)."""
    return bank_holidays(start, end) | closure_days(start, end)


def is_working_day(day: datetime.date, closed: Iterable[datetime.date] | None = None) -> bool:
    """Whether ``day`` is a weekday that is neither a bank holiday nor a closure day."""
    if day.weekday() >= 5:
        return False
    closed_days = set(closed) if closed is not None else non_working_days(day, day)
    return day not in closed_days


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``start``; ``start`` itself is not counted.

    Sent on a Friday with 1 working day to answer, the answer is due on Monday (or Tuesday after a bank
    holiday Monday). ``count`` of 0 gives ``start`` itself.
    """
    if count < 0:
        raise ValueError("The number of working days must not be negative.")
    closed = non_working_days(start, start + datetime.timedelta(days=count * _CALENDAR_SPAN_PER_WORKING_DAY + 14))
    day = start
    remaining = count
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day, closed):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``).

    ``working_days_between(due_on, today)`` is how many working days an answer is late.
    """
    if end <= start:
        return 0
    closed = non_working_days(start, end)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + datetime.timedelta(days=offset), closed)
    )


def due_date(sent_on: datetime.date, working_days: int | None = None) -> datetime.date:
    """When an escalation sent on ``sent_on`` must be answered by (the configured working days later)."""
    return add_working_days(sent_on, response_working_days() if working_days is None else working_days)
