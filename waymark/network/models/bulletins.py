"""Bulletins: Markdown news sent to a distribution list, with a record of who it went to and who was
skipped and why. The e-mail itself is logged per recipient by core's EmailDelivery."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.core.audit import audit_history
from waymark.core.querysets import VisibleQuerySet

__all__ = ["Bulletin", "BulletinRecipient", "BulletinStatus", "SkipReason"]


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class SkipReason(models.TextChoices):
    NO_EMAIL = "no_email", _("No e-mail address")
    NO_CONSENT = "no_consent", _("No consent to be contacted")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Bulletin(models.Model):
    """One issue of a network's bulletin. Once sent it is frozen and appears in the web archive; its
    e-mails are rendered and sent by ``job``, whose progress the bulletin's page shows to staff."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="bulletins")
    distribution_list = models.ForeignKey(
        "network.DistributionList", on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("send to")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("bulletin"), help_text=_("Markdown. Headings, lists and links are kept."))
    status = models.CharField(max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    in_public_archive = models.BooleanField(
        _("show in the public archive"), default=False, help_text=_("Anyone can read it once it is sent.")
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "core.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The background job that renders and sends the e-mails."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()
    history = audit_history()

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        indexes = [models.Index(fields=["network", "status", "-sent_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("network:bulletin_detail", args=[self.uuid])


class BulletinRecipient(models.Model):
    """Who a sent bulletin was for: the delivery it made, or why that person was skipped."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="recipients")
    contact = models.ForeignKey(
        "network.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="bulletins_received"
    )
    delivery = models.ForeignKey(
        "core.EmailDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skipped_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        ordering = ["bulletin", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "contact"], name="network_bulletin_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} → {self.contact}"
