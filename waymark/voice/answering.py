"""Reading escalations: who can answer for an organisation, which escalations a responder sees, the feedback
behind an escalation's issue that people agreed to share, which escalation a signed answer link opens, and
which reminders chase an answer.

The writes (escalating, answering, closing, sending reminders) are in ``voice.services.escalations`` and
``voice.services.reminders``.
"""

import datetime
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.models import RoleGrant, User
from waymark.core import policy
from waymark.core.choices import DeliveryStatus
from waymark.core.models import EmailDelivery, Organisation
from waymark.core.roles import Role
from waymark.voice import workdays
from waymark.voice.models import (
    AnswerLink,
    Escalation,
    EscalationReminder,
    EscalationStatus,
    FeedbackItem,
    ReminderKind,
)
from waymark.voice.models.issues import hash_answer_secret

ANSWER_LINK_SALT = "waymark.voice.answer-link"
DEFAULT_ANSWER_LINK_DAYS = 60
DEFAULT_REMINDER_WORKING_DAYS_BEFORE = 5
# After the due date a reminder goes on the first working day late, then every this many working days.
OVERDUE_REMINDER_EVERY = 5


def shared_feedback(escalation: Escalation) -> QuerySet[FeedbackItem]:
    """The feedback behind the escalation's issue that people agreed may be shared with the services it is
    about, newest first; never who said it. Safeguarding disclosures are left out: they go through the
    safeguarding procedure, not to a service's answer desk."""
    return (
        FeedbackItem.objects.filter(issues=escalation.issue_id, consent_to_share=True, safeguarding=False)
        .select_related("original_language")
        .only("uuid", "text", "english_summary", "received_on", "how_gathered", "original_language", "created_at")
        .order_by("-received_on", "-created_at")
    )


def active_responders(organisation: Organisation) -> list[User]:
    """People who can answer for the organisation today: an active account with a responder grant in force."""
    user_ids = (
        RoleGrant.objects.current()
        .filter(role=Role.RESPONDER, organisation=organisation, user__is_active=True)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=user_ids).exclude(email="").order_by("pk"))


def escalations_for_responder(user: Any) -> Any:
    """The escalations addressed to the organisations this user answers for (closed ones for 90 days), those
    awaiting an answer first, soonest due first. Other organisations' escalations never appear, published or not."""
    return (
        Escalation.objects.filter(responder_id__in=policy.organisation_ids(user, Role.RESPONDER))
        .filter(~Q(status=EscalationStatus.CLOSED) | Q(closed_at__gte=timezone.now() - timedelta(days=90)))
        .select_related("issue", "responder", "response")
        .alias(answered=Case(When(status=EscalationStatus.AWAITING, then=Value(0)), default=Value(1)))
        .order_by("answered", "due_on", "pk")
    )


# --- Signed answer links ----------------------------------------------------------------------------


def escalation_answer_url(escalation: Escalation) -> str:
    return reverse("voice:responder_escalation", args=[escalation.uuid])


def answer_link_days() -> int:
    return int(getattr(settings, "VOICE_ANSWER_LINK_DAYS", DEFAULT_ANSWER_LINK_DAYS))


def answer_link_for(escalation_uuid: Any, token: str) -> AnswerLink | None:
    """The usable link this token opens, for this escalation only; None for a forged, altered, expired or
    revoked token, or one made for another escalation."""
    try:
        data = signing.loads(token, salt=ANSWER_LINK_SALT)
        escalation_in_token, secret = str(data["e"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if escalation_in_token != str(escalation_uuid):
        return None
    link = (
        AnswerLink.objects.usable()
        .select_related("escalation__issue", "escalation__responder")
        .filter(token_hash=hash_answer_secret(secret), escalation__uuid=escalation_uuid)
        .first()
    )
    return link


# --- Reminders ---------------------------------------------------------------------------------------


def reminder_working_days_before() -> int:
    return int(getattr(settings, "VOICE_REMINDER_WORKING_DAYS_BEFORE", DEFAULT_REMINDER_WORKING_DAYS_BEFORE))


def due_reminder(escalation: Escalation, today: datetime.date) -> tuple[str, int] | None:
    """Which reminder, if any, an awaiting escalation is due today: (kind, number).

    One reminder when the due date is a few working days away; after it, one on the first working day late and
    another every ``OVERDUE_REMINDER_EVERY`` working days until the answer comes.
    """
    if escalation.status != EscalationStatus.AWAITING:
        return None
    if today <= escalation.due_on:
        left = workdays.working_days_between(today, escalation.due_on)
        return (ReminderKind.BEFORE, 1) if left <= reminder_working_days_before() else None
    late = workdays.working_days_between(escalation.due_on, today)
    if late < 1:
        return None
    return ReminderKind.OVERDUE, 1 + (late - 1) // OVERDUE_REMINDER_EVERY


def reminder_key(escalation: Escalation, kind: str, number: int) -> str:
    """The de-duplication key of one reminder's e-mails (``send_email`` adds each recipient to it)."""
    return f"voice-reminder:{escalation.uuid}:{kind}:{number}"


def reminders_with_delivery(escalation: Escalation) -> list[tuple[EscalationReminder, bool]]:
    """Each reminder, oldest first, with whether the mail server has taken all its e-mails (two queries):
    a reminder logged while the server was down is shown as waiting, never as sent."""
    unsent = EmailDelivery.objects.filter(dedupe_key__startswith=f"voice-reminder:{escalation.uuid}:").exclude(
        status=DeliveryStatus.SENT
    )
    unsent_keys = list(unsent.values_list("dedupe_key", flat=True))
    return [
        (
            reminder,
            not any(
                key.startswith(reminder_key(escalation, reminder.kind, reminder.number) + ":") for key in unsent_keys
            ),
        )
        for reminder in escalation.reminders.order_by("sent_at")
    ]
