"""Gradings against the frameworks: EDS 2022 outcomes graded 0 to 3 each year, and a PCREF plan's
self-assessment against the six organisational competencies."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.plans.choices import CompetencyLevel, EdsGrade, GraderRole


class EdsGrading(models.Model):
    """An organisation's EDS 2022 grading for one year; its eleven outcome grades sum to the overall rating."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="eds_gradings", verbose_name=_("organisation")
    )
    plan = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eds_gradings",
        verbose_name=_("plan"),
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The financial year graded (2025 means 2025/26)."))
    graded_on = models.DateField(_("graded on"))
    publish_by = models.DateField(_("to be published by"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), max_length=10_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["organisation", "-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="plans_eds_grading_once_a_year")]

    def __str__(self) -> str:
        return f"{self.organisation} EDS 2022 {self.year}/{(self.year + 1) % 100:02d}"

    def get_absolute_url(self) -> str:
        return reverse("plans:eds_grading_detail", args=[self.uuid])


class EdsOutcomeGrade(models.Model):
    grading = models.ForeignKey(EdsGrading, on_delete=models.CASCADE, related_name="grades")
    outcome = models.ForeignKey("plans.TemplateItem", on_delete=models.PROTECT, related_name="eds_grades")
    grade = models.PositiveSmallIntegerField(_("grade"), choices=EdsGrade.choices)
    evidence = models.TextField(_("evidence"), max_length=5_000, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["grading", "outcome__order"]
        constraints = [
            models.UniqueConstraint(fields=["grading", "outcome"], name="plans_eds_outcome_once_per_grading")
        ]

    def __str__(self) -> str:
        return f"{self.outcome.code}: {self.grade}"


class EdsGrader(models.Model):
    """Who graded: an organisation and the part it played (staff, stakeholders, peers)."""

    grading = models.ForeignKey(EdsGrading, on_delete=models.CASCADE, related_name="graders")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="eds_grader_parts")
    role = models.CharField(_("role"), max_length=12, choices=GraderRole.choices)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["grading", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["grading", "organisation", "role"], name="plans_eds_grader_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class CompetencyAssessment(models.Model):
    """A PCREF plan's self-assessment against one organisational competency, as of a date."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="competency_assessments")
    competency = models.ForeignKey("plans.TemplateItem", on_delete=models.PROTECT, related_name="assessments")
    level = models.CharField(_("level"), max_length=12, choices=CompetencyLevel.choices)
    evidence = models.TextField(_("evidence"), max_length=5_000, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["plan", "competency__order", "-assessed_on"]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.get_level_display()}"
