"""Who may see a provider's unsuppressed figures beyond its own analysts, and what has been published.

Imported at the end of ``monitoring.models`` so Django finds these models in the monitoring app.

- ``ProviderDataAccess``: an administrator records that a commissioning organisation has a data-sharing
  agreement with a provider. While it is in force, every analyst granted that commissioning organisation
  sees the provider's unsuppressed figures and data-quality pages, as the provider's own analysts do
  (``monitoring.permissions.monitoring_provider_ids``). The grant is to the organisation because the agreement
  is between organisations; who is an analyst there is decided by the role grants.
- ``PublishedSnapshot``: a dated, disclosure-controlled copy of one provider's or area's figures with a
  methods note, frozen by an analyst (``monitoring.services.publishing``). Only snapshots are public, and once
  published their figures never change: a correction is a new snapshot.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.choices import OrganisationType
from waymark.core.querysets import VisibleQuerySet

# Organisations that commission services and so may hold a data-sharing agreement with a provider.
COMMISSIONER_TYPES = frozenset({OrganisationType.ICB, OrganisationType.LOCAL_AUTHORITY, OrganisationType.OTHER_PUBLIC})


class ProviderDataAccessQuerySet(VisibleQuerySet):
    def current(self, on: date | None = None) -> "ProviderDataAccessQuerySet":
        """Agreements in force on a day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class ProviderDataAccess(models.Model):
    """A commissioning organisation's access to one provider's unsuppressed figures, under an agreement."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="monitoring_access_given",
        verbose_name=_("provider"),
    )
    commissioner = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="monitoring_access_held",
        verbose_name=_("commissioning organisation"),
        help_text=_("Its analysts will see the provider's unsuppressed figures and data quality."),
    )
    agreement_reference = models.CharField(
        _("data-sharing agreement"),
        max_length=200,
        help_text=_("The agreement's title or reference, as both organisations file it."),
    )
    agreement_date = models.DateField(_("date the agreement was signed"))
    starts_on = models.DateField(_("access starts"), default=timezone.localdate)
    ends_on = models.DateField(_("access ends"), null=True, blank=True, help_text=_("Leave empty if open-ended."))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderDataAccessQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["provider__name", "commissioner__name", "-starts_on"]
        verbose_name = _("provider data access")
        verbose_name_plural = _("provider data access")

    def __str__(self) -> str:
        return f"{self.commissioner} → {self.provider}"

    def clean(self) -> None:
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date must be on or after the start date.")
        if self.agreement_date and self.starts_on and self.starts_on < self.agreement_date:
            errors["starts_on"] = _("Access cannot start before the agreement was signed.")
        if self.commissioner_id and self.provider_id and self.commissioner_id == self.provider_id:
            errors["commissioner"] = _("A provider's own analysts already see its figures.")
        elif self.commissioner_id and self.commissioner.org_type not in COMMISSIONER_TYPES:
            errors["commissioner"] = _(
                "Choose a commissioning organisation: an ICB, a local authority or a public body."
            )
        if errors:
            raise ValidationError(errors)


class PublishedSnapshotQuerySet(VisibleQuerySet):
    pass


class PublishedSnapshot(models.Model):
    """Disclosure-controlled figures for one provider or area and period, frozen on a date with a methods note.

    ``tables`` holds everything the public page, the exports and the API show, already passed through
    ``core.disclosure``: nothing is recomputed from live figures after publication.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    provider = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="monitoring_snapshots"
    )
    area = models.ForeignKey("core.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    grouping_name = models.CharField(_("analysis grouping"), max_length=200)
    methods_note = models.TextField(
        _("methods note"),
        help_text=_("Markdown. Say where the figures come from, what they mean and what they cannot tell you."),
    )
    tables = models.JSONField(default=dict)
    disclosure_rules = models.JSONField(default=dict, help_text=_("The suppression and rounding used."))
    published_on = models.DateField(_("published on"), default=timezone.localdate)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublishedSnapshotQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-published_on", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("monitoring:snapshot_detail", args=[self.uuid])
