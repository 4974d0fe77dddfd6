"""The roll-up from actions to objectives to the plan, and how fresh each action's last update is.

The rule, printed on the plan page and the public report: an objective (or a plan) takes the worst RAG of
its rated actions (red before amber before green), and its progress is the plain mean of its actions'
progress. Cancelled actions count for neither. An action not updated within its plan's update interval is
late; within twice the interval, stale. Finished actions are never late or stale.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from waymark.plans.choices import FINISHED_STATUSES, RAG_SEVERITY, WITHDRAWN_STATUSES, Freshness, Rag
from waymark.plans.models import Action, Plan


@dataclass(frozen=True)
class RollUp:
    rag: str
    progress: float | None
    actions: int
    counts: dict[str, int]

    @property
    def rag_label(self) -> str:
        return str(Rag(self.rag).label)


def roll_up(actions: Iterable[Action]) -> RollUp:
    """The worst RAG among the counted actions and the plain mean of their progress."""
    counted = [action for action in actions if action.status not in WITHDRAWN_STATUSES]
    counts = {rag.value: 0 for rag in Rag}
    for action in counted:
        counts[action.rag] += 1
    worst = next((rag for rag in RAG_SEVERITY if counts[rag]), Rag.NOT_RATED)
    progress = sum(action.progress for action in counted) / len(counted) if counted else None
    return RollUp(rag=worst, progress=progress, actions=len(counted), counts=counts)


def freshness(action: Action, plan: Plan, now: datetime.datetime | None = None) -> str:
    """Current, late or stale, from the time since the lead last updated the action (or since it was made)."""
    if action.status in FINISHED_STATUSES:
        return Freshness.CURRENT
    now = now or timezone.now()
    interval = datetime.timedelta(days=plan.update_interval_days)
    age = now - (action.last_updated_at or action.created_at)
    if age > 2 * interval:
        return Freshness.STALE
    if age > interval:
        return Freshness.LATE
    return Freshness.CURRENT
