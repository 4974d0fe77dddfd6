"""Questionnaires a network sends out, such as the evaluation after an event, and the answers that come back.

Each person is sent a personal link (an invitation, authorised by a signed token). When the survey is
anonymous the response keeps no link to the invitation and only the day it arrived, so an answer
cannot be traced back to the person who gave it; the invitation only records that they have answered.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet

__all__ = [
    "Answer",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "Survey",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyStatus",
]


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choose one answer")
    MULTIPLE = "multiple", _("Choose any answers")
    SCALE = "scale", _("A scale, such as 1 to 5")
    TEXT = "text", _("Free text")


class Survey(models.Model):
    """A questionnaire, sent to a distribution list or to an event's attendees."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown. Shown above the questions."))
    network = models.ForeignKey(
        "network.Network", null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    event = models.ForeignKey(
        "network.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        verbose_name=_("event it evaluates"),
    )
    anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are kept without any link to who gave them.")
    )
    results_public = models.BooleanField(
        _("publish the results"),
        default=False,
        help_text=_("Anyone can see the results page. Small numbers are hidden."),
    )
    status = models.CharField(_("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:survey_detail", args=[self.uuid])


class Question(models.Model):
    """One question; choice questions have options, scale questions a range with labelled ends."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type of answer"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    required = models.BooleanField(_("an answer is needed"), default=False)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    scale_min_label = models.CharField(_("lowest score means"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("highest score means"), max_length=100, blank=True)

    history = audit_history()

    class Meta:
        ordering = ["survey", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="survey_scale_range"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class QuestionOption(models.Model):
    """One answer people can choose."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("answer"), max_length=200)

    history = audit_history()

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class SurveyInvitation(models.Model):
    """A person asked to answer: the personal link in their e-mail points here."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.ForeignKey(
        "network.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    registration = models.ForeignKey(
        "network.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="network_survey_invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.email} for {self.survey}"


class SurveyResponse(models.Model):
    """One completed questionnaire. Anonymous ones keep no invitation and only the date."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        SurveyInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    submitted_on = models.DateField(_("submitted"))

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "submitted_on", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"


class Answer(models.Model):
    """One answer to one question. A multiple-choice answer is one row per option chosen."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(QuestionOption, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    scale_value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question", "pk"]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
