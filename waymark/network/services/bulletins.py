"""Sending a bulletin in two steps, so that pressing "Send" answers at once however long the list is.

``send_bulletin()`` runs in the request: it freezes the bulletin, records everyone the list reaches (and
who is skipped and why, from the consent fields alone, without rendering anything) and queues a job.
That job (``tasks_bulletins.deliver_bulletin_job``) calls ``deliver_bulletin()``, which renders each
recipient's e-mail (Markdown to sanitised HTML and plain text) and logs one delivery per recipient
through core's ``send_email()``. The dedupe key is the bulletin and the contact, so running the job
again, or again after it stopped half-way, sends nobody anything twice.

Each recipient's e-mail carries RFC 8058 one-click unsubscribe headers for the list it came from and
a signed link to manage their subscriptions (``network.mailing``).
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.choices import DeliveryStatus, JobStatus
from waymark.core.email import send_email
from waymark.core.jobs import Progress, no_progress, start_job
from waymark.core.models import Job
from waymark.core.text import refuse_nul_characters, render_markdown
from waymark.network import mailing
from waymark.network.models import (
    Bulletin,
    BulletinRecipient,
    BulletinStatus,
    Contact,
    DistributionList,
    Network,
    SkipReason,
)
from waymark.network.services.people import recipients

BULLETIN_TEMPLATE = "network_bulletin"
CONSENT_FIELDS = ("email", "consent_to_contact", "lawful_basis", "unsubscribed_at")
JOB_NAME = "network_send_bulletin"
BATCH_SIZE = 100  # recipients read, checked and rendered together by the job, with one progress report


class AlreadySent(Exception):
    """A bulletin is sent once; a second send would e-mail everyone twice."""


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


def draft_bulletin(*, actor: Any, network: Network, data: Mapping[str, Any]) -> Bulletin:
    """A new draft for the network: its ``subject``, ``distribution_list``, ``body`` and ``in_public_archive``."""
    return _save_draft(Bulletin(network=network), data, actor=actor)


def update_draft_bulletin(*, actor: Any, bulletin: Bulletin, data: Mapping[str, Any]) -> Bulletin:
    """Change a draft; a sent bulletin stays as it was sent."""
    if bulletin.status == BulletinStatus.SENT:
        raise ValidationError(_("A sent bulletin cannot be changed."))
    return _save_draft(bulletin, data, actor=actor)


def _save_draft(bulletin: Bulletin, data: Mapping[str, Any], *, actor: Any) -> Bulletin:
    for name, value in data.items():
        setattr(bulletin, name, value)
    with transaction.atomic(), acting_as(actor):
        refuse_nul_characters(bulletin)
        bulletin.full_clean()
        bulletin.save()
    return bulletin


def send_bulletin(*, bulletin: Bulletin, actor: Any) -> SendResult:
    """Freeze the bulletin, record who it goes to and who is skipped and why, and queue the job that sends it.

    Nothing is rendered here: that is the job's work. The bulletin row is locked, so two people pressing
    "Send" at once send it once. A bulletin whose job failed may be sent again: the people already
    e-mailed are not e-mailed twice.
    """
    with transaction.atomic(), acting_as(actor):
        locked = (
            Bulletin.objects.select_for_update(of=("self",))  # the job is outer-joined: lock the bulletin only
            .select_related("network", "distribution_list", "job")
            .get(pk=bulletin.pk)
        )
        if locked.status == BulletinStatus.SENT:
            if locked.job is None or locked.job.status != JobStatus.FAILED:
                raise AlreadySent(f"“{locked.subject}” was already sent.")
            # The job stopped: the recipients are recorded, so queue another to finish the work.
            recorded = recorded_outcome(locked)
            locked.job = _queue(locked, actor)
            locked.save(update_fields=["job", "updated_at"])
            result = SendResult(sent=locked.sent_count, skipped=recorded.skipped, job=locked.job)
        else:
            skipped: Counter[str] = Counter()
            rows = []
            for contact in recipients(locked.distribution_list).select_related(None).only(*CONSENT_FIELDS):
                reason = skip_reason(contact)
                if reason:
                    skipped[reason] += 1
                rows.append(BulletinRecipient(bulletin=locked, contact=contact, skipped_reason=reason))
            BulletinRecipient.objects.bulk_create(rows, batch_size=500)
            locked.status = BulletinStatus.SENT
            locked.sent_at = timezone.now()
            locked.sent_by = actor if getattr(actor, "is_authenticated", False) else None
            locked.sent_count = len(rows) - skipped.total()
            locked.skipped_count = skipped.total()
            locked.job = _queue(locked, actor)
            locked.save()
            result = SendResult(sent=locked.sent_count, skipped=dict(skipped), job=locked.job)
    bulletin.refresh_from_db()
    return result


def _queue(bulletin: Bulletin, actor: Any) -> Job:
    from waymark.network.tasks_bulletins import deliver_bulletin_job  # the task module imports this one

    return start_job(
        deliver_bulletin_job,
        name=JOB_NAME,
        label=_("Send bulletin: %(subject)s") % {"subject": bulletin.subject},
        actor=actor,
        bulletin_uuid=str(bulletin.uuid),
    )


def deliver_bulletin(*, bulletin: Bulletin, actor: Any, progress: Progress | None = None) -> SendResult:
    """Render and send the e-mail of every recorded recipient who has none yet (the job's work).

    Consent is checked again, so someone who unsubscribed since "Send" was pressed is skipped, and
    counted as skipped. Safe to run twice: a recipient with a delivery is left alone, and one whose
    delivery was logged just before a crash gets that same delivery back from ``send_email()``.
    """
    bulletin = Bulletin.objects.select_related("network", "distribution_list").get(pk=bulletin.pk)
    pending = BulletinRecipient.objects.filter(
        bulletin=bulletin, delivery__isnull=True, skipped_reason="", contact__isnull=False
    )
    # The ids first, then small batches: rows are written while the job works through them.
    pending_ids = list(pending.order_by("contact__name", "pk").values_list("pk", flat=True))
    total = len(pending_ids)
    shared = shared_context(bulletin)
    report = progress or no_progress
    report(0, total, _("Preparing %(total)d e-mails") % {"total": total})
    done = 0
    for start in range(0, total, BATCH_SIZE):
        batch = list(pending.filter(pk__in=pending_ids[start : start + BATCH_SIZE]).select_related("contact"))
        left_list = set(
            bulletin.distribution_list.opted_out.filter(pk__in=[row.contact_id for row in batch]).values_list(
                "pk", flat=True
            )
        )
        for row in batch:
            contact = row.contact
            if contact is None:  # erased since the ids were read
                continue
            reason = SkipReason.UNSUBSCRIBED if contact.pk in left_list else skip_reason(contact)
            if reason:
                BulletinRecipient.objects.filter(pk=row.pk, delivery__isnull=True).update(skipped_reason=reason)
                continue
            [delivery] = send_email(
                to=contact.email,
                template=BULLETIN_TEMPLATE,
                context=email_context(bulletin, contact, shared),
                dedupe_key=dedupe_key(bulletin, contact),
                headers=mailing.bulletin_headers(contact, bulletin.distribution_list),
                actor=actor,
            )
            BulletinRecipient.objects.filter(pk=row.pk).update(delivery=delivery)
        done += len(batch)
        report(done, total, _("%(done)d of %(total)d e-mails prepared") % {"done": done, "total": total})
    return _record_outcome(bulletin, actor)


def _record_outcome(bulletin: Bulletin, actor: Any) -> SendResult:
    """Count what the recipient log now says, and keep the bulletin's counts in step with it."""
    outcome = recorded_outcome(bulletin)
    with transaction.atomic(), acting_as(actor):
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if (locked.sent_count, locked.skipped_count) != (outcome.sent, outcome.skipped_total):
            locked.sent_count, locked.skipped_count = outcome.sent, outcome.skipped_total
            locked.save(update_fields=["sent_count", "skipped_count", "updated_at"])
    return outcome


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
