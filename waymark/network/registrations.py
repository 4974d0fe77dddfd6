"""Reads of an event's registrations: the public list of upcoming events, how full each ticket type and
workshop is, who came on the day, and the signed link to a person's own registration (seen and cancelled
without an account).

The writes that take and free places are ``services.events``.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from waymark.core import signed_links
from waymark.network.models import (
    BookingStatus,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    TicketType,
    Workshop,
)

REGISTRATION_PURPOSE = "event-registration"


def upcoming_events(user: Any) -> QuerySet[Event]:
    """Published (and cancelled) events this visitor may see that have not ended, soonest first, each with
    ``has_ticket_types`` so its registration state costs no query per row."""
    return (
        Event.objects.visible_to(user)
        .filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED], ends_at__gte=timezone.now())
        .annotate(has_ticket_types=Exists(TicketType.objects.filter(event=OuterRef("pk"))))
        .select_related("network")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class PlaceCount:
    """How full one ticket type or workshop is."""

    capacity: int
    confirmed: int
    waitlisted: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.confirmed)


# --- Places -----------------------------------------------------------------------------------------


def ticket_counts(event: Event) -> dict[int, PlaceCount]:
    """Places taken and queued per ticket type id, in one query."""
    rows = TicketType.objects.filter(event=event).annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    )
    return {row.pk: PlaceCount(row.capacity, row.n_confirmed, row.n_waitlisted) for row in rows}  # type: ignore[attr-defined]


def workshop_counts(event: Event) -> dict[int, PlaceCount]:
    """Places taken and queued per workshop id, in one query."""
    rows = Workshop.objects.filter(event=event).annotate(
        n_confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        n_waitlisted=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
    )
    return {row.pk: PlaceCount(row.capacity, row.n_confirmed, row.n_waitlisted) for row in rows}  # type: ignore[attr-defined]


def attendance_summary(event: Event) -> list[dict[str, Any]]:
    """Per ticket type: places, confirmed, waiting, checked in."""
    rows = TicketType.objects.filter(event=event).annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        n_checked_in=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED, registrations__checked_in_at__isnull=False),
        ),
    )
    return [
        {
            "ticket_type": row,
            "capacity": row.capacity,
            "confirmed": row.n_confirmed,  # type: ignore[attr-defined]
            "waitlisted": row.n_waitlisted,  # type: ignore[attr-defined]
            "checked_in": row.n_checked_in,  # type: ignore[attr-defined]
        }
        for row in rows
    ]


# --- Links ------------------------------------------------------------------------------------------


def registration_token(registration: Registration) -> str:
    """The signed key to a registration's own page (see it, cancel it) for someone without an account.
    It works for ``SIGNED_LINK_MAX_AGE_DAYS["event-registration"]`` days, or until withdrawn."""
    return signed_links.make_token(purpose=REGISTRATION_PURPOSE, subject=f"registration:{registration.uuid}")


def registration_from_token(token: str) -> Registration:
    """The registration a token opens; signed_links.LinkRefused when it cannot be used."""
    subject, _data = signed_links.read_token(token, purpose=REGISTRATION_PURPOSE)
    try:
        return Registration.objects.select_related("event", "ticket_type").get(
            uuid=subject.removeprefix("registration:")
        )
    except (Registration.DoesNotExist, ValidationError, ValueError):
        raise signed_links.BadLink from None


def registration_url(registration: Registration) -> str:
    """The person's own page, from their e-mail: where they stand, and a way to cancel."""
    token = registration_token(registration)
    return f"{settings.SITE_URL}{reverse('network:event_registration_status', args=[token])}"
