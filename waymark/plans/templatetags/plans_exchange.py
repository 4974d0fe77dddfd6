"""The plan page's links to download its actions and import them, for those who may (plan.exchange)."""

from typing import Any

from django import template

from waymark.core import policy

register = template.Library()


@register.inclusion_tag("plans/_exchange_links.html", takes_context=True)
def plan_exchange_links(context: dict[str, Any], plan: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"plan": plan, "can_exchange": user is not None and policy.can(user, "plan.exchange", plan)}
