"""Events a network runs: a launch or a café-style day with ticket types, workshops and a marketplace of stalls.

Places are handed out by ``network.services_events`` under a lock on the event row, so two people
registering at the same moment can never both take the last place (see that module). A registration
holds personal data, registered with core's personal-data registry in apps.py; access and dietary
needs are erased by a scheduled job once the event is over.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet

__all__ = [
    "BookingStatus",
    "Event",
    "EventStatus",
    "Registration",
    "RegistrationState",
    "RegistrationStatus",
    "Stall",
    "TicketType",
    "Workshop",
    "WorkshopBooking",
]


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationState(models.TextChoices):
    """What an event's pages say about registering: the staff and public pages read the same one."""

    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Event cancelled")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REQUESTED = "requested", _("Held until the event place is confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    """Something a network puts on that people register for."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    venue = models.CharField(_("venue"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    network = models.ForeignKey(
        "network.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("network"),
    )
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    registration_open = models.BooleanField(
        _("registration open"), default=False, help_text=_("Anyone with the link can register.")
    )
    sequence = models.PositiveIntegerField(default=0, editable=False, help_text=_("iCalendar SEQUENCE."))
    needs_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:event_detail", args=[self.uuid])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    @property
    def accepts_registrations(self) -> bool:
        return self.status == EventStatus.PUBLISHED and self.registration_open

    def registration_state(self, *, has_ticket_types: bool | None = None) -> RegistrationState:
        """Open only when published, switched on and with a ticket type to register for: "open" with no
        ticket type once told staff one thing while the public page, with no form, said "closed"."""
        if self.status == EventStatus.CANCELLED:
            return RegistrationState.CANCELLED
        if not self.accepts_registrations:
            return RegistrationState.CLOSED
        if has_ticket_types is None:
            has_ticket_types = self.ticket_types.exists()
        return RegistrationState.OPEN if has_ticket_types else RegistrationState.CLOSED


class TicketType(models.Model):
    """A kind of place with its own capacity, e.g. 30 for directors and NHS leaders, 70 for practitioners."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("who it is for"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    order = models.PositiveSmallIntegerField(default=0)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["event", "order", "name"]

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    """A session within the event, with its own places; people choose workshops when they register."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    slot = models.CharField(_("time slot"), max_length=100, help_text=_("For example ‘Morning’ or ‘11:00 to 12:00’."))

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["event", "slot", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.slot})"


class Stall(models.Model):
    """A table in the event's marketplace, taken by an organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stalls")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="event_stalls", verbose_name=_("organisation")
    )
    table = models.CharField(_("table"), max_length=50)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Power, space, what they will bring."))

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["event", "table"]

    def __str__(self) -> str:
        return f"{self.table}: {self.organisation}"


class Registration(models.Model):
    """One person's place (or place in the queue) at an event."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("ticket type")
    )
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    access_needs = models.TextField(_("access needs"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("place in the waiting list"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    workshops = models.ManyToManyField(Workshop, through="WorkshopBooking", related_name="registrations")

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["event", "name"]
        constraints = [
            # One live registration per person per event: a second would take a second place.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status="cancelled"),
                name="network_registration_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
                name="network_registration_waitlist_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.event}"


class WorkshopBooking(models.Model):
    """A registration's place (or queue position) in one workshop."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="bookings")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["workshop", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "workshop"], name="network_booking_once"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name}: {self.workshop}"
