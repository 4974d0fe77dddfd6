"""The public progress report of a published plan, read once and shown as a page and as a PDF.

Only plans in ``PUBLIC_STATUSES`` have one. What leaves this module is plain rows that carry no person: the
board lead's role but never their name, each action's lead organisation but never its named lead, nobody who
updated, linked or graded anything. The page and the PDF share one template body, so they show the same.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from waymark.plans import progress
from waymark.plans.choices import (
    PUBLIC_STATUSES,
    RAG_DEFINITIONS,
    RAG_SEVERITY,
    ActionStatus,
    PlanStatus,
    PlanType,
    Rag,
)
from waymark.plans.models import Action, Milestone, Objective, Plan


def public_plans() -> QuerySet[Plan]:
    """Plans anyone may read, whoever asks (staff included: a public page shows what the public sees)."""
    return Plan.objects.filter(status__in=PUBLIC_STATUSES).select_related("owner")


@dataclass(frozen=True)
class PublicMilestone:
    title: str
    due_date: datetime.date
    completed_on: datetime.date | None


@dataclass(frozen=True)
class PublicAction:
    code: str
    title: str
    lead_organisation: str  # the organisation's name; the named lead is never shown
    due_date: datetime.date
    status: str
    rag: str
    rag_reason: str
    progress: int
    completed_on: datetime.date | None
    milestones: tuple[PublicMilestone, ...]

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label)

    @property
    def rag_label(self) -> str:
        return str(Rag(self.rag).label)


@dataclass(frozen=True)
class PublicObjective:
    code: str
    title: str
    description: str
    source_note: str
    rollup: progress.RollUp
    actions: tuple[PublicAction, ...]

    @property
    def anchor(self) -> str:
        return "objective-" + "".join(ch if ch.isalnum() else "-" for ch in self.code.lower())

    @property
    def has_milestones(self) -> bool:
        return any(action.milestones for action in self.actions)


@dataclass(frozen=True)
class PublicReport:
    uuid: str
    title: str
    plan_type: str
    status: str
    summary: str
    owner: str
    partners: tuple[str, ...]
    co_producers: tuple[str, ...]
    period_start: datetime.date
    period_end: datetime.date
    board_lead_role: str  # the role only: a public report names no individual
    published_at: datetime.datetime | None
    overall: progress.RollUp
    objectives: tuple[PublicObjective, ...]

    @property
    def plan_type_label(self) -> str:
        return str(PlanType(self.plan_type).label)

    @property
    def status_label(self) -> str:
        return str(PlanStatus(self.status).label)

    @property
    def rag_counts(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for red, amber, green and not rated, in that order."""
        order = [*RAG_SEVERITY, Rag.NOT_RATED]
        return [(rag.value, str(rag.label), self.overall.counts[rag.value]) for rag in order]


def rag_definitions() -> list[tuple[Rag, str]]:
    return [(rag, str(definition)) for rag, definition in RAG_DEFINITIONS.items()]


def _public_action(action: Action) -> PublicAction:
    return PublicAction(
        code=action.code,
        title=action.title,
        lead_organisation=action.lead_organisation.name,
        due_date=action.due_date,
        status=action.status,
        rag=action.rag,
        rag_reason=action.rag_reason,
        progress=action.progress,
        completed_on=action.completed_on,
        milestones=tuple(
            PublicMilestone(title=m.title, due_date=m.due_date, completed_on=m.completed_on)
            for m in action.milestones.all()
        ),
    )


def _objectives(plan: Plan) -> tuple[list[Objective], Sequence[Action]]:
    """The plan's objectives with their actions and milestones in three queries, whatever the plan's size."""
    actions = (
        Action.objects.select_related("lead_organisation")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")))
        .order_by("code")
    )
    objectives = list(
        Objective.objects.filter(plan=plan)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("order", "code")
    )
    return objectives, [action for objective in objectives for action in objective.actions.all()]


def public_report(plan: Plan) -> PublicReport:
    """The report of a published plan (``plan`` from ``public_plans()``, with its owner)."""
    if plan.status not in PUBLIC_STATUSES:
        raise ValueError("Only a published plan has a public report.")
    objectives, actions = _objectives(plan)
    return PublicReport(
        uuid=str(plan.uuid),
        title=plan.title,
        plan_type=plan.plan_type,
        status=plan.status,
        summary=plan.summary,
        owner=plan.owner.name,
        partners=tuple(plan.partners.order_by("name").values_list("name", flat=True)),
        co_producers=tuple(plan.co_produced_with.order_by("name").values_list("name", flat=True)),
        period_start=plan.period_start,
        period_end=plan.period_end,
        board_lead_role=plan.board_lead_role,
        published_at=plan.published_at,
        overall=progress.roll_up(actions),
        objectives=tuple(
            PublicObjective(
                code=objective.code,
                title=objective.title,
                description=objective.description,
                source_note=objective.source_note,
                rollup=progress.roll_up(objective.actions.all()),
                actions=tuple(_public_action(action) for action in objective.actions.all()),
            )
            for objective in objectives
        ),
    )
