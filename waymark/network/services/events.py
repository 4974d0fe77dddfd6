"""Events: setting them up, handing out places, the waiting list, check-in and the retention of needs.

Places are the contested resource. Every change that takes or frees a place (registering, cancelling,
promoting from the waiting list) runs in one transaction that first locks the event's row: with
``SELECT ... FOR UPDATE`` on PostgreSQL, and on SQLite through the IMMEDIATE transactions the settings
turn on, which take the database's write lock at BEGIN. Counting the places taken and writing the new
registration therefore happen with no one else in between, so a ticket type or workshop is never
oversold however many people press "Register" at once. One lock per event (not per ticket type and
workshop) keeps the order of locking trivial, so two registrations can never deadlock.
"""

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from waymark.core.audit import acting_as
from waymark.core.email import TextAttachment, send_email
from waymark.core.personal_data import scrub_history
from waymark.core.text import refuse_nul_characters
from waymark.network import ical
from waymark.network.calendars import event_calendar, ical_url
from waymark.network.models import (
    BookingStatus,
    Event,
    Registration,
    RegistrationStatus,
    Stall,
    TicketType,
    Workshop,
    WorkshopBooking,
)
from waymark.network.registrations import registration_url

logger = logging.getLogger(__name__)

# Access and dietary needs are kept this long after the event ends (for follow-up on anything that went
# wrong on the day), then erased by the ``erase_event_needs`` scheduled job.
NEEDS_KEPT_FOR = timedelta(days=14)


class RegistrationRefused(Exception):
    """A broken rule, worded for the person registering: closed, already registered, wrong ticket."""


# --- Setting up an event ------------------------------------------------------------------------------

CALENDAR_FIELDS = ("title", "description", "venue", "starts_at", "ends_at", "status")


def save_event(*, actor: Any, event: Event) -> Event:
    """Create or change an event. A change to anything a calendar shows raises its iCalendar SEQUENCE."""
    with transaction.atomic(), acting_as(actor):
        if event.pk:
            before = Event.objects.select_for_update().get(pk=event.pk)
            if any(getattr(before, name) != getattr(event, name) for name in CALENDAR_FIELDS):
                event.sequence = before.sequence + 1
        event.full_clean()
        event.save()
    return event


def save_event_part[Part: (TicketType, Workshop, Stall)](*, actor: Any, part: Part) -> Part:
    """Create or change a ticket type, workshop or stall. More places fill from the waiting list at once."""
    with transaction.atomic(), acting_as(actor):
        _lock_event(part.event_id)
        part.full_clean()
        part.save()
        if isinstance(part, TicketType | Workshop):
            _promote_waiting(Event.objects.get(pk=part.event_id))
    return part


# --- Places -----------------------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    """Lock the event's row until the transaction ends: the one lock that guards all its places."""
    return Event.objects.select_for_update().get(pk=event_id)


def _next_position(queryset: Any) -> int:
    return (queryset.aggregate(last=Max("waitlist_position"))["last"] or 0) + 1


def _book_workshop(registration: Registration, workshop: Workshop) -> WorkshopBooking:
    """Give a confirmed registration a place in the workshop, or the next place in its queue."""
    bookings = WorkshopBooking.objects.filter(workshop=workshop)
    taken = bookings.filter(status=BookingStatus.CONFIRMED).count()
    values: dict[str, Any]
    if taken < workshop.capacity:
        values = {"status": BookingStatus.CONFIRMED, "waitlist_position": None}
    else:
        queue = bookings.filter(status=BookingStatus.WAITLISTED)
        values = {"status": BookingStatus.WAITLISTED, "waitlist_position": _next_position(queue)}
    booking, _created = WorkshopBooking.objects.update_or_create(
        registration=registration, workshop=workshop, defaults=values
    )
    return booking


def register(
    *,
    event: Event,
    ticket_type: TicketType,
    name: str,
    email: str,
    organisation: str = "",
    access_needs: str = "",
    dietary_needs: str = "",
    workshops: Iterable[Workshop] = (),
    actor: Any = None,
    notify: bool = True,
) -> Registration:
    """Register someone: a confirmed place while the ticket type has room, else the end of its waiting list.

    Chosen workshops are booked the same way for a confirmed place; for a place on the waiting list they
    are held (``requested``) and booked when the place is confirmed. Sends the confirmation e-mail unless
    ``notify`` is False (the demo borough, whose people must never be e-mailed).
    """
    chosen = sorted(set(workshops), key=lambda workshop: workshop.pk)
    with transaction.atomic(), acting_as(actor):
        locked = _lock_event(event.pk)
        if not locked.accepts_registrations:
            raise RegistrationRefused(_("Registration for this event is closed."))
        if ticket_type.event_id != locked.pk or any(workshop.event_id != locked.pk for workshop in chosen):
            raise RegistrationRefused(_("Choose a ticket type and workshops from this event."))
        email = email.strip()
        live = Registration.objects.filter(event=locked).exclude(status=RegistrationStatus.CANCELLED)
        if live.filter(email__iexact=email).exists():
            raise RegistrationRefused(_("Someone has already registered for this event with that e-mail address."))
        of_ticket = live.filter(ticket_type=ticket_type)
        confirmed = of_ticket.filter(status=RegistrationStatus.CONFIRMED).count()
        registration = Registration(
            event=locked,
            ticket_type=ticket_type,
            name=name.strip(),
            email=email,
            organisation=organisation.strip(),
            access_needs=access_needs.strip(),
            dietary_needs=dietary_needs.strip(),
        )
        if confirmed < ticket_type.capacity:
            registration.status = RegistrationStatus.CONFIRMED
        else:
            registration.status = RegistrationStatus.WAITLISTED
            registration.waitlist_position = _next_position(of_ticket.filter(status=RegistrationStatus.WAITLISTED))
        refuse_nul_characters(registration)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise RegistrationRefused(
                _("Someone has already registered for this event with that e-mail address.")
            ) from None
        for workshop in chosen:
            if registration.status == RegistrationStatus.CONFIRMED:
                _book_workshop(registration, workshop)
            else:
                WorkshopBooking.objects.create(
                    registration=registration, workshop=workshop, status=BookingStatus.REQUESTED
                )
        if notify:
            _send_registration_email(registration, "network_event_registration")
    return registration


def cancel_registration(*, registration: Registration, actor: Any = None) -> list[Registration]:
    """Cancel a place (or a place in the queue) and fill what it frees from the waiting lists.

    Returns the registrations promoted to a confirmed place; each is told by e-mail.
    """
    with transaction.atomic(), acting_as(actor):
        event = _lock_event(registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        registration.status = RegistrationStatus.CANCELLED
        registration.waitlist_position = None
        registration.cancelled_at = timezone.now()
        registration.save()
        for booking in registration.bookings.exclude(status=BookingStatus.CANCELLED):
            booking.status, booking.waitlist_position = BookingStatus.CANCELLED, None
            booking.save()
        promoted = _promote_waiting(event)
    return promoted


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill free places from the front of each waiting list; the caller holds the event lock."""
    promoted: list[Registration] = []
    for ticket_type in event.ticket_types.all():
        live = Registration.objects.filter(ticket_type=ticket_type)
        free = ticket_type.capacity - live.filter(status=RegistrationStatus.CONFIRMED).count()
        waiting = list(live.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlist_position")[: max(free, 0)])
        for registration in waiting:
            registration.status = RegistrationStatus.CONFIRMED
            registration.waitlist_position = None
            registration.save()
            for booking in registration.bookings.filter(status=BookingStatus.REQUESTED).select_related("workshop"):
                _book_workshop(registration, booking.workshop)
            promoted.append(registration)
            _send_registration_email(registration, "network_event_place_confirmed")
        _renumber(live.filter(status=RegistrationStatus.WAITLISTED))
    for workshop in event.workshops.all():
        bookings = WorkshopBooking.objects.filter(workshop=workshop)
        free = workshop.capacity - bookings.filter(status=BookingStatus.CONFIRMED).count()
        queue = bookings.filter(status=BookingStatus.WAITLISTED).order_by("waitlist_position")
        for booking in queue[: max(free, 0)]:
            booking.status = BookingStatus.CONFIRMED
            booking.waitlist_position = None
            booking.save(update_fields=["status", "waitlist_position"])
        _renumber(bookings.filter(status=BookingStatus.WAITLISTED))
    return promoted


def _renumber(queue: Any) -> None:
    """Close the gaps in a waiting list so people see their true place: 1, 2, 3…"""
    for position, row in enumerate(queue.order_by("waitlist_position"), start=1):
        if row.waitlist_position != position:
            row.waitlist_position = position
            row.save(update_fields=["waitlist_position"])


# --- The day itself --------------------------------------------------------------------------------


def check_in(*, registration: Registration, actor: Any, undo: bool = False) -> Registration:
    """Record that someone has arrived (or take it back, for a mistaken tap)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationRefused(_("Only people with a confirmed place can be checked in."))
    with transaction.atomic(), acting_as(actor):
        registration.checked_in_at = None if undo else (registration.checked_in_at or timezone.now())
        registration.save(update_fields=["checked_in_at"])
    return registration


# --- Retention -------------------------------------------------------------------------------------

NEEDS_FIELDS = ("access_needs", "dietary_needs")


def erase_event_needs(now: datetime | None = None) -> dict[str, int]:
    """Erase access and dietary needs, in the records and their history, once an event is NEEDS_KEPT_FOR past.

    Safe to run twice: an event is marked when its needs have been erased, and erased fields stay empty.
    """
    now = now or timezone.now()
    erased = 0
    events = Event.objects.filter(ends_at__lt=now - NEEDS_KEPT_FOR, needs_erased_at__isnull=True)
    for event in events:
        with transaction.atomic(), acting_as(None):
            registrations = Registration.objects.filter(event=event)
            pks = list(registrations.values_list("pk", flat=True))
            blanks = dict.fromkeys(NEEDS_FIELDS, "")
            with_needs = list(registrations.exclude(access_needs="", dietary_needs=""))
            for registration in with_needs:
                for name, blank in blanks.items():
                    setattr(registration, name, blank)
            bulk_update_with_history(with_needs, Registration, list(NEEDS_FIELDS))
            erased += len(with_needs)
            scrub_history(Registration, pks, blanks)
            event.needs_erased_at = now
            event.save(update_fields=["needs_erased_at"])
    if erased:
        logger.info("Erased the access and dietary needs of %d registration(s) after their events.", erased)
    return {"registrations": erased}


# --- E-mail -----------------------------------------------------------------------------------------


def _send_registration_email(registration: Registration, template: str) -> None:
    """Tell the person where they stand. The key includes the status, so each change is told once."""
    bookings = registration.bookings.select_related("workshop").exclude(status=BookingStatus.CANCELLED)
    context: Mapping[str, Any] = {
        "registration": registration,
        "event": registration.event,
        "ticket_type": registration.ticket_type,
        "bookings": list(bookings),
        "registration_url": registration_url(registration),
        "ics_url": ical_url(registration.event),
        "needs_kept_days": NEEDS_KEPT_FOR.days,
    }
    # A confirmed place carries the event as a calendar entry; a place on the waiting list is not yet one.
    calendar_entry = []
    if registration.status == RegistrationStatus.CONFIRMED:
        content = ical.ics_bytes(event_calendar(registration.event)).decode("utf-8")
        calendar_entry = [TextAttachment("event.ics", content, "text/calendar")]
    send_email(
        to=registration.email,
        template=template,
        context=dict(context),
        dedupe_key=f"network-registration:{registration.uuid}:{template}:{registration.status}",
        attachments=calendar_entry,
    )
