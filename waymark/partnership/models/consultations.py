"""The consultation calendar: what each body plans to ask which communities, and when, so that two bodies
do not ask one community the same thing in the same weeks; and, when it is done, what was heard and done."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.partnership.choices import ConsultationMethod, ConsultationStatus


class Consultation(models.Model):
    """A planned consultation or engagement, recorded by the body that leads it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=5_000, help_text=_("What you want to find out, and why."))
    themes = models.ManyToManyField("core.Theme", related_name="consultations", verbose_name=_("themes"))
    communities = models.ManyToManyField(
        "core.Community", related_name="consultations", verbose_name=_("communities asked")
    )
    areas = models.ManyToManyField("core.Area", blank=True, related_name="consultations", verbose_name=_("areas"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    method = models.CharField(_("method"), max_length=20, choices=ConsultationMethod.choices)
    lead_organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="consultations_led", verbose_name=_("lead body")
    )
    partnership = models.ForeignKey(
        "partnership.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
        verbose_name=_("for the partnership"),
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.PLANNED
    )
    published = models.BooleanField(
        _("show on the public page"),
        default=False,
        help_text=_("While it is open, and once it is reported, anyone can read it on the public page."),
    )
    public_link = models.URLField(_("where people take part"), blank=True)
    report_summary = models.TextField(_("what we heard and what we will do"), max_length=20_000, blank=True)
    report_url = models.URLField(_("link to the full report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    feeds_actions = models.ManyToManyField(
        "plans.Action", blank=True, related_name="consultations", verbose_name=_("plan actions it feeds")
    )
    produced_items = models.ManyToManyField(
        "voice.FeedbackItem", blank=True, related_name="consultations", verbose_name=_("feedback it produced")
    )
    produced_issues = models.ManyToManyField(
        "voice.Issue", blank=True, related_name="consultations", verbose_name=_("issues it produced")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[themes, communities, areas, feeds_actions, produced_items, produced_issues])

    class Meta:
        ordering = ["starts_on", "title"]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"], name="consultation_dates"),
            models.Index(fields=["status", "starts_on"], name="consultation_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="consultation_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnership:consultation_detail", args=[self.uuid])
