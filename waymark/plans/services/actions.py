"""Writes to actions: adding and changing them, and the named lead's update of status, progress, RAG and
evidence. Every RAG change needs a written reason (red and amber always do), and lands in the action's history
with who made it; the update restarts the action's late-and-stale clock."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.plans.choices import RAGS_NEEDING_REASON, ActionStatus, PartnerRole, Rag
from waymark.plans.models import Action, ActionPartner, Objective
from waymark.plans.services.plans import _only, _validate
from waymark.plans.services.trail_notices import notify_status_change

ACTION_FIELDS = ("code", "title", "description", "lead_organisation", "lead", "due_date")
UPDATE_FIELDS = ("status", "progress", "rag", "rag_reason", "evidence")


def _check_due_date(action: Action) -> None:
    plan = action.objective.plan
    if action.due_date and not plan.period_start <= action.due_date <= plan.period_end:
        raise ValidationError(
            {
                "due_date": _("The due date must be within the plan's period, %(start)s to %(end)s.")
                % {"start": f"{plan.period_start:%d/%m/%Y}", "end": f"{plan.period_end:%d/%m/%Y}"}
            }
        )


def _check_code_unique(action: Action) -> None:
    same = Action.objects.filter(objective__plan=action.objective.plan, code=action.code).exclude(pk=action.pk)
    if same.exists():
        raise ValidationError(
            {"code": _("Another action in this plan already has the number %(code)s.") % {"code": action.code}}
        )


def _set_partners(action: Action, partners: Iterable[tuple[Organisation, str]]) -> None:
    """Replace the action's partner organisations and their roles."""
    wanted = {organisation.pk: role for organisation, role in partners}
    action.partners.exclude(organisation_id__in=wanted).delete()
    for organisation_id, role in wanted.items():
        ActionPartner.objects.update_or_create(
            action=action, organisation_id=organisation_id, defaults={"role": role or PartnerRole.PARTNER}
        )


def add_action(
    *,
    actor: Any,
    objective: Objective,
    data: Mapping[str, Any],
    partners: Iterable[tuple[Organisation, str]] = (),
) -> Action:
    action = Action(objective=objective, **_only(data, ACTION_FIELDS))
    _validate(action)
    _check_due_date(action)
    _check_code_unique(action)
    with transaction.atomic(), acting_as(actor):
        action.save()
        _set_partners(action, partners)
    return action


def change_action(
    *,
    actor: Any,
    action: Action,
    data: Mapping[str, Any],
    partners: Iterable[tuple[Organisation, str]] | None = None,
) -> Action:
    """Change what the action is, who leads it and when it is due (staff); its progress moves by ``update_action``."""
    for field, value in _only(data, ACTION_FIELDS).items():
        setattr(action, field, value)
    _validate(action)
    _check_due_date(action)
    _check_code_unique(action)
    with transaction.atomic(), acting_as(actor):
        action.save()
        if partners is not None:
            _set_partners(action, partners)
    return action


def check_update(action: Action, data: Mapping[str, Any]) -> None:
    """Refuse an update whose RAG needs a reason it lacks: red and amber always, and any change of rating."""
    rag = data.get("rag", action.rag)
    reason = (data.get("rag_reason", action.rag_reason) or "").strip()
    changed = rag != action.rag
    if (rag in RAGS_NEEDING_REASON or changed) and not reason:
        raise ValidationError({"rag_reason": _("Say why the action is rated %(rag)s.") % {"rag": Rag(rag).label}})
    if changed and reason == (action.rag_reason or "").strip() and rag in RAGS_NEEDING_REASON:
        raise ValidationError({"rag_reason": _("The rating changed: give the reason for the new rating.")})


def update_action(*, actor: Any, action: Action, data: Mapping[str, Any]) -> Action:
    """The lead's update: status, progress, RAG with its reason, and evidence. Restarts the update clock.

    Returns the action; ``previous_status`` is set on it so callers (notifications) can tell what changed.
    """
    data = _only(data, UPDATE_FIELDS)
    check_update(action, data)
    previous_status = action.status
    for field, value in data.items():
        setattr(action, field, value.strip() if isinstance(value, str) and field == "rag_reason" else value)
    if action.status == ActionStatus.COMPLETE:
        action.completed_on = action.completed_on or timezone.localdate()
        action.progress = 100
    else:
        action.completed_on = None
    action.last_updated_at = timezone.now()
    _validate(action)
    with transaction.atomic(), acting_as(actor):
        action.save()
        # the people who raised a linked issue and the co-producers hear of a new status, after the commit
        notify_status_change(action=action, previous_status=previous_status)
    action.previous_status = previous_status  # type: ignore[attr-defined]
    return action
