"""Reminders that chase an escalation's answer: before the due date and, once it is late, every few working
days, each e-mailed exactly once (which ones are due is worked out in ``voice.answering``)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from waymark.core.email import send_email
from waymark.voice import answering
from waymark.voice.models import Escalation, EscalationReminder, EscalationStatus, ReminderKind
from waymark.voice.services.escalations import escalation_email_context


def send_due_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """E-mail every reminder due today, each exactly once even when the job runs twice or twice at once."""
    today = today or timezone.localdate()
    sent = {ReminderKind.BEFORE.value: 0, ReminderKind.OVERDUE.value: 0}
    awaiting = Escalation.objects.filter(status=EscalationStatus.AWAITING).select_related("issue__owner", "responder")
    for escalation in awaiting:
        wanted = answering.due_reminder(escalation, today)
        if wanted is None:
            continue
        kind, number = wanted
        if _send_reminder(escalation, kind, number):
            sent[kind] += 1
    return sent


def _reminder_recipients(escalation: Escalation, kind: str) -> list[str]:
    people = [user.email for user in answering.active_responders(escalation.responder)]
    if not people and escalation.contact_email:
        people = [escalation.contact_email]
    owner = escalation.issue.owner
    if kind == ReminderKind.OVERDUE and owner is not None and owner.email:
        people.append(owner.email)  # the member of staff chasing it hears when an answer is late
    return list(dict.fromkeys(people))


def _send_reminder(escalation: Escalation, kind: str, number: int) -> bool:
    recipients = _reminder_recipients(escalation, kind)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            _reminder, created = EscalationReminder.objects.get_or_create(
                escalation=escalation, kind=kind, number=number, defaults={"recipients": recipients}
            )
            if not created:
                return False
            has_account = bool(answering.active_responders(escalation.responder))
            answer_url = settings.SITE_URL + answering.escalation_answer_url(escalation) if has_account else ""
            context = escalation_email_context(escalation, answer_url)
            context.update({"overdue": kind == ReminderKind.OVERDUE, "has_account": has_account})
            send_email(
                to=recipients,
                template="voice_reminder",
                context=context,
                dedupe_key=answering.reminder_key(escalation, kind, number),
            )
    except IntegrityError:
        return False  # another worker logged this reminder at the same moment and sends it
    return True
