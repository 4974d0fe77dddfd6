"""Sending a bulletin: Markdown to HTML and plain text, one logged delivery per recipient through
core's ``send_email()``, consent respected, and the count of who was skipped and why.

Each recipient's e-mail carries RFC 8058 one-click unsubscribe headers for the list it came from and
a signed link to manage their subscriptions (``network.mailing``).
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.core.text import render_markdown
from waymark.network import mailing
from waymark.network.models import Bulletin, BulletinRecipient, BulletinStatus, Contact, DistributionList, SkipReason
from waymark.network.people import recipients

BULLETIN_TEMPLATE = "network_bulletin"
CONSENT_FIELDS = ("email", "consent_to_contact", "lawful_basis", "unsubscribed_at")


class AlreadySent(Exception):
    """A bulletin is sent once; a second send would e-mail everyone twice."""


@dataclass(frozen=True)
class SendResult:
    sent: int
    skipped: dict[str, int]  # SkipReason value → how many

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def skip_reason(contact: Contact) -> str:
    """Why this person must not get the bulletin, or "" when they may."""
    if not contact.email:
        return SkipReason.NO_EMAIL
    if contact.unsubscribed:
        return SkipReason.UNSUBSCRIBED
    if not (contact.consent_to_contact and contact.lawful_basis):
        return SkipReason.NO_CONSENT
    return ""


def email_context(bulletin: Bulletin, contact: Contact) -> dict[str, Any]:
    return {
        "subject": bulletin.subject,
        "network_name": bulletin.network.name,
        "list_name": bulletin.distribution_list.name,
        "contact_name": contact.name,
        "body_html": render_markdown(bulletin.body),
        "body_text": bulletin.body,
        "archive_url": mailing.absolute_url(bulletin.get_absolute_url()),
        **mailing.email_context(contact, bulletin.distribution_list),
    }


def send_bulletin(*, bulletin: Bulletin, actor: Any) -> SendResult:
    """Send to everyone the list reaches who may be e-mailed, record each recipient, and freeze the bulletin.

    The bulletin row is locked, so two people pressing "Send" at once send it once.
    """
    with transaction.atomic(), acting_as(actor):
        locked = Bulletin.objects.select_for_update().select_related("network", "distribution_list").get(pk=bulletin.pk)
        if locked.status == BulletinStatus.SENT:
            raise AlreadySent(f"“{locked.subject}” was already sent.")
        skipped: Counter[str] = Counter()
        rows = []
        for contact in recipients(locked.distribution_list):
            reason = skip_reason(contact)
            if reason:
                skipped[reason] += 1
                rows.append(BulletinRecipient(bulletin=locked, contact=contact, skipped_reason=reason))
                continue
            [delivery] = send_email(
                to=contact.email,
                template=BULLETIN_TEMPLATE,
                context=email_context(locked, contact),
                dedupe_key=f"bulletin:{locked.uuid}:{contact.uuid}",
                headers=mailing.bulletin_headers(contact, locked.distribution_list),
                actor=actor,
            )
            rows.append(BulletinRecipient(bulletin=locked, contact=contact, delivery=delivery))
        BulletinRecipient.objects.bulk_create(rows)
        locked.status = BulletinStatus.SENT
        locked.sent_at = timezone.now()
        locked.sent_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.sent_count = len(rows) - skipped.total()
        locked.skipped_count = skipped.total()
        locked.save()
    bulletin.refresh_from_db()
    return SendResult(sent=locked.sent_count, skipped=dict(skipped))


def reach(distribution_list: DistributionList) -> SendResult:
    """How many a bulletin to this list would reach now, and how many it would skip and why."""
    skipped: Counter[str] = Counter()
    sent = 0
    for contact in recipients(distribution_list).select_related(None).only(*CONSENT_FIELDS):
        reason = skip_reason(contact)
        if reason:
            skipped[reason] += 1
        else:
            sent += 1
    return SendResult(sent=sent, skipped=dict(skipped))
