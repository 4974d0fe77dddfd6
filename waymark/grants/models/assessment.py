"""Assessment: assessors' seats on applications, their declarations of interest (kept, whatever follows), their
weighted scores with reasons, and a community panel's recommendation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.grants.choices import AssessmentStatus, AssessorRole, PanelRecommendation
from waymark.grants.models.applications import Application
from waymark.grants.models.programmes import Criterion


class Assessment(models.Model):
    """An assessor's seat on one application. No one opens the application before declaring their interests;
    a declared conflict closes the seat for good (the declaration stays)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_assessments")
    role = models.CharField(_("as"), max_length=8, choices=AssessorRole.choices, default=AssessorRole.STAFF)
    status = models.CharField(
        max_length=22, choices=AssessmentStatus.choices, default=AssessmentStatus.AWAITING_DECLARATION
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=22, choices=PanelRecommendation.choices, blank=True
    )
    overall_comment = models.TextField(_("overall comment"), max_length=5_000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="one_seat_per_assessor_per_application")
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application.reference}"

    def get_absolute_url(self) -> str:
        return reverse("grants:assessment", kwargs={"uuid": self.uuid})


class InterestDeclaration(models.Model):
    """What an assessor declared before opening an application. Kept even when the seat closes."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="declarations")
    has_conflict = models.BooleanField(_("I have a conflict of interest"))
    details = models.TextField(
        _("what the interest is"),
        max_length=2_000,
        blank=True,
        help_text=_("For example: I am a trustee of the group."),
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    history = audit_history()

    class Meta:
        ordering = ["assessment", "declared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(details=""), name="conflict_declaration_says_what"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {'conflict' if self.has_conflict else 'no conflict'}"


class Score(models.Model):
    """One criterion's score, 0 to 5 or not applicable (blank), with the assessor's written reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True, help_text=_("0 to 5; blank for N/A."))
    justification = models.TextField(_("why this score"), max_length=3_000, blank=True)
    history = audit_history()

    class Meta:
        ordering = ["assessment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=5), name="score_zero_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PanelDecision(models.Model):
    """A community panel's recommendation on an application, as the panel recorded it."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="panel_decision")
    recommendation = models.CharField(_("recommendation"), max_length=22, choices=PanelRecommendation.choices)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    notes = models.TextField(_("the panel's reasons"), max_length=5_000)
    met_on = models.DateField(_("panel met on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = audit_history()

    def __str__(self) -> str:
        return f"{self.application.reference}: {self.get_recommendation_display()}"
