"""Community development workers' activity, by the four functions of the role, and the teams their line
managers support "by macro, not micro-management"."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet
from waymark.partnership.choices import ActivityType, CdwFunction


class CdwTeam(models.Model):
    """A team of community development workers and its line manager, who sees each member's entries."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="cdw_teams", verbose_name=_("employer")
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cdw_teams_managed",
        verbose_name=_("line manager"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cdw_teams", verbose_name=_("workers")
    )

    objects = VisibleQuerySet.as_manager()
    history = audit_history(m2m_fields=[workers])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:team_detail", args=[self.uuid])


class Activity(models.Model):
    """An hour or a day of a worker's time: what it was, with whom, and which of the four functions it
    served. Hours that served several functions are shared equally among them in every balance."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cdw_activities")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    activity_type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    # The four functions, one column each (named as CdwFunction's values) so that balances are sums.
    change_agent = models.BooleanField(CdwFunction.CHANGE_AGENT.label, default=False)
    access_facilitator = models.BooleanField(CdwFunction.ACCESS_FACILITATOR.label, default=False)
    service_developer = models.BooleanField(CdwFunction.SERVICE_DEVELOPER.label, default=False)
    capacity_builder = models.BooleanField(CdwFunction.CAPACITY_BUILDER.label, default=False)
    communities = models.ManyToManyField("core.Community", blank=True, related_name="+", verbose_name=_("communities"))
    organisations = models.ManyToManyField(
        "core.Organisation", blank=True, related_name="+", verbose_name=_("organisations")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), max_length=5_000, blank=True)
    feedback_items = models.ManyToManyField("voice.FeedbackItem", blank=True, related_name="+")
    issues = models.ManyToManyField("voice.Issue", blank=True, related_name="+")
    plan_actions = models.ManyToManyField("plans.Action", blank=True, related_name="+")
    services = models.ManyToManyField("directory.Service", blank=True, related_name="+")
    events = models.ManyToManyField("network.Event", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["worker", "date"], name="cdw_activity_worker_date")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="cdw_activity_hours_in_a_day"),
            models.CheckConstraint(
                condition=Q(change_agent=True)
                | Q(access_facilitator=True)
                | Q(service_developer=True)
                | Q(capacity_builder=True),
                name="cdw_activity_serves_a_function",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_type_display()} on {self.date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:activity_edit", args=[self.uuid])

    @property
    def functions(self) -> list[CdwFunction]:
        return [function for function in CdwFunction if getattr(self, function.value)]
