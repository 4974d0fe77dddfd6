"""Writes to meetings: series block-booked a year ahead, single meetings, agendas and attendance.

Every page, task and the demo change meetings through these functions. Each runs in a transaction
with the acting user recorded in the audit history, and every change to a meeting that calendars
hold (title, time, venue, status) raises its iCalendar SEQUENCE so subscribed calendars update.
Series dates are worked out in Europe/London local time, so a 14:00 meeting stays at 14:00 when
the clocks change.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from waymark.core import signed_links
from waymark.core.audit import acting_as
from waymark.core.email import TextAttachment, send_email
from waymark.core.text import refuse_nul_characters
from waymark.network.agendas import agenda_digest, timed_agenda
from waymark.network.calendars import FEED_PURPOSE, feed_subject, meeting_calendar, titled
from waymark.network.ical import LONDON, ics_bytes
from waymark.network.mailing import absolute_url, bulletin_headers, email_context
from waymark.network.membership import current_members
from waymark.network.models import (
    AgendaItem,
    Attendance,
    Contact,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Network,
    Recurrence,
)

BOOKING_HORIZON = relativedelta(months=12)
SERIES_FIELDS = ("title", "recurrence", "interval", "first_date", "start_time", "duration_minutes", "venue")
# Changing the rule itself would move every booked date; a new series is the honest way to do that.
SERIES_CHANGEABLE_FIELDS = ("title", "start_time", "duration_minutes", "venue")
MEETING_FIELDS = ("title", "start", "end", "venue")
AGENDA_FIELDS = ("title", "presenter", "service_update", "minutes_allowed", "order")


def _validate(instance: Any) -> None:
    refuse_nul_characters(instance)
    instance.full_clean()


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


# --- Series -----------------------------------------------------------------------------------------


def occurrence_dates(series: MeetingSeries, until: datetime.date) -> list[datetime.date]:
    """The dates the series' rule gives from its first date up to and including ``until``.

    Monthly series keep the weekday and its place in the month ("second Tuesday"); a first date in
    the fifth week means "the last such weekday".
    """
    start = datetime.datetime.combine(series.first_date, datetime.time())
    end = datetime.datetime.combine(until, datetime.time())
    if series.recurrence == Recurrence.MONTHLY:
        week_of_month = (series.first_date.day - 1) // 7 + 1
        nth = -1 if week_of_month == 5 else week_of_month
        rule = rrule(
            MONTHLY,
            interval=series.interval,
            dtstart=start,
            until=end,
            byweekday=weekday(series.first_date.weekday(), nth),
        )
    else:
        rule = rrule(WEEKLY, interval=series.interval, dtstart=start, until=end)
    return [moment.date() for moment in rule]


def _local_span(series: MeetingSeries, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of the series' meeting on ``day``, fixed in London local time (not a UTC offset)."""
    start = datetime.datetime.combine(day, series.start_time, tzinfo=LONDON)
    return start, start + datetime.timedelta(minutes=series.duration_minutes)


def create_series(*, actor: Any, network: Network, data: Mapping[str, Any]) -> MeetingSeries:
    """Start a series and book its meetings twelve months ahead."""
    series = MeetingSeries(network=network, **_only(data, SERIES_FIELDS))
    with transaction.atomic(), acting_as(actor):
        _validate(series)
        series.save()
        book_series(actor=actor, series=series)
    return series


def book_series(*, actor: Any, series: MeetingSeries, today: datetime.date | None = None) -> list[Meeting]:
    """Book every meeting of the series up to twelve months from today (or from its first date).

    Safe to run again: dates already booked, moved or cancelled are left as they are, so only the
    new months are added. Returns the meetings added.
    """
    today = today or timezone.localdate()
    until = max(today, series.first_date) + BOOKING_HORIZON
    with transaction.atomic(), acting_as(actor):
        series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        booked = set(series.meetings.values_list("occurrence_date", flat=True))
        new = []
        for day in occurrence_dates(series, until):
            if day in booked:
                continue
            start, end = _local_span(series, day)
            new.append(
                Meeting(
                    network_id=series.network_id,
                    series=series,
                    occurrence_date=day,
                    title=series.title,
                    start=start,
                    end=end,
                    venue=series.venue,
                )
            )
        created = bulk_create_with_history(new, Meeting) if new else []
        series.booked_until = until
        series.save(update_fields=["booked_until"])
    return list(created)


def update_series(*, actor: Any, series: MeetingSeries, data: Mapping[str, Any]) -> MeetingSeries:
    """Change the series' title, time, length or venue, and every future meeting of it still scheduled.

    Each meeting that changes gets a higher SEQUENCE, so calendars move it.
    """
    changes = _only(data, SERIES_CHANGEABLE_FIELDS)
    with transaction.atomic(), acting_as(actor):
        current = MeetingSeries.objects.select_for_update().get(pk=series.pk)
        for name, value in changes.items():
            setattr(current, name, value)
        _validate(current)
        current.save()
        future = current.meetings.select_for_update().filter(
            status=MeetingStatus.SCHEDULED, start__gte=timezone.now(), occurrence_date__isnull=False
        )
        for meeting in future:
            assert meeting.occurrence_date is not None  # filtered above
            start, end = _local_span(current, meeting.occurrence_date)
            _apply_meeting_changes(
                meeting, {"title": current.title, "start": start, "end": end, "venue": current.venue}
            )
    return current


# --- Meetings ---------------------------------------------------------------------------------------


def create_meeting(*, actor: Any, network: Network, data: Mapping[str, Any]) -> Meeting:
    """A one-off meeting outside any series."""
    meeting = Meeting(network=network, **_only(data, MEETING_FIELDS))
    with transaction.atomic(), acting_as(actor):
        _validate(meeting)
        meeting.save()
    return meeting


def _apply_meeting_changes(meeting: Meeting, changes: Mapping[str, Any]) -> bool:
    """Set ``changes`` on a locked meeting and save with a raised SEQUENCE when anything differs."""
    if not any(getattr(meeting, name) != value for name, value in changes.items()):
        return False
    for name, value in changes.items():
        setattr(meeting, name, value)
    _validate(meeting)
    meeting.sequence += 1
    meeting.save()
    return True


def update_meeting(*, actor: Any, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Move, rename or re-venue one meeting. Its SEQUENCE goes up when anything changed."""
    changes = _only(data, MEETING_FIELDS)
    with transaction.atomic(), acting_as(actor):
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _apply_meeting_changes(current, changes)
    return current


def cancel_meeting(*, actor: Any, meeting: Meeting) -> Meeting:
    """Cancel a meeting: calendars get STATUS:CANCELLED with a higher SEQUENCE. Cancelling twice does nothing."""
    with transaction.atomic(), acting_as(actor):
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _apply_meeting_changes(current, {"status": MeetingStatus.CANCELLED})
    return current


def reinstate_meeting(*, actor: Any, meeting: Meeting) -> Meeting:
    """Undo a cancellation: the meeting is back on, with a higher SEQUENCE."""
    with transaction.atomic(), acting_as(actor):
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _apply_meeting_changes(current, {"status": MeetingStatus.SCHEDULED})
    return current


# --- Agenda and attendance --------------------------------------------------------------------------


def add_agenda_item(*, actor: Any, meeting: Meeting, data: Mapping[str, Any]) -> AgendaItem:
    """Add an item; without an ``order`` it goes at the end."""
    values = _only(data, AGENDA_FIELDS)
    if not values.get("order"):
        last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
        values["order"] = last + 1
    item = AgendaItem(meeting=meeting, **values)
    with transaction.atomic(), acting_as(actor):
        _validate(item)
        item.save()
    return item


def update_agenda_item(*, actor: Any, item: AgendaItem, data: Mapping[str, Any]) -> AgendaItem:
    for name, value in _only(data, AGENDA_FIELDS).items():
        setattr(item, name, value)
    with transaction.atomic(), acting_as(actor):
        _validate(item)
        item.save()
    return item


def remove_agenda_item(*, actor: Any, item: AgendaItem) -> None:
    with transaction.atomic(), acting_as(actor):
        item.delete()


def move_agenda_item(*, actor: Any, item: AgendaItem, up: bool) -> None:
    """Swap the item with the one above (``up``) or below it, numbering the agenda 1, 2, 3… again, so
    positions stay distinct even where items were once given the same number. At either end, nothing moves."""
    with transaction.atomic(), acting_as(actor):
        items = list(AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id).order_by("order", "pk"))
        index = [row.pk for row in items].index(item.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, row in enumerate(items, start=1):
            if row.order != position:
                row.order = position
                row.save(update_fields=["order"])


@dataclass(frozen=True)
class AgendaSent:
    sent: int  # members e-mailed now
    unchanged: int  # members who already had this same agenda, not e-mailed again
    skipped: int  # members who may not be e-mailed (no address, no consent, unsubscribed)


def agenda_recipients(meeting: Meeting) -> list[Contact]:
    """The network's current members, in name order; ``Contact.may_be_emailed`` says who is skipped."""
    return list(current_members(meeting.network).order_by("name", "pk"))


def send_agenda(*, actor: Any, meeting: Meeting) -> AgendaSent:
    """E-mail the agenda, with the meeting as a calendar entry, to every current member who may be e-mailed.

    The dedupe key holds a fingerprint of the agenda, so pressing "Send" twice sends it once, while an
    agenda changed since is sent again to everyone."""
    rows = timed_agenda(meeting)
    digest = agenda_digest(meeting, rows)
    calendar_entry = TextAttachment(
        "meeting.ics", ics_bytes(meeting_calendar(meeting)).decode("utf-8"), "text/calendar"
    )
    shared = {
        "meeting": meeting,
        "meeting_title": titled(meeting.network, meeting.title),
        "network_name": meeting.network.name,
        "agenda": rows,
        "meeting_url": absolute_url(meeting.get_absolute_url()),
    }
    sent = unchanged = skipped = 0
    asked_at = timezone.now()
    with transaction.atomic(), acting_as(actor):
        for contact in agenda_recipients(meeting):
            if not contact.may_be_emailed:
                skipped += 1
                continue
            [delivery] = send_email(
                to=contact.email,
                template="network_meeting_agenda",
                context={**shared, "contact": contact, **email_context(contact)},
                dedupe_key=f"network-agenda:{meeting.uuid}:{digest}:{contact.uuid}",
                headers=bulletin_headers(contact),
                attachments=[calendar_entry],
                actor=actor,
            )
            # send_email hands back the earlier delivery of the same key: that member already has this agenda.
            if delivery.created_at < asked_at:
                unchanged += 1
            else:
                sent += 1
    return AgendaSent(sent=sent, unchanged=unchanged, skipped=skipped)


def record_attendance(*, actor: Any, meeting: Meeting, statuses: Mapping[Contact, str]) -> None:
    """Set each contact's attendance (present, apologies or absent); an empty status removes the record."""
    with transaction.atomic(), acting_as(actor):
        existing = {row.contact_id: row for row in meeting.attendance.select_for_update()}
        for contact, status in statuses.items():
            row = existing.get(contact.pk)
            if not status:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = Attendance(meeting=meeting, contact=contact, status=status)
            elif row.status == status:
                continue
            row.status = status
            _validate(row)
            row.save()


# --- Calendar links ---------------------------------------------------------------------------------


def replace_feed_links(*, actor: Any, user: Any) -> None:
    """Withdraw every calendar link ``user`` has been given (their own wish, or staff's when a link has
    leaked); the next link shown to them works. Other people's links are untouched."""
    signed_links.revoke_links(actor=actor, purpose=FEED_PURPOSE, subject=feed_subject(user))
