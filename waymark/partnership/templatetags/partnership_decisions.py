"""The decision log's part of the partnership page: its five latest decisions and a link to the whole log.
An inclusion tag, so the partnership views need no change."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.partnership.decision_log import RECENT_ON_PARTNERSHIP_PAGE
from waymark.partnership.models import Decision, Partnership

register = template.Library()


@register.inclusion_tag("partnership/_partnership_decisions.html", takes_context=True)
def recent_decisions(context: template.Context, partnership: Partnership) -> dict[str, Any]:
    user = context["request"].user
    rows = Decision.objects.visible_to(user).filter(partnership=partnership).order_by("-decided_on", "-pk")
    return {
        "partnership": partnership,
        "decisions": list(rows.only("uuid", "decision", "decided_on")[:RECENT_ON_PARTNERSHIP_PAGE]),
        "can_manage": policy.can(user, "partnership.manage"),
    }
