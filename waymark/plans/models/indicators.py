"""A monitoring figure followed by an action or objective. Only the cell is stored: the value is always read
from the monitoring functions the dashboard uses (or, on public pages, from published snapshots)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.plans.choices import Direction, Statistic


class Indicator(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(
        "plans.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    objective = models.ForeignKey(
        "plans.Objective", null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    title = models.CharField(_("name"), max_length=200, blank=True)
    measure = models.CharField(_("measure"), max_length=20)
    provider = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="plan_indicators", verbose_name=_("provider")
    )
    area = models.ForeignKey(
        "core.Area", on_delete=models.PROTECT, related_name="plan_indicators", verbose_name=_("comparison area")
    )
    grouping = models.ForeignKey(
        "monitoring.AnalysisGrouping",
        on_delete=models.PROTECT,
        related_name="plan_indicators",
        verbose_name=_("analysis grouping"),
    )
    group = models.CharField(_("group"), max_length=200)
    reference_group = models.CharField(_("reference group"), max_length=200)
    statistic = models.CharField(
        _("figure"), max_length=20, choices=Statistic.choices, default=Statistic.RATIO_TO_REFERENCE
    )
    target = models.FloatField(_("target"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.AT_MOST)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), help_text=_("The financial year the action started from (2024 means 2024/25).")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__isnull=False, objective__isnull=True)
                | models.Q(action__isnull=True, objective__isnull=False),
                name="plans_indicator_on_action_or_objective",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.measure}: {self.group} / {self.reference_group}"

    def get_absolute_url(self) -> str:
        return reverse("plans:indicator_detail", args=[self.uuid])
