"""The plan list, a plan with its objectives rolled up, and an action with its RAG history.

Permission at the door (``require_permission``), rows from ``visible_to(user)``, so a responder never
reaches a draft plan of another trust.
"""

import uuid as uuid_module
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.lists import filtered_list_page
from waymark.core.permissions import require_permission
from waymark.core.templatetags.nhsuk import status_colour
from waymark.plans import paging, progress
from waymark.plans.choices import RAG_DEFINITIONS, ActionStatus, Freshness, Rag
from waymark.plans.filtersets import PlanFilterSet
from waymark.plans.models import Action, Objective, Plan

PLANS_PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list")), *extra]


@require_permission("plan.view")
def plan_list(request: HttpRequest) -> HttpResponse:
    rows = Plan.objects.visible_to(request.user).select_related("owner")
    return filtered_list_page(
        request,
        PlanFilterSet(request.GET or None, queryset=rows, request=request),
        per_page=PLANS_PER_PAGE,
        template="plans/plan_list.html",
        rows_template="plans/_plan_rows.html",
        rows_name="plans",
        context={"breadcrumbs": _crumbs()[:1], "can_manage": policy.can(request.user, "plan.manage")},
    )


@dataclass(frozen=True)
class ActionRow:
    """One line of the plan page's action tables, its labels worked out once per page: a plan of a few
    hundred actions would otherwise spend most of its time asking each action for its display labels."""

    action: Action
    url: str
    status_label: str
    rag_label: str
    rag_colour: str
    freshness: str
    lead_name: str


def _action_rows(actions: list[Action], plan: Plan) -> list[ActionRow]:
    statuses = {value: str(label) for value, label in ActionStatus.choices}
    rags = {value: str(label) for value, label in Rag.choices}
    # One reverse() for the page, its placeholder then swapped for each action's id.
    placeholder = str(uuid_module.UUID(int=0))
    url = reverse("plans:action_detail", args=[placeholder])
    return [
        ActionRow(
            action=action,
            url=url.replace(placeholder, str(action.uuid)),
            status_label=statuses[action.status],
            rag_label=rags[action.rag],
            rag_colour=status_colour(action.rag),
            freshness=progress.freshness(action, plan),
            lead_name=(action.lead.get_full_name() or action.lead.username) if action.lead else "",
        )
        for action in actions
    ]


@require_permission("plan.view")
def plan_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("owner", "template"), uuid=uuid)
    actions = Action.objects.select_related("lead", "lead_organisation").order_by("code")
    objectives = list(
        Objective.objects.filter(plan=plan)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("order", "code")
    )
    alone = paging.objective_asked(request, [objective.code for objective in objectives])
    sections, page = [], None
    for objective in objectives:
        if alone is not None and objective.code != alone:
            continue
        actions_of_objective = list(objective.actions.all())
        shown, page = paging.actions_shown(request, actions_of_objective, alone=alone is not None)
        rows = _action_rows(shown, plan)
        hidden = 0 if alone is not None else len(actions_of_objective) - len(shown)
        sections.append((objective, progress.roll_up(actions_of_objective), rows, len(actions_of_objective), hidden))
    overall = progress.roll_up(action for objective in objectives for action in objective.actions.all())
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "sections": sections,
            "alone": alone,
            "actions_page": page,
            "overall": overall,
            "rag_definitions": RAG_DEFINITIONS.items(),
            "partners": plan.partners.order_by("name"),
            "co_producers": plan.co_produced_with.order_by("name"),
            "breadcrumbs": _crumbs(),
            "late": Freshness.LATE,
            "stale": Freshness.STALE,
        },
    )


@require_permission("plan.view")
def action_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "objective__plan", "lead", "lead_organisation", "raised_from__meeting"
        ),
        uuid=uuid,
    )
    plan = action.objective.plan
    rag_history = [
        row
        for row, previous in zip(
            action.history.order_by("-history_date", "-history_id").select_related("history_user"),
            [*action.history.order_by("-history_date", "-history_id")[1:], None],
            strict=False,
        )
        if previous is None or (row.rag, row.rag_reason) != (previous.rag, previous.rag_reason)
    ]
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "plan": plan,
            "freshness": progress.freshness(action, plan),
            "partners": action.partners.select_related("organisation"),
            "milestones": action.milestones.all(),
            "evidence_items": action.evidence_items.all(),
            "rag_history": rag_history,
            "rag_definitions": RAG_DEFINITIONS.items(),
            "breadcrumbs": _crumbs((plan.title, plan.get_absolute_url())),
        },
    )
