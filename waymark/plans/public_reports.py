"""The public progress report of a published plan, read once and shown as a page and as a PDF.

Only plans in ``PUBLIC_STATUSES`` have one. What leaves this module is plain rows that carry no person: the
board lead's role but never their name, each action's lead organisation but never its named lead, nobody who
updated, linked or graded anything. The page and the PDF share one template body, so they show the same.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waymark.monitoring.choices import Measure
from waymark.plans import indicator_values, progress, trail
from waymark.plans.choices import (
    PUBLIC_STATUSES,
    RAG_DEFINITIONS,
    RAG_SEVERITY,
    ActionStatus,
    Direction,
    PlanStatus,
    PlanType,
    Rag,
    Statistic,
)
from waymark.plans.models import Action, Indicator, Milestone, Objective, Plan


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
    # On the web page, each objective shows its first actions: how many it has, and how many are not shown.
    total: int = 0
    hidden: int = 0

    @property
    def anchor(self) -> str:
        return "objective-" + "".join(ch if ch.isalnum() else "-" for ch in self.code.lower())

    @property
    def has_milestones(self) -> bool:
        return any(action.milestones for action in self.actions)


def format_interval(interval: indicator_values.Interval, statistic: str) -> str:
    """ "1.85 (95% interval 1.42 to 2.40)", or why there is no value."""
    if interval.value is None:
        return interval.reason or _("No value")
    places = 1 if statistic == Statistic.RATE else 2
    if interval.lower is None or interval.upper is None:
        return f"{interval.value:.{places}f}"
    return _("%(value)s (95%% interval %(lower)s to %(upper)s)") % {
        "value": f"{interval.value:.{places}f}",
        "lower": f"{interval.lower:.{places}f}",
        "upper": f"{interval.upper:.{places}f}",
    }


def attached_to(indicator: Indicator) -> str:
    if indicator.action_id:
        return _("Action %(code)s") % {"code": indicator.action.code}  # type: ignore[union-attr]
    return _("Objective %(code)s") % {"code": indicator.objective.code}  # type: ignore[union-attr]


@dataclass(frozen=True)
class PublicIndicator:
    """A plan's indicator from published monitoring snapshots only; ``latest`` is empty when none is published."""

    title: str
    attached_to: str
    measure: str
    figure: str  # what is measured: the statistic, the group and its reference
    target: str
    latest: str
    latest_year: str
    position: str
    off_target: bool
    trend: tuple[tuple[str, str], ...]  # (year, value) oldest first
    source: str  # the published snapshot's title and date


def _measure_label(measure: str) -> str:
    return str(Measure(measure).label) if measure in Measure.values else measure


def _public_indicator(indicator: Indicator, value: indicator_values.IndicatorValue | None) -> PublicIndicator:
    statistic = indicator.statistic
    figure = _("%(statistic)s: %(group)s against %(reference)s") % {
        "statistic": Statistic(statistic).label,
        "group": indicator.group,
        "reference": indicator.reference_group,
    }
    target = _("%(target)s (%(direction)s)") % {
        "target": indicator.target,
        "direction": str(Direction(indicator.direction).label).lower(),
    }
    common = {
        "title": str(indicator),
        "attached_to": attached_to(indicator),
        "measure": _measure_label(indicator.measure),
        "figure": figure,
        "target": target,
    }
    if value is None or value.latest is None:
        return PublicIndicator(
            **common,
            latest=_("No figures published yet"),
            latest_year="",
            position="",
            off_target=False,
            trend=(),
            source="",
        )
    snapshot = value.snapshot
    return PublicIndicator(
        **common,
        latest=format_interval(value.latest.value, statistic),
        latest_year=value.latest.label,
        position=value.position_label,
        off_target=value.off_target,
        trend=tuple((row.label, format_interval(row.value, statistic)) for row in value.trend),
        source=f"{snapshot.title}, {date_format(snapshot.published_on, 'j F Y')}" if snapshot else "",
    )


def _place_in_plan(indicator: Indicator) -> tuple[int, str, str, int]:
    objective = indicator.objective or indicator.action.objective  # type: ignore[union-attr]
    return (objective.order, objective.code, indicator.action.code if indicator.action else "", indicator.pk)


def public_indicators(plan: Plan) -> list[PublicIndicator]:
    """The plan's indicators as published: values from published snapshots only, never live figures."""
    indicators = sorted(
        Indicator.objects.filter(Q(action__objective__plan=plan) | Q(objective__plan=plan)).select_related(
            "provider", "area", "grouping", "action__objective", "objective"
        ),
        key=_place_in_plan,
    )
    values = indicator_values.public_indicator_values(indicators, memo=indicator_values.DashboardMemo())
    return [_public_indicator(indicator, value) for indicator, value in zip(indicators, values, strict=True)]


@dataclass(frozen=True)
class PublicTrailAction:
    code: str
    title: str
    status: str
    rag: str
    note: str  # how the action answers the issue, written for the public

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label)

    @property
    def rag_label(self) -> str:
        return str(Rag(self.rag).label)


@dataclass(frozen=True)
class PublicTrail:
    """An issue communities raised (one with a public "You said, we did" page) and the actions answering it."""

    issue_title: str
    public_url: str
    actions: tuple[PublicTrailAction, ...]


def public_trail(plan: Plan) -> list[PublicTrail]:
    """From feedback to action: ``trail.issues_answered_by_plan`` for the public, kept to plain public rows."""
    return [
        PublicTrail(
            issue_title=answered.issue.title,
            public_url=answered.public_url,
            actions=tuple(
                PublicTrailAction(code=action.code, title=action.title, status=action.status, rag=action.rag, note=note)
                for action, note in zip(answered.actions, answered.notes, strict=True)
            ),
        )
        for answered in trail.issues_answered_by_plan(plan, public=True)
    ]


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
    indicators: tuple[PublicIndicator, ...]
    trail: tuple[PublicTrail, ...]

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


PUBLIC_ACTION_FIELDS = (
    "objective_id",
    "code",
    "title",
    "lead_organisation__name",
    "due_date",
    "status",
    "rag",
    "rag_reason",
    "progress",
    "completed_on",
)


def _objectives(plan: Plan) -> tuple[list[Objective], Sequence[Action]]:
    """The plan's objectives with their actions and milestones in three queries, whatever the plan's size."""
    # Only the columns the report shows: a plan of 300 actions should not load 300 evidence texts.
    milestones = Milestone.objects.only("action_id", "title", "due_date", "completed_on").order_by("due_date", "pk")
    actions = (
        Action.objects.select_related("lead_organisation")
        .only(*PUBLIC_ACTION_FIELDS)
        .prefetch_related(Prefetch("milestones", queryset=milestones))
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
                total=len(objective.actions.all()),
            )
            for objective in objectives
        ),
        indicators=tuple(public_indicators(plan)),
        trail=tuple(public_trail(plan)),
    )
