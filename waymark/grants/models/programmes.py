"""A grants programme: the funder's money, who may apply, the timetable it publishes, the questions it asks,
the criteria assessors score against, and the reporting asked of each size of grant."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet


class Programme(models.Model):
    """One round of small grants. Its questions are frozen once it opens, so every answer means one thing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(
        _("short code"),
        max_length=40,
        unique=True,
        help_text=_("Used in addresses and in the 360Giving grant programme code, for example 'seed-2027'."),
    )
    title = models.CharField(_("title"), max_length=200)
    funder = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="grant_programmes", verbose_name=_("funder")
    )
    summary = models.TextField(_("summary"), max_length=2_000, help_text=_("What the money is for, in a few lines."))
    criteria = models.TextField(_("who and what we fund"), max_length=10_000)
    priorities = models.TextField(_("priorities"), max_length=10_000, blank=True)
    budget = models.DecimalField(_("budget (£)"), max_digits=12, decimal_places=2)
    minimum_award = models.DecimalField(_("smallest award (£)"), max_digits=12, decimal_places=2)
    maximum_award = models.DecimalField(_("largest award (£)"), max_digits=12, decimal_places=2)
    eligible_types = models.JSONField(
        _("who may apply"),
        default=list,
        help_text=_("Kinds of organisation that may apply (core's organisation types), unregistered groups included."),
    )
    accepts_individuals = models.BooleanField(_("individuals may apply"), default=False)
    areas = models.ManyToManyField(
        "core.Area",
        blank=True,
        related_name="grant_programmes",
        verbose_name=_("areas"),
        help_text=_("Where the work must happen. None means anywhere."),
    )
    communities = models.ManyToManyField(
        "core.Community", blank=True, related_name="grant_programmes", verbose_name=_("communities prioritised")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    decision_by = models.DateField(_("decisions by"), help_text=_("Published: when applicants will hear."))
    payment_by = models.DateField(_("payment by"), help_text=_("Published: when awards will be paid."))
    languages = models.JSONField(
        _("languages offered"),
        default=list,
        help_text=_("Language codes the application form is offered in; English always is."),
    )
    panel_enabled = models.BooleanField(_("a community panel also scores or votes"), default=False)
    published = models.BooleanField(_("show on the public grants page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="programme_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(maximum_award__gte=models.F("minimum_award")), name="programme_award_range_in_order"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="programme_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:programme_detail", kwargs={"uuid": self.uuid})

    @property
    def offered_languages(self) -> list[str]:
        """English first, then the programme's other languages, in the site's order."""
        chosen = set(self.languages)
        return [code for code, _name in settings.LANGUAGES if code == settings.LANGUAGE_CODE or code in chosen]


class EligibilityQuestion(models.Model):
    """A yes-or-no question of the eligibility checker shown before the form: the wrong answer explains why."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="eligibility_questions")
    text = models.CharField(_("question"), max_length=300)
    required_answer = models.BooleanField(_("the answer that may apply"), default=True)
    explanation = models.CharField(
        _("why the other answer cannot apply"), max_length=500, help_text=_("Shown to someone who answers otherwise.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history()

    class Meta:
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Question(models.Model):
    """A question of the application form, answered in words within a limit. ``key`` names the answer."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    word_limit = models.PositiveSmallIntegerField(_("word limit"), default=250)
    required = models.BooleanField(_("must be answered"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history()

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="question_key_unique_in_programme")]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """What assessors score, 0 to 5, with its weight. N/A is left out and the other weights re-normalised."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria_set")
    title = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("what a good answer shows"), max_length=2_000, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    order = models.PositiveSmallIntegerField(default=0)
    history = audit_history()

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.title


class ReportingTier(models.Model):
    """The reporting asked of grants up to an amount: a few questions and a story, proportionate to the size.
    The tier with no upper amount covers the rest."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reporting_tiers")
    up_to_amount = models.DecimalField(
        _("for grants up to (£)"),
        null=True,
        blank=True,
        help_text=_("Blank: any larger grant."),
        max_digits=12,
        decimal_places=2,
    )
    questions = models.JSONField(_("questions"), default=list, help_text=_("A few short questions, one per line."))
    months_after_start = models.PositiveSmallIntegerField(_("due months after the grant starts"), default=12)

    history = audit_history()

    class Meta:
        ordering = ["programme", models.F("up_to_amount").asc(nulls_last=True)]

    def __str__(self) -> str:
        return str(self.up_to_amount or "—")
