"""Writes to an action's milestones: staff and the action's lead add them, change them and mark them done.
A milestone falls within its plan's period, as its action's due date does."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.plans.models import Action, Milestone
from waymark.plans.services.plans import _only, _validate

MILESTONE_FIELDS = ("title", "due_date")


def _check_due_date(milestone: Milestone) -> None:
    plan = milestone.action.objective.plan
    if milestone.due_date and not plan.period_start <= milestone.due_date <= plan.period_end:
        raise ValidationError(
            {
                "due_date": _("The milestone must be due within the plan's period, %(start)s to %(end)s.")
                % {"start": f"{plan.period_start:%d/%m/%Y}", "end": f"{plan.period_end:%d/%m/%Y}"}
            }
        )


def add_milestone(*, actor: Any, action: Action, data: Mapping[str, Any]) -> Milestone:
    milestone = Milestone(action=action, **_only(data, MILESTONE_FIELDS))
    _validate(milestone)
    _check_due_date(milestone)
    with transaction.atomic(), acting_as(actor):
        milestone.save()
    return milestone


def change_milestone(*, actor: Any, milestone: Milestone, data: Mapping[str, Any]) -> Milestone:
    for field, value in _only(data, MILESTONE_FIELDS).items():
        setattr(milestone, field, value)
    _validate(milestone)
    _check_due_date(milestone)
    with transaction.atomic(), acting_as(actor):
        milestone.save()
    return milestone


def complete_milestone(*, actor: Any, milestone: Milestone, on: datetime.date | None = None) -> Milestone:
    """Mark the milestone done (today unless told); marking a done milestone again keeps its first date."""
    with transaction.atomic(), acting_as(actor):
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.completed_on is None:
            locked.completed_on = on or timezone.localdate()
            locked.save(update_fields=["completed_on"])
    milestone.completed_on = locked.completed_on
    return milestone
