"""Writes to plans and their objectives: a plan made from a template starts with its objectives filled in,
and its status moves only along ``PLAN_TRANSITIONS``, approving and publishing being for administrators."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Organisation
from waymark.core.text import refuse_nul_characters
from waymark.plans.choices import APPROVER_STATUSES, PLAN_TRANSITIONS, PlanStatus, TemplateItemKind
from waymark.plans.models import Objective, Plan, PlanTemplate

PLAN_FIELDS = (
    "title",
    "plan_type",
    "summary",
    "owner",
    "period_start",
    "period_end",
    "review_cycle_months",
    "update_interval_days",
    "board_lead_name",
    "board_lead_role",
)
OBJECTIVE_FIELDS = ("code", "title", "description", "order", "source_note")
# A template's items that become objectives of a new plan (EDS outcomes are graded, and also worked on).
OBJECTIVE_KINDS = (TemplateItemKind.OBJECTIVE, TemplateItemKind.COMPETENCY, TemplateItemKind.OUTCOME)


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _validate(instance: Any) -> None:
    refuse_nul_characters(instance)
    period = (instance.period_start, instance.period_end) if isinstance(instance, Plan) else (None, None)
    if period[0] and period[1] and period[1] < period[0]:
        # The check constraint would say so too, but above the form rather than on the field.
        raise ValidationError({"period_end": _("The period must end on or after the day it starts.")})
    if isinstance(instance, Objective) and instance.code:
        others = Objective.objects.filter(plan_id=instance.plan_id, code__iexact=instance.code.strip())
        if others.exclude(pk=instance.pk).exists():
            raise ValidationError({"code": _("Another objective of this plan has this number.")})
    instance.full_clean()


def create_plan(
    *,
    actor: Any,
    data: Mapping[str, Any],
    template: PlanTemplate | None = None,
    partners: Iterable[Organisation] = (),
    co_produced_with: Iterable[Organisation] = (),
) -> Plan:
    """A new draft plan; from a template, with one objective per current item of the template, in its order."""
    plan = Plan(**_only(data, PLAN_FIELDS), created_by=actor)
    if template is not None:
        plan.template = template
        plan.template_version = template.version
        plan.plan_type = plan.plan_type or template.plan_type
    _validate(plan)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(plan, {"partners": partners, "co_produced_with": co_produced_with})
        if template is not None:
            items = template.items.filter(kind__in=OBJECTIVE_KINDS, retired=False).order_by("order", "code")
            for item in items:
                Objective.objects.create(
                    plan=plan,
                    template_item=item,
                    code=item.code,
                    title=item.title,
                    description=item.description,
                    order=item.order,
                )
    return plan


def change_plan(
    *,
    actor: Any,
    plan: Plan,
    data: Mapping[str, Any],
    partners: Iterable[Organisation] | None = None,
    co_produced_with: Iterable[Organisation] | None = None,
) -> Plan:
    """Change a plan's particulars; its status moves only through ``move_plan``."""
    for field, value in _only(data, PLAN_FIELDS).items():
        setattr(plan, field, value)
    _validate(plan)
    outside = plan.objectives.filter(actions__due_date__lt=plan.period_start) | plan.objectives.filter(
        actions__due_date__gt=plan.period_end
    )
    if outside.exists():
        raise ValidationError(
            {"period_end": _("Some actions are due outside this period. Change their due dates first.")}
        )
    m2m = {
        name: values
        for name, values in (("partners", partners), ("co_produced_with", co_produced_with))
        if values is not None
    }
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(plan, m2m)
    return plan


def add_objective(*, actor: Any, plan: Plan, data: Mapping[str, Any]) -> Objective:
    objective = Objective(plan=plan, **_only(data, OBJECTIVE_FIELDS))
    _validate(objective)
    with transaction.atomic(), acting_as(actor):
        objective.save()
    return objective


def change_objective(*, actor: Any, objective: Objective, data: Mapping[str, Any]) -> Objective:
    for field, value in _only(data, OBJECTIVE_FIELDS).items():
        setattr(objective, field, value)
    _validate(objective)
    with transaction.atomic(), acting_as(actor):
        objective.save()
    return objective


def move_plan(*, actor: Any, plan: Plan, to_status: str, note: str = "") -> Plan:
    """Move the plan to ``to_status`` if ``PLAN_TRANSITIONS`` allows it from where it is. Approving and
    publishing need ``plan.approve`` (administrators); ``actor=None`` is the system, for seeds and commands.
    ``note`` is kept as the reason of the history row."""
    with transaction.atomic(), acting_as(actor):
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if to_status not in PLAN_TRANSITIONS.get(locked.status, ()):
            raise ValidationError(
                {
                    "status": _("A plan that is %(current)s cannot be moved to %(wanted)s.")
                    % {
                        "current": locked.get_status_display().lower(),
                        "wanted": _label(to_status).lower(),
                    }
                }
            )
        if to_status in APPROVER_STATUSES and actor is not None and not policy.can(actor, "plan.approve"):
            raise ValidationError({"status": _("Only an administrator can approve or publish a plan.")})
        now = timezone.now()
        locked.status = to_status
        if to_status == PlanStatus.APPROVED:
            locked.approved_at = now
        elif to_status == PlanStatus.PUBLISHED:
            locked.published_at = now
        elif to_status == PlanStatus.DRAFT:
            locked.approved_at = None  # back to draft: the approval no longer stands
        locked._change_reason = note.strip()[:100] or None  # type: ignore[attr-defined]
        locked.save()
    for field in ("status", "approved_at", "published_at", "updated_at"):
        setattr(plan, field, getattr(locked, field))
    return plan


def _label(status: str) -> str:
    try:
        return str(PlanStatus(status).label)
    except ValueError:
        return status


def record_reviews(*, actor: Any, plan: Plan, meetings: Iterable[Model]) -> Plan:
    """Set which network meetings reviewed the plan (its governance, for the evidence pack)."""
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(plan, {"reviewed_at_meetings": meetings})
    return plan
