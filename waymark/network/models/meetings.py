"""Meetings of a network: series block-booked a year ahead, agendas, attendance, minutes and actions.

A Meeting is one occurrence people put in their calendars, so it carries what RFC 5545 needs: a
stable ``uuid`` behind its UID and a ``sequence`` raised by ``network.meetings`` on every change
(calendar programs ignore an update whose SEQUENCE has not gone up). Times are aware datetimes;
series are generated in Europe/London local time, so a 14:00 meeting stays at 14:00 across clock
changes. Minutes move draft → circulated → published; members comment only while circulated.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.network.ical import make_uid

__all__ = [
    "Action",
    "ActionStatus",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Meeting",
    "MeetingSeries",
    "MeetingStatus",
    "Minutes",
    "MinutesComment",
    "MinutesStatus",
    "Recurrence",
]


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every few weeks")
    MONTHLY = "monthly", _("Monthly, on the same weekday (such as the second Tuesday)")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comment")
    PUBLISHED = "published", _("Published")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class MeetingSeries(models.Model):
    """A run of regular meetings ("every six weeks, Thursday 14:00 at the Hub"), booked ahead as Meetings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(_("title"), max_length=200)
    recurrence = models.CharField(_("how often"), max_length=10, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("every how many"), default=6, help_text=_("Weeks or months between meetings: 6 means every six weeks.")
    )
    first_date = models.DateField(_("date of the first meeting"))
    start_time = models.TimeField(_("start time"), help_text=_("UK local time, for example 14:00."))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=120)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    booked_until = models.DateField(_("booked until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["network", "title"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(condition=Q(interval__gte=1), name="network_series_interval_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="network_series_duration_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:series_detail", args=[self.uuid])


class Meeting(models.Model):
    """One meeting: when, where, whether it still happens, and its place in a series if it has one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    occurrence_date = models.DateField(
        null=True, blank=True, editable=False, help_text=_("The date the series rule gave; kept when it is moved.")
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    sequence = models.PositiveIntegerField(default=0, editable=False, help_text=_("iCalendar SEQUENCE."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["network", "start"], name="network_meeting_start_idx")]
        constraints = [
            models.UniqueConstraint(fields=["series", "occurrence_date"], name="network_meeting_one_per_series_date"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="network_meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.start):%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("network:meeting_detail", args=[self.uuid])

    @property
    def ical_uid(self) -> str:
        return make_uid("meeting", self.uuid)

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def held(self) -> bool:
        """A scheduled meeting that has ended: past meetings read "Held", not "Scheduled"."""
        return self.status == MeetingStatus.SCHEDULED and self.end <= timezone.now()

    @property
    def status_label(self) -> str:
        return str(_("Held")) if self.held else self.get_status_display()

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})


class AgendaItem(models.Model):
    """One item on a meeting's agenda; service-update slots give member organisations a few minutes each."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("item"), max_length=300)
    presenter = models.ForeignKey(
        "network.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("presenter"),
    )
    service_update = models.BooleanField(
        _("service-update slot"), default=False, help_text=_("A short update from a member organisation.")
    )
    minutes_allowed = models.PositiveSmallIntegerField(_("minutes allowed"), null=True, blank=True)

    history = audit_history()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether a contact came to a meeting, sent apologies or was absent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    contact = models.ForeignKey("network.Contact", on_delete=models.CASCADE, related_name="meeting_attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    history = audit_history()

    class Meta:
        ordering = ["meeting", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "contact"], name="network_attendance_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.contact}: {self.get_status_display()}"


class Minutes(models.Model):
    """The record of a meeting, drafted by the minute-taker, circulated for comment, then published."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True, help_text=_("Markdown: headings, lists and links work."))
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("network:minutes_detail", args=[self.meeting.uuid])


class MinutesComment(models.Model):
    """A member's comment on circulated minutes, for the minute-taker to take into account."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["minutes", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.minutes}"


class Action(models.Model):
    """Something a meeting agreed someone would do, by when; chased weekly once overdue."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        "network.Contact", on_delete=models.PROTECT, related_name="network_actions", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="network_action_due_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("network:action_edit", args=[self.uuid])

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < timezone.localdate()
