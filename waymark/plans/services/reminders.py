"""The staleness reminder: the lead of a late action is e-mailed once in each update interval it stays late.

Safe to run twice, or twice at once: the reminder's row (action, the update it was about, which interval)
is unique, and it is written in the same transaction as the e-mail is queued, so a second run finds the row
(or fails on it) and sends nothing.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from waymark.core.email import send_email
from waymark.plans.choices import FINISHED_STATUSES, Freshness, PlanStatus
from waymark.plans.models import Action, ActionReminder
from waymark.plans.progress import freshness

# Plans being worked on: drafts and plans in consultation are still being written, closed plans are done.
REMINDED_PLAN_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.UNDER_REVIEW})


def _interval_number(since: datetime.datetime, now: datetime.datetime, days: int) -> int:
    """Whole update intervals since the last update: 1 when first late, 2 when stale, and so on."""
    return int((now - since) // datetime.timedelta(days=days))


def _remind(action: Action, since: datetime.datetime, number: int, state: str) -> bool:
    """Write the reminder's row and queue its e-mail together; False if this interval's reminder exists."""
    lead = action.lead
    assert lead is not None
    plan = action.objective.plan
    try:
        with transaction.atomic():
            ActionReminder.objects.create(
                action=action, updated_since=since, interval_number=number, sent_to=lead.email
            )
            send_email(
                to=lead.email,
                template="plans_stale_action",
                context={
                    "lead": lead,
                    "action": action,
                    "plan": plan,
                    "stale": state == Freshness.STALE,
                    "since": since,
                    "interval_days": plan.update_interval_days,
                    "action_url": settings.SITE_URL + action.get_absolute_url(),
                },
                dedupe_key=f"plans-stale-action:{action.uuid}:{since.isoformat()}:{number}",
            )
    except IntegrityError:
        return False  # another run wrote this interval's reminder first
    return True


def send_stale_action_reminders(*, now: datetime.datetime | None = None) -> int:
    """E-mail the lead of every late or stale unfinished action of a working plan, once per update interval.

    Returns how many reminders were sent by this run.
    """
    now = now or timezone.now()
    actions = (
        Action.objects.filter(objective__plan__status__in=REMINDED_PLAN_STATUSES, lead__is_active=True)
        .exclude(status__in=FINISHED_STATUSES)
        .exclude(lead__email="")
        .select_related("objective__plan", "lead")
        .order_by("pk")
    )
    due: list[tuple[Action, datetime.datetime, int, str]] = []
    for action in actions.iterator(chunk_size=500):
        plan = action.objective.plan
        state = freshness(action, plan, now)
        if state == Freshness.CURRENT:
            continue
        since = action.last_updated_at or action.created_at
        due.append((action, since, _interval_number(since, now, plan.update_interval_days), state))
    sent_already = set(
        ActionReminder.objects.filter(action__in=actions.values("pk")).values_list(
            "action_id", "updated_since", "interval_number"
        )
    )
    sent = 0
    for action, since, number, state in due:
        if (action.pk, since, number) in sent_already:
            continue
        sent += _remind(action, since, number, state)
    return sent
