"""The indicators part of the plan and action pages: each indicator's latest value with its interval, where it lies
against the target, the suggested rating beside the lead's, and the "complete but not moved" warning.

Rendered by inclusion tags at the pages' slots, so the plan views need no change. One ``DashboardMemo`` per
request: every dashboard the page needs is computed once, however many indicators read it.
"""

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse

from waymark.core import policy
from waymark.plans import indicator_values
from waymark.plans.models import Action, Indicator, Objective, Plan

register = template.Library()

MEMO_ATTRIBUTE = "_waymark_indicator_memo"


def request_memo(request: HttpRequest | None) -> indicator_values.DashboardMemo:
    """The memo kept on the request, so every tag on one page shares it."""
    if request is None:
        return indicator_values.DashboardMemo()
    memo = getattr(request, MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = indicator_values.DashboardMemo()
        setattr(request, MEMO_ATTRIBUTE, memo)
    return memo


def _context(request: HttpRequest | None, indicators: Any, **extra: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    values = indicator_values.indicator_values(indicators, user, memo=request_memo(request))
    return {
        "values": values,
        "unmoved": [value for value in values if value.unmoved_complete],
        "any_protected": any(value.protected for value in values),
        "can_manage": policy.can(user, "plan_indicator.manage"),
        "rag_rule": indicator_values.SUGGESTED_RAG_RULE,
        "unmoved_rule": indicator_values.UNMOVED_RULE,
        **extra,
    }


def _indicators(user: Any) -> Any:
    return Indicator.objects.visible_to(user).select_related("provider", "area", "grouping", "action", "objective")


@register.inclusion_tag("plans/_indicators.html", takes_context=True)
def action_indicators(context: template.Context, action: Action) -> dict[str, Any]:
    """The action's indicators, with the lead's rating beside each suggestion."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return _context(
        request,
        _indicators(user).filter(action=action),
        show_lead_rating=True,
        lead_rating=action,
        attach_links=[(None, reverse("plans:indicator_attach_action", args=[action.uuid]))],
    )


@register.inclusion_tag("plans/_indicators.html", takes_context=True)
def plan_objective_indicators(context: template.Context, plan: Plan) -> dict[str, Any]:
    """The indicators of the plan's objectives, objective by objective."""
    request = context.get("request")
    user = getattr(request, "user", None)
    indicators = _indicators(user).filter(objective__plan=plan).order_by("objective__order", "objective__code", "pk")
    objectives = list(Objective.objects.filter(plan=plan).order_by("order", "code"))
    return _context(
        request,
        indicators,
        show_objective=True,
        attach_links=[
            (objective, reverse("plans:indicator_attach_objective", args=[objective.uuid])) for objective in objectives
        ],
    )
