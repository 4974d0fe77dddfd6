"""The board dashboard's reads: one organisation's plans, RAG counts per objective, overdue and stale actions,
and its EDS 2022 grades by outcome across years.

Everything is counted in Python from one query per model (plans, objectives, actions, gradings with their
grades), so a plan of 300 actions costs what a plan of three does. Only what the viewer may see is read
(``visible_to``). Closed plans are listed but their actions are neither overdue nor stale, and their
indicators are not followed. Indicators are read live through ``plans.indicator_values``, disclosure-controlled
unless monitoring lets the viewer see more.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from waymark.core.models import Organisation
from waymark.plans import indicator_values, progress
from waymark.plans.choices import (
    FINISHED_STATUSES,
    RAG_SEVERITY,
    EdsGrade,
    Freshness,
    PlanStatus,
    Rag,
    TemplateItemKind,
    eds_overall_rating,
)
from waymark.plans.models import Action, EdsGrading, EdsOutcomeGrade, Indicator, Objective, Plan, TemplateItem
from waymark.plans.public_reports import attached_to, format_interval

# The RAG columns of the tables, worst first, then actions not yet rated.
RAG_COLUMNS = (*RAG_SEVERITY, Rag.NOT_RATED)


def board_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations owning a plan the user sees: the ones whose board they can look at."""
    return Organisation.objects.filter(pk__in=Plan.objects.visible_to(user).values("owner_id")).order_by("name")


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    rollup: progress.RollUp
    overdue: int
    stale: int


@dataclass(frozen=True)
class ObjectiveRow:
    plan: Plan
    objective: Objective
    rollup: progress.RollUp

    @property
    def counts(self) -> list[int]:
        return [self.rollup.counts[rag.value] for rag in RAG_COLUMNS]


@dataclass(frozen=True)
class ActionRow:
    action: Action
    plan: Plan
    freshness: str
    days_overdue: int
    last_update: datetime.datetime


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator whose latest value's 95% interval lies wholly on the wrong side of its target."""

    plan: Plan
    value: indicator_values.IndicatorValue

    @property
    def indicator(self) -> Indicator:
        return self.value.indicator

    @property
    def attached_to(self) -> str:
        return attached_to(self.value.indicator)

    @property
    def latest(self) -> str:
        latest = self.value.latest
        return format_interval(latest.value, self.indicator.statistic) if latest else ""


@dataclass
class EdsYear:
    grading: EdsGrading
    grades: dict[int, int] = field(default_factory=dict)  # outcome (template item) id → grade

    @property
    def label(self) -> str:
        year = self.grading.year
        return f"{year}/{(year + 1) % 100:02d}"

    @property
    def total(self) -> int:
        return sum(self.grades.values())

    @property
    def rating(self) -> EdsGrade:
        return eds_overall_rating(self.total)


@dataclass(frozen=True)
class EdsTable:
    years: list[EdsYear]
    outcomes: list[tuple[TemplateItem, list[int | None]]]  # each outcome with its grade in each year (None: not graded)


@dataclass(frozen=True)
class BoardDashboard:
    organisation: Organisation
    plans: list[PlanRow]
    objectives: list[ObjectiveRow]
    overdue: list[ActionRow]
    stale: list[ActionRow]
    late: int
    indicators: int  # how many indicators the open plans follow
    off_target: list[IndicatorRow]
    eds: EdsTable

    @property
    def rag_totals(self) -> list[int]:
        return [sum(row.counts[index] for row in self.objectives) for index in range(len(RAG_COLUMNS))]


def _eds_table(user: Any, organisation: Organisation) -> EdsTable:
    grades = Prefetch("grades", queryset=EdsOutcomeGrade.objects.visible_to(user).order_by())
    gradings = EdsGrading.objects.visible_to(user).filter(organisation=organisation).prefetch_related(grades)
    years = [
        EdsYear(grading=grading, grades={grade.outcome_id: grade.grade for grade in grading.grades.all()})
        for grading in gradings.order_by("year")
    ]
    graded = {outcome_id for year in years for outcome_id in year.grades}
    outcomes = TemplateItem.objects.filter(template__code="eds2022", kind=TemplateItemKind.OUTCOME)
    rows = [
        (outcome, [year.grades.get(outcome.pk) for year in years])
        for outcome in outcomes.order_by("order", "code")
        if not outcome.retired or outcome.pk in graded
    ]
    return EdsTable(years=years, outcomes=rows if years else [])


class LatestYearMemo(indicator_values.DashboardMemo):
    """Off target depends only on the latest value's interval against the target, so the board builds each
    provider's latest year's dashboard alone, not the whole trend (one dashboard instead of five)."""

    def years(self, provider: Organisation) -> list[int]:
        years = super().years(provider)
        return [max(years)] if years else []


def _off_target(user: Any, plans: dict[int, Plan]) -> tuple[int, list[IndicatorRow]]:
    """Live values, as monitoring lets the viewer see them (disclosure-controlled unless allowed more), each
    dashboard computed once however many indicators read it."""
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(Q(action__objective__plan__in=plans) | Q(objective__plan__in=plans))
        .select_related("provider", "area", "grouping", "action__objective", "objective")
        .order_by("pk")
    )
    values = indicator_values.indicator_values(indicators, user, memo=LatestYearMemo())
    rows = []
    for value in values:
        if value.off_target:
            indicator = value.indicator
            objective = indicator.objective or indicator.action.objective  # type: ignore[union-attr]
            rows.append(IndicatorRow(plan=plans[objective.plan_id], value=value))
    return len(indicators), rows


def board_dashboard(user: Any, organisation: Organisation, *, now: datetime.datetime | None = None) -> BoardDashboard:
    """The dashboard of ``organisation``'s plans as ``user`` may see them."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    plans = list(Plan.objects.visible_to(user).filter(owner=organisation).order_by("-period_start", "title"))
    place = {plan.pk: index for index, plan in enumerate(plans)}
    objectives = sorted(
        Objective.objects.visible_to(user).filter(plan__in=plans),
        key=lambda objective: (place[objective.plan_id], objective.order, objective.code),
    )
    actions = list(
        Action.objects.visible_to(user)
        .filter(objective__plan__in=plans)
        .select_related("lead", "lead_organisation")
        .order_by("code")
    )
    plans_by_id = {plan.pk: plan for plan in plans}
    plan_of_objective = {objective.pk: plans_by_id[objective.plan_id] for objective in objectives}
    by_objective: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_objective[action.objective_id].append(action)

    overdue: list[ActionRow] = []
    stale: list[ActionRow] = []
    late = 0
    for action in actions:
        plan = plan_of_objective[action.objective_id]
        if plan.status == PlanStatus.CLOSED or action.status in FINISHED_STATUSES:
            continue
        freshness = progress.freshness(action, plan, now)
        row = ActionRow(
            action=action,
            plan=plan,
            freshness=freshness,
            days_overdue=(today - action.due_date).days,
            last_update=action.last_updated_at or action.created_at,
        )
        if action.due_date < today:
            overdue.append(row)
        if freshness == Freshness.STALE:
            stale.append(row)
        elif freshness == Freshness.LATE:
            late += 1

    plan_rows = []
    for plan in plans:
        in_plan = [
            action for objective in objectives if objective.plan_id == plan.pk for action in by_objective[objective.pk]
        ]
        plan_rows.append(
            PlanRow(
                plan=plan,
                rollup=progress.roll_up(in_plan),
                overdue=sum(1 for row in overdue if row.plan.pk == plan.pk),
                stale=sum(1 for row in stale if row.plan.pk == plan.pk),
            )
        )
    open_plans = {plan.pk: plan for plan in plans if plan.status != PlanStatus.CLOSED}
    indicator_count, off_target = _off_target(user, open_plans)
    return BoardDashboard(
        organisation=organisation,
        plans=plan_rows,
        objectives=[
            ObjectiveRow(
                plan=plan_of_objective[objective.pk],
                objective=objective,
                rollup=progress.roll_up(by_objective[objective.pk]),
            )
            for objective in objectives
            if plan_of_objective[objective.pk].status != PlanStatus.CLOSED
        ],
        overdue=sorted(overdue, key=lambda row: (row.action.due_date, row.action.code)),
        stale=sorted(stale, key=lambda row: (row.last_update, row.action.code)),
        late=late,
        indicators=indicator_count,
        off_target=off_target,
        eds=_eds_table(user, organisation),
    )
