"""Issues staff build from feedback items, their escalation to the organisation that must answer, the answers
and their outcome, the signed links that let an organisation without an account answer, and closure days.

Writes go through ``waymark.voice.services.escalations``; who sees what is decided in ``core.policy``.
"""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet

__all__ = [
    "AnswerLink",
    "ClosureDay",
    "Escalation",
    "EscalationReminder",
    "EscalationStatus",
    "Issue",
    "IssueStatus",
    "ReceivedBy",
    "ReminderKind",
    "Response",
    "ResponseOutcome",
]


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class EscalationStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class ResponseOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    DECLINED = "declined", _("Declined")


class ReceivedBy(models.TextChoices):
    """How an answer reached Waymark."""

    ACCOUNT = "account", _("Answered by the responder, signed in")
    LINK = "link", _("Answered through a signed link")
    LETTER = "letter", _("By letter, recorded by staff")
    EMAIL = "email", _("By e-mail, recorded by staff")


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the due date")
    OVERDUE = "overdue", _("After the due date")


class ClosureDay(models.Model):
    """A day the office is closed that is not a bank holiday; it does not count as a working day."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


class Issue(models.Model):
    """Something several people raised, put in words a service must answer, e.g. "women on ward X cannot get
    a female Urdu-speaking counsellor"."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    themes = models.ManyToManyField("core.Theme", blank=True, related_name="voice_issues", verbose_name=_("themes"))
    communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="voice_issues", verbose_name=_("communities affected")
    )
    items = models.ManyToManyField(
        "voice.FeedbackItem", blank=True, related_name="issues", verbose_name=_("feedback items")
    )
    status = models.CharField(_("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voice_issues",
        verbose_name=_("owner"),
        help_text=_("The member of staff who chases the answer."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[themes, communities, items])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:issue_detail", args=[self.uuid])


class Escalation(models.Model):
    """An issue sent to the organisation that must answer it, with the date the answer is due."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="escalations")
    responder = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="voice_escalations",
        verbose_name=_("responder organisation"),
    )
    question = models.TextField(
        _("what we ask"), max_length=5_000, help_text=_("What the organisation is asked to answer or do.")
    )
    contact_email = models.EmailField(
        _("nominated contact's e-mail"),
        blank=True,
        help_text=_("Where the signed answer link goes when the organisation has no responder account."),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=12, choices=EscalationStatus.choices, default=EscalationStatus.AWAITING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_note = models.TextField(_("what happened in the end"), max_length=5_000, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.issue} → {self.responder}"

    def get_absolute_url(self) -> str:
        return reverse("voice:escalation_detail", args=[self.uuid])

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        day = today or timezone.localdate()
        return self.status == EscalationStatus.AWAITING and self.due_on < day


class EscalationReminder(models.Model):
    """The reminder log: one row per reminder sent, so a reminder queued twice goes once."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    number = models.PositiveSmallIntegerField(
        default=1, help_text=_("Overdue reminders repeat; this counts them for the escalation.")
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at"]
        constraints = [models.UniqueConstraint(fields=["escalation", "kind", "number"], name="voice_reminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.number} for {self.escalation}"


def response_document_path(instance: "Response", filename: str) -> str:
    """Stored under a random folder, never under a name someone could guess."""
    return f"voice/responses/{uuid.uuid4().hex}/{filename}"


class Response(models.Model):
    """The organisation's answer to an escalation and its outcome, tracked until the escalation is closed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    escalation = models.OneToOneField(Escalation, on_delete=models.PROTECT, related_name="response")
    text = models.TextField(_("the answer"), max_length=20_000)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ResponseOutcome.choices)
    reasons = models.TextField(
        _("reasons"), max_length=5_000, blank=True, help_text=_("Needed when the request is partly or not accepted.")
    )
    what_changed = models.TextField(_("what changed, or will change"), max_length=5_000, blank=True)
    received_by = models.CharField(_("how the answer arrived"), max_length=10, choices=ReceivedBy.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who typed it in: the responder, or staff recording it on the responder's behalf."),
    )
    responder_name = models.CharField(
        _("answered by"), max_length=200, blank=True, help_text=_("The name and role of the person who answered.")
    )
    document = models.FileField(
        _("letter or e-mail received"), upload_to=response_document_path, max_length=255, blank=True
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.escalation}"

    @property
    def on_behalf(self) -> bool:
        """Recorded by staff from a letter or e-mail, not typed by the responder."""
        return self.received_by in {ReceivedBy.LETTER, ReceivedBy.EMAIL}

    def clean(self) -> None:
        if self.outcome in {ResponseOutcome.PARTLY, ResponseOutcome.DECLINED} and not self.reasons.strip():
            raise ValidationError({"reasons": _("Give the reasons when the request is partly or not accepted.")})


def hash_answer_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AnswerLinkQuerySet(VisibleQuerySet):
    def usable(self) -> "AnswerLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class AnswerLink(models.Model):
    """A signed link to answer one escalation without an account, sent to the organisation's nominated contact.

    Only the SHA-256 of the secret is stored; the link expires and staff can revoke it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="answer_links")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField(_("sent to"))
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnswerLinkQuerySet.as_manager()
    history = audit_history(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Answer link for {self.escalation} sent to {self.sent_to}"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
