"""The trail's part of the plan and action pages: the issues an action answers and where it came from, and
where each objective came from. Inclusion tags, so the plan views need no change."""

from typing import Any

from django import template

from waymark.core import policy
from waymark.plans import trail
from waymark.plans.models import Action, Objective

register = template.Library()

SOURCES_CACHE = "plans_trail.objective_sources"


@register.inclusion_tag("plans/trail/_action_trail.html", takes_context=True)
def action_trail(context: template.Context, action: Action) -> dict[str, Any]:
    user = context["request"].user
    meeting = action.raised_from.meeting if action.raised_from_id and action.raised_from else None
    return {
        "action": action,
        "links": trail.links_of_action(action),
        "meeting": meeting,
        "can_manage": policy.can(user, "plan.manage"),
        "can_view_issues": policy.can(user, "voice_issue.view"),
        "can_view_meeting": meeting is not None and policy.can(user, "meeting.view", meeting),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("plans/trail/_objective_sources.html", takes_context=True)
def objective_sources(context: template.Context, objective: Objective) -> dict[str, Any]:
    """Fetched once for every objective on the page (the plan view's ``sections``), not once per objective."""
    cache = context.render_context.get(SOURCES_CACHE)
    if cache is None:
        objectives = [row[0] for row in context.get("sections") or []] or [objective]
        sources = trail.objective_sources(objectives)
        issue_ids = {issue.pk for found in sources.values() for issue in found.issues}
        cache = context.render_context[SOURCES_CACHE] = {
            "sources": sources,
            "public": trail.public_issue_ids(issue_ids),
            "can_manage": policy.can(context["request"].user, "plan.manage"),
        }
    # An objective with no sources has an empty (false) entry, not a missing one: look up only the missing.
    if objective.pk in cache["sources"]:
        found = cache["sources"][objective.pk]
    else:
        found = trail.objective_sources([objective]).get(objective.pk)
    return {
        "objective": objective,
        "sources": found,
        "public_issue_ids": cache["public"],
        "can_manage": cache["can_manage"],
    }
