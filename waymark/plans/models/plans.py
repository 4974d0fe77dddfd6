"""A race equality action plan: objectives, actions with named leads and RAG ratings, and milestones."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.plans.choices import ActionStatus, PartnerRole, PlanStatus, PlanType, Rag

DEFAULT_UPDATE_INTERVAL_DAYS = 30


class Plan(models.Model):
    """A plan owned by one organisation, run with partners and co-produced with community organisations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    plan_type = models.CharField(_("type of plan"), max_length=20, choices=PlanType.choices)
    template = models.ForeignKey(
        "plans.PlanTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("template"),
    )
    template_version = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    summary = models.TextField(_("summary"), max_length=5_000, blank=True)
    owner = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="plans_owned", verbose_name=_("owning organisation")
    )
    partners = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="plans_partnered", verbose_name=_("partner organisations")
    )
    co_produced_with = models.ManyToManyField(
        "core.Organisation",
        blank=True,
        related_name="plans_co_produced",
        verbose_name=_("co-produced with"),
        help_text=_("The community organisations that shaped the plan; they are told when linked actions change."),
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    review_cycle_months = models.PositiveSmallIntegerField(
        _("review cycle (months)"), default=12, help_text=_("How often the board reviews the plan.")
    )
    update_interval_days = models.PositiveSmallIntegerField(
        _("update interval (days)"),
        default=DEFAULT_UPDATE_INTERVAL_DAYS,
        help_text=_(
            "An action not updated for this long is late, and for twice this long stale; its lead is reminded "
            "once in each interval."
        ),
    )
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    board_lead_name = models.CharField(_("executive or board lead"), max_length=200, blank=True)
    board_lead_role = models.CharField(_("their role"), max_length=200, blank=True)
    reviewed_at_meetings = models.ManyToManyField(
        "network.Meeting", blank=True, related_name="plans_reviewed", verbose_name=_("meetings that reviewed it")
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[partners, co_produced_with, reviewed_at_meetings])

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plans_plan_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.uuid])


class Objective(models.Model):
    """What the plan means to achieve; its RAG and progress are rolled up from its actions."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    template_item = models.ForeignKey(
        "plans.TemplateItem", null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    code = models.CharField(_("number"), max_length=10, help_text=_("For example 2 or 1A."))
    title = models.CharField(_("objective"), max_length=300)
    description = models.TextField(_("description"), max_length=5_000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source_note = models.TextField(
        _("where it came from"),
        max_length=2_000,
        blank=True,
        help_text=_("The consultation or feedback that asked for it, in words the public can read."),
    )
    source_issues = models.ManyToManyField(
        "voice.Issue", blank=True, related_name="plan_objectives", verbose_name=_("issues raised by communities")
    )
    source_surveys = models.ManyToManyField(
        "network.Survey", blank=True, related_name="plan_objectives", verbose_name=_("consultations")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[source_issues, source_surveys])

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_objective_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Action(models.Model):
    """Something a named lead will do by a date. Every RAG change carries a reason, kept in the history."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("number"), max_length=12, help_text=_("For example 2.3; unique within the plan."))
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), max_length=5_000, blank=True)
    lead_organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="plan_actions_led",
        verbose_name=_("lead organisation"),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions_led",
        verbose_name=_("named lead"),
        help_text=_("The person who updates the action; they are reminded when it goes unupdated."),
    )
    due_date = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rag = models.CharField(_("RAG rating"), max_length=5, choices=Rag.choices, blank=True, default=Rag.NOT_RATED)
    rag_reason = models.TextField(
        _("reason for the rating"), max_length=2_000, blank=True, help_text=_("Required for red and amber.")
    )
    evidence = models.TextField(_("evidence"), max_length=10_000, blank=True)
    raised_from = models.OneToOneField(
        "network.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_action",
        verbose_name=_("raised from a meeting action"),
    )
    answers_issues = models.ManyToManyField(
        "voice.Issue",
        through="plans.ActionIssueLink",
        blank=True,
        related_name="plan_actions",
        verbose_name=_("issues it answers"),
    )
    last_updated_at = models.DateTimeField(
        _("last updated by its lead"), null=True, blank=True, help_text=_("The clock for late and stale.")
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["objective__order", "objective__code", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="plans_action_progress_at_most_100")
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="plans_action_due_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:action_detail", args=[self.uuid])


class ActionPartner(models.Model):
    """An organisation's part in an action: lead, partner or consulted."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="plan_action_parts")
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.PARTNER)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["action", "role", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["action", "organisation"], name="plans_action_partner_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Milestone(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due by"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["action", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionEvidence(models.Model):
    """A link or a file that shows what was done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence_items")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/%m/", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["action", "-added_at"]

    def __str__(self) -> str:
        return self.title


class ActionReminder(models.Model):
    """One reminder to an action's lead in one update interval; the unique pair makes the job safe to run twice."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    updated_since = models.DateTimeField(
        help_text="The action's last update (or its creation) this reminder was about."
    )
    interval_number = models.PositiveIntegerField(
        help_text="Whole update intervals since that update when the reminder went."
    )
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "updated_since", "interval_number"],
                name="plans_action_reminder_once_per_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action.code} reminder {self.interval_number}"
