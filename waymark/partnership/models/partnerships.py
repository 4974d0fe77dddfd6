"""A partnership of organisations: members with a named lead and deputy, terms of reference, its meetings, a
decision log resting on evidence, and who does what on the plans it delivers."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.partnership.choices import ResponsibilityLevel


class Partnership(models.Model):
    """Organisations that work together on race equality in one place, with a clear agenda and terms."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), max_length=5_000, blank=True)
    terms_of_reference = models.TextField(
        _("terms of reference"),
        max_length=20_000,
        blank=True,
        help_text=_("Leave empty when the partnership meets as a network and uses that network's terms."),
    )
    network = models.ForeignKey(
        "network.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
        verbose_name=_("meets as the network"),
        help_text=_("Its meetings, minutes and terms of reference are that network's."),
    )
    meeting_series = models.ManyToManyField(
        "network.MeetingSeries", blank=True, related_name="partnerships", verbose_name=_("its meetings")
    )
    plans = models.ManyToManyField(
        "plans.Plan", blank=True, related_name="partnerships", verbose_name=_("plans it delivers")
    )
    area = models.ForeignKey(
        "core.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("area")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:partnership_detail", args=[self.uuid])


class PartnershipMember(models.Model):
    """An organisation in a partnership, with the person who speaks for it and their deputy."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships_led",
        verbose_name=_("named lead"),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships_deputised",
        verbose_name=_("deputy"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["partnership", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="partnership_member_once"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partnership_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Decision(models.Model):
    """A decision the partnership took: when, at which meeting, why, who decided, the evidence it rests on
    and the plan actions that follow from it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=500)
    decided_on = models.DateField(_("decided on"))
    meeting = models.ForeignKey(
        "network.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_decisions",
        verbose_name=_("at the meeting"),
    )
    rationale = models.TextField(_("rationale"), max_length=10_000, blank=True)
    decided_by = models.CharField(
        _("who decided"),
        max_length=300,
        help_text=_("For example: the partnership board, by consensus; or the chair, between meetings."),
    )
    evidence_issues = models.ManyToManyField(
        "voice.Issue", blank=True, related_name="partnership_decisions", verbose_name=_("issues raised")
    )
    evidence_snapshots = models.ManyToManyField(
        "monitoring.PublishedSnapshot",
        blank=True,
        related_name="partnership_decisions",
        verbose_name=_("published monitoring figures"),
    )
    evidence_consultations = models.ManyToManyField(
        "partnership.Consultation", blank=True, related_name="decisions", verbose_name=_("consultations")
    )
    evidence_actions = models.ManyToManyField(
        "plans.Action", blank=True, related_name="partnership_decisions_resting_on", verbose_name=_("plan actions")
    )
    following_actions = models.ManyToManyField(
        "plans.Action",
        blank=True,
        related_name="partnership_decisions_followed",
        verbose_name=_("plan actions that follow"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "-decided_on"], name="partnership_decision_log")]

    def __str__(self) -> str:
        return self.decision

    def get_absolute_url(self) -> str:
        return reverse("partnership:decision_detail", args=[self.uuid])


class Responsibility(models.Model):
    """One cell of the who-does-what matrix: a member organisation's part in one plan objective."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    objective = models.ForeignKey("plans.Objective", on_delete=models.CASCADE, related_name="responsibilities")
    level = models.CharField(_("part"), max_length=12, choices=ResponsibilityLevel.choices)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["partnership", "objective", "organisation__name"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "objective"], name="partnership_responsibility_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_level_display()} {self.objective}"
