"""A bulletin's e-mail: who a list reaches and who is skipped and why, what each recipient's e-mail says,
and what the recipient log says was sent. Sending is ``services.bulletins``."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from waymark.core.choices import DeliveryStatus
from waymark.core.models import Job
from waymark.core.text import render_markdown
from waymark.network import mailing
from waymark.network.membership import recipients
from waymark.network.models import Bulletin, BulletinRecipient, Contact, DistributionList, SkipReason

BULLETIN_TEMPLATE = "network_bulletin"
CONSENT_FIELDS = ("email", "consent_to_contact", "lawful_basis", "unsubscribed_at")


@dataclass(frozen=True)
class SendResult:
    sent: int  # e-mailed, or (from send_bulletin and reach) to be e-mailed
    skipped: dict[str, int]  # SkipReason value → how many
    job: Job | None = None  # the job that renders and sends the e-mails (send_bulletin only)
    waiting: int = 0  # of ``sent``, e-mails the mail server has not taken yet (retried later: core.email)

    @property
    def delivered(self) -> int:
        """E-mails the mail server has taken."""
        return self.sent - self.waiting

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


def shared_context(bulletin: Bulletin) -> dict[str, Any]:
    """The part of the e-mail that is the same for every recipient (the Markdown is rendered once)."""
    return {
        "subject": bulletin.subject,
        "network_name": bulletin.network.name,
        "list_name": bulletin.distribution_list.name,
        "body_html": render_markdown(bulletin.body),
        "body_text": bulletin.body,
        "archive_url": mailing.absolute_url(bulletin.get_absolute_url()),
    }


def preview_context(bulletin: Bulletin, *, name: str) -> dict[str, Any]:
    """The e-mail as a recipient gets it, for the preview and the test sent to oneself. The footer links
    lead to the archive copy: the real ones are signed for one contact, and a test goes to nobody's."""
    shared = shared_context(bulletin)
    return {
        **shared,
        "contact_name": name,
        "unsubscribe_url": shared["archive_url"],
        "manage_url": shared["archive_url"],
    }


def email_context(bulletin: Bulletin, contact: Contact, shared: dict[str, Any] | None = None) -> dict[str, Any]:
    """The bulletin e-mail's context for one recipient: the shared part, their name and their signed links."""
    return {
        **(shared if shared is not None else shared_context(bulletin)),
        "contact_name": contact.name,
        **mailing.email_context(contact, bulletin.distribution_list),
    }


def dedupe_key(bulletin: Bulletin, contact: Contact) -> str:
    """One bulletin, one contact: ``send_email()`` never sends the same key twice."""
    return f"bulletin:{bulletin.uuid}:{contact.uuid}"


def recorded_outcome(bulletin: Bulletin) -> SendResult:
    """What the recipient log of a sent bulletin says: deliveries made and how many of them still wait for
    the mail server, and skips by reason (two queries)."""
    log = BulletinRecipient.objects.filter(bulletin=bulletin)
    by_reason = log.exclude(skipped_reason="").values("skipped_reason").annotate(count=Count("pk")).order_by()
    skipped = {row["skipped_reason"]: row["count"] for row in by_reason}
    deliveries = log.filter(delivery__isnull=False).aggregate(
        made=Count("pk"), waiting=Count("pk", filter=Q(delivery__status=DeliveryStatus.QUEUED))
    )
    return SendResult(sent=deliveries["made"], skipped=skipped, waiting=deliveries["waiting"])


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
