"""What plans shows on other apps' pages through ``core.panels``, registered from the app's ``ready()``:
on an issue's public "You said, we did" page, the published plans' actions that answer it; on staff's page
of the issue, every plan action the viewer sees that answers it; on a network
meeting action's page, the plan action it was raised into, or the way to raise it."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.plans import trail
from waymark.plans.choices import RAG_DEFINITIONS
from waymark.plans.models import Action


def issue_public_context(request: HttpRequest | None, issue: Any) -> Mapping[str, Any] | None:
    """Only what ``trail.PublicAnswer`` carries: never a lead's name, never an unpublished plan."""
    answers = trail.public_answers(issue)
    if not answers:
        return None
    return {"answers": answers, "rag_definitions": RAG_DEFINITIONS.items()}


def issue_staff_context(request: HttpRequest | None, issue: Any) -> Mapping[str, Any] | None:
    """The plan actions the viewer may see that answer the issue, draft plans included, on staff's issue page."""
    if request is None or not policy.can(request.user, "plan.view"):
        return None
    return {"actions": list(trail.actions_answering(issue, request.user))}


def meeting_action_context(request: HttpRequest | None, meeting_action: Any) -> Mapping[str, Any] | None:
    """The plan action raised from this meeting action if the viewer may see it, else the way to raise it for
    those who run plans."""
    if request is None or meeting_action is None or meeting_action.pk is None:
        return None
    user = request.user
    raised = trail.plan_action_raised_from(meeting_action)
    if raised is not None:
        if not Action.objects.visible_to(user).filter(pk=raised.pk).exists():
            return None
        return {"raised": raised, "can_view": policy.can(user, "plan.view")}
    if not policy.can(user, "plan.manage"):
        return None
    return {"raised": None, "meeting_action": meeting_action}


def register() -> None:
    register_panel("voice.issue_public", "plans/panels/issue_public.html", issue_public_context)
    register_panel("voice.issue_staff", "plans/panels/issue_staff.html", issue_staff_context)
    register_panel("network.meeting_action", "plans/panels/meeting_action.html", meeting_action_context)
