"""The plan page's part for whoever runs the plan: change it, move its status, add and change objectives,
and the meetings that reviewed it. Rendered at the page's slots, so the plan page's view needs no edit."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from waymark.core import policy
from waymark.plans.choices import APPROVER_STATUSES, PLAN_TRANSITIONS, PlanStatus
from waymark.plans.models import Objective, Plan

register = template.Library()

# The button that moves a plan to each status, as a person would say it.
MOVE_LABELS: dict[str, Any] = {
    PlanStatus.DRAFT: _("Return to draft"),
    PlanStatus.IN_CONSULTATION: _("Put out to consultation"),
    PlanStatus.APPROVED: _("Record approval"),
    PlanStatus.PUBLISHED: _("Publish"),
    PlanStatus.UNDER_REVIEW: _("Start a review"),
    PlanStatus.CLOSED: _("Close the plan"),
}


def plan_moves(user: Any, plan: Plan) -> tuple[list[tuple[str, Any]], bool]:
    """The moves ``user`` may make from the plan's status, and whether others need an administrator."""
    can_approve = policy.can(user, "plan.approve")
    possible = PLAN_TRANSITIONS.get(plan.status, ())
    moves = [(status, MOVE_LABELS[status]) for status in possible if can_approve or status not in APPROVER_STATUSES]
    return moves, len(moves) < len(possible)


@register.inclusion_tag("plans/_plan_manage.html", takes_context=True)
def plan_manage(context: template.Context, plan: Plan) -> dict[str, Any]:
    user = context["request"].user
    can_manage = policy.can(user, "plan.manage")
    moves, needs_admin = plan_moves(user, plan) if can_manage else ([], False)
    meeting_model = Plan._meta.get_field("reviewed_at_meetings").related_model
    seen = meeting_model._default_manager.visible_to(user)  # type: ignore[attr-defined]
    meetings = plan.reviewed_at_meetings.filter(pk__in=seen.values("pk")).select_related("network").order_by("start")
    return {
        "plan": plan,
        "can_manage": can_manage,
        "moves": moves,
        "needs_admin": needs_admin,
        "meetings": meetings,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("plans/_objective_manage.html", takes_context=True)
def objective_manage(context: template.Context, objective: Objective) -> dict[str, Any]:
    return {"objective": objective, "can_manage": policy.can(context["request"].user, "plan.manage")}
