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

import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.choices import JobStatus
from waymark.core.email import send_email
from waymark.core.jobs import Progress, no_progress, start_job
from waymark.core.models import EmailDelivery, Job
from waymark.core.text import refuse_nul_characters
from waymark.network import mailing
from waymark.network.bulletin_mail import (
    BULLETIN_TEMPLATE,
    CONSENT_FIELDS,
    SendResult,
    dedupe_key,
    email_context,
    preview_context,
    recorded_outcome,
    shared_context,
    skip_reason,
)
from waymark.network.membership import recipients
from waymark.network.models import (
    Bulletin,
    BulletinRecipient,
    BulletinStatus,
    Network,
    SkipReason,
)

JOB_NAME = "network_send_bulletin"
BATCH_SIZE = 100  # recipients read, checked and rendered together by the job, with one progress report


class AlreadySent(Exception):
    """A bulletin is sent once; a second send would e-mail everyone twice."""


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


def send_test_bulletin(*, bulletin: Bulletin, actor: Any) -> EmailDelivery:
    """One copy to the person about to send it, its subject marked as a test, so they read it as recipients
    will before it goes. It is nobody's delivery in the recipient log, and each press sends a new copy."""
    address = getattr(actor, "email", "")
    if not address:
        raise ValidationError(_("Your account has no e-mail address to send a test to."))
    context = preview_context(bulletin, name=getattr(actor, "full_name", "") or address)
    context["subject"] = _("Test: %(subject)s") % {"subject": bulletin.subject}
    [delivery] = send_email(
        to=address,
        template=BULLETIN_TEMPLATE,
        context=context,
        dedupe_key=f"bulletin-test:{bulletin.uuid}:{uuid.uuid4()}",
        actor=actor,
    )
    return delivery


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
