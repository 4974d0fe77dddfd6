"""The action pages' part of the plan and action pages: links to what the viewer may do (asked of the policy
here, so the views that draw those pages need no change), and an action's freshness in lists."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.plans import progress
from waymark.plans.models import Action, Objective

register = template.Library()


@register.inclusion_tag("plans/_action_links.html", takes_context=True)
def action_links(context: template.Context, action: Action) -> dict[str, Any]:
    """ "Update this action" for its named lead and staff, "Edit" for those who run plans."""
    user = context["request"].user
    return {
        "action": action,
        "can_update": policy.can(user, "plan_action.update", action),
        "can_edit": policy.can(user, "plan.manage"),
    }


@register.inclusion_tag("plans/_objective_action_links.html", takes_context=True)
def objective_action_links(context: template.Context, objective: Objective) -> dict[str, Any]:
    """ "Add an action" under an objective, for those who run plans."""
    return {"objective": objective, "can_add": policy.can(context["request"].user, "plan.manage")}


@register.filter
def action_freshness(action: Action) -> str:
    """Current, late or stale (``progress.freshness``); the action's plan must be loaded with it."""
    return progress.freshness(action, action.objective.plan)
