"""The decision on an application, and for an award its payments and its proportionate reports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.grants.choices import DecisionOutcome, ReportStatus
from waymark.grants.models.applications import Application


class GrantDecision(models.Model):
    """Award (with any conditions) or decline; a reason is always given to the applicant. An award's amount
    counts against the programme's budget from this moment: the service locks the programme to add it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=8, choices=DecisionOutcome.choices)
    amount_awarded = models.DecimalField(
        _("amount awarded (£)"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    conditions = models.TextField(_("conditions"), max_length=5_000, blank=True)
    reason = models.TextField(
        _("reason given to the applicant"),
        max_length=5_000,
        help_text=_("Always given: for an award, what persuaded the panel; for a decline, why, and what would help."),
    )
    grant_identifier = models.CharField(
        _("360Giving grant identifier"), max_length=100, blank=True, unique=False, db_index=True
    )
    award_date = models.DateField(_("decided on"))
    starts_on = models.DateField(_("grant starts"), null=True, blank=True)
    ends_on = models.DateField(_("grant ends"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text=_("When the letter or e-mail was sent."))

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-award_date", "-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=DecisionOutcome.DECLINE, amount_awarded__isnull=True)
                | Q(outcome=DecisionOutcome.AWARD, amount_awarded__gt=0),
                name="award_has_amount_decline_has_none",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="grant_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_outcome_display()}"


class Payment(models.Model):
    """One payment of an award's schedule (one payment or instalments), marked paid with its date."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(GrantDecision, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (£)"), max_digits=12, decimal_places=2)
    due_on = models.DateField(_("due on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["decision", "due_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on}"


class GrantReport(models.Model):
    """A proportionate report on an award: a few questions and a story. A conversation staff wrote down counts.
    Created with a fixed due date when the award is made; each reminder is sent once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(GrantDecision, on_delete=models.PROTECT, related_name="reports")
    due_on = models.DateField(_("due on"))
    questions = models.JSONField(default=list, help_text=_("The questions asked, copied from the reporting tier."))
    answers = models.JSONField(default=dict, blank=True)
    story = models.TextField(_("your story"), max_length=10_000, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    by_conversation = models.BooleanField(_("taken down by staff in a conversation"), default=False)
    skip_reason = models.CharField(_("why it is not needed"), max_length=500, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.decision.application.reference}: report due {self.due_on}"
