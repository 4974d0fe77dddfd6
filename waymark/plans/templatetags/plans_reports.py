"""Reports on other pages: a plan's links to its public progress report (and PDF) once published, and to its
owner's board dashboard for those who may see it (the plan page's slot)."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.plans.choices import PUBLIC_STATUSES
from waymark.plans.models import Plan

register = template.Library()


@register.inclusion_tag("plans/_report_links.html", takes_context=True)
def plan_report_links(context: dict[str, Any], plan: Plan) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "plan": plan,
        "is_public": plan.status in PUBLIC_STATUSES,
        "can_board": policy.can(user, "plan.board"),
    }
