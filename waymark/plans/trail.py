"""Reads of the trail from what communities said to what changed: the plan actions that answer a voice
issue, the issues a plan's actions answer, and where each objective came from.

For the public ("You said, we did", the public progress report) only plans in ``PUBLIC_STATUSES`` count and
only ``PublicAnswer`` rows leave this module: they carry no person (no lead, nobody who linked anything).
Staff pages and the evidence pack read the links themselves, restricted by ``visible_to``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from waymark.plans.choices import PUBLIC_STATUSES, ActionStatus, Rag
from waymark.plans.models import Action, ActionIssueLink, Objective, Plan
from waymark.voice import published
from waymark.voice.models import Issue


@dataclass(frozen=True)
class PublicAnswer:
    """A plan action as the public sees it beside an issue it answers."""

    plan_title: str
    plan_owner: str  # the owning organisation's name
    code: str
    title: str
    status: str
    rag: str
    progress: int
    due_date: datetime.date
    completed_on: datetime.date | None
    note: str  # how the action answers the issue, written for the public

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label)

    @property
    def rag_label(self) -> str:
        return str(Rag(self.rag).label)


def _public_links(issue_ids: Iterable[int]) -> QuerySet[ActionIssueLink]:
    return (
        ActionIssueLink.objects.filter(
            issue_id__in=list(issue_ids), action__objective__plan__status__in=PUBLIC_STATUSES
        )
        .select_related("action__objective__plan__owner")
        .order_by("action__objective__plan__title", "action__objective__order", "action__code", "pk")
    )


def _public_answer(link: ActionIssueLink) -> PublicAnswer:
    action = link.action
    plan = action.objective.plan
    return PublicAnswer(
        plan_title=plan.title,
        plan_owner=plan.owner.name,
        code=action.code,
        title=action.title,
        status=action.status,
        rag=action.rag,
        progress=action.progress,
        due_date=action.due_date,
        completed_on=action.completed_on,
        note=link.note,
    )


def public_answers(issue: Issue) -> list[PublicAnswer]:
    """The actions of published plans that answer the issue, for its "You said, we did" page (one query)."""
    return [_public_answer(link) for link in _public_links([issue.pk])]


def public_answers_by_issue(issues: Iterable[Issue]) -> dict[int, list[PublicAnswer]]:
    """``public_answers`` for many issues at once (one query), keyed by the issue's id."""
    answers: dict[int, list[PublicAnswer]] = defaultdict(list)
    for link in _public_links(issue.pk for issue in issues):
        answers[link.issue_id].append(_public_answer(link))
    return dict(answers)


def public_issue_ids(issue_ids: Iterable[int]) -> set[int]:
    """Which of these issues have a public "You said, we did" page (a published answer)."""
    return set(
        published.public_responses()
        .filter(escalation__issue_id__in=list(issue_ids))
        .values_list("escalation__issue_id", flat=True)
    )


def public_issue_url(issue: Issue) -> str:
    return reverse("voice:you_said_we_did_issue", args=[issue.uuid])


@dataclass
class IssueAnswered:
    """An issue and the plan's actions that answer it; ``public_url`` is empty when the issue has no public page."""

    issue: Issue
    public_url: str
    actions: list[Action] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def issues_answered_by_plan(plan: Plan, *, public: bool = True) -> list[IssueAnswered]:
    """The issues the plan's actions answer, each with those actions, in the order of the plan.

    ``public=True`` (the public progress report): nothing unless the plan is published, and only issues with a
    public page. ``public=False`` (the evidence pack, staff pages): every linked issue. The actions carry their
    lead; a public page shows only what ``PublicAnswer`` shows (code, title, status, RAG, progress, dates).
    """
    if public and plan.status not in PUBLIC_STATUSES:
        return []
    links = list(
        ActionIssueLink.objects.filter(action__objective__plan=plan)
        .select_related("issue", "action__objective")
        .order_by("action__objective__order", "action__objective__code", "action__code", "pk")
    )
    visible = public_issue_ids({link.issue_id for link in links})
    rows: dict[int, IssueAnswered] = {}
    for link in links:
        is_public = link.issue_id in visible
        if public and not is_public:
            continue
        row = rows.setdefault(
            link.issue_id, IssueAnswered(issue=link.issue, public_url=public_issue_url(link.issue) if is_public else "")
        )
        row.actions.append(link.action)
        row.notes.append(link.note)
    return list(rows.values())


def links_of_action(action: Action) -> list[ActionIssueLink]:
    """The issues an action answers, for staff pages, with whether each has a public page (``is_public``)."""
    links = list(action.issue_links.select_related("issue").order_by("issue__title", "pk"))
    visible = public_issue_ids(link.issue_id for link in links)
    for link in links:
        link.is_public = link.issue_id in visible  # type: ignore[attr-defined]
    return links


def actions_answering(issue: Issue, user: Any) -> QuerySet[Action]:
    """The plan actions the user may see that answer the issue (staff pages: the issue's own page, exports)."""
    return (
        Action.objects.visible_to(user)
        .filter(issue_links__issue=issue)
        .select_related("objective__plan", "lead_organisation")
        .order_by("objective__plan__title", "code")
    )


def plan_action_raised_from(meeting_action: Any) -> Action | None:
    """The plan action a network meeting action was raised into, if any."""
    return Action.objects.filter(raised_from=meeting_action).select_related("objective__plan").first()


@dataclass(frozen=True)
class Sources:
    """Where an objective came from: the note, the issues raised and the consultations (surveys)."""

    note: str
    issues: list[Issue]
    surveys: list[Any]

    def __bool__(self) -> bool:
        return bool(self.note or self.issues or self.surveys)


def objective_sources(objectives: Iterable[Objective]) -> dict[int, Sources]:
    """Each objective's sources, keyed by its id, in three queries whatever the number of objectives."""
    chosen = list(objectives)
    rows = Objective.objects.filter(pk__in=[objective.pk for objective in chosen]).prefetch_related(
        Prefetch("source_issues", queryset=Issue.objects.order_by("title")),
        "source_surveys",
    )
    return {
        row.pk: Sources(
            note=row.source_note,
            issues=list(row.source_issues.all()),
            surveys=sorted(row.source_surveys.all(), key=lambda survey: survey.title),
        )
        for row in rows
    }
