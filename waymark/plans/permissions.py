"""The plans app's part of the policy: who runs plans, who updates an action, who attaches indicators and
who approves, and which plans each person sees."""

from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core import policy
from waymark.core.roles import Role
from waymark.plans.choices import PUBLIC_STATUSES

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
SEES_EVERY_PLAN = frozenset({Role.STAFF, Role.ANALYST, Role.ADMIN})
WORKING = frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN})

PERMISSIONS = {
    # Staff and administrators run plans: create them from templates, write objectives, actions and milestones,
    # link the issues and meeting actions they answer. Working roles read the plans they may see.
    "plan.view": WORKING,
    "plan.manage": STAFF_ROLES,
    # Analysts attach monitoring figures to actions and objectives, with a target; administrators too, though
    # (like anyone) only on a provider whose figures monitoring lets them see unsuppressed.
    "plan_indicator.manage": frozenset({Role.ANALYST, Role.ADMIN}),
    # Staff and administrators record EDS 2022 gradings (and publish them) and a PCREF plan's competency
    # self-assessment; everyone who sees a grading or plan reads them.
    "plan.grade": STAFF_ROLES,
    # The board dashboard (overdue and stale actions, RAG per objective, EDS grades) of an organisation whose
    # plans the viewer sees; the rows still come from visible_to.
    "plan.board": WORKING,
    # An action's named lead (any working role) updates its status, progress, RAG, evidence and milestones;
    # staff and administrators any action (object rule lead_updates_own_action).
    "plan_action.update": WORKING,
    # Approving and publishing a plan is the board's decision, recorded by an administrator (plan pages).
    "plan.approve": frozenset({Role.ADMIN}),
    # The PCREF evidence pack for inspectors: staff and administrators for any plan, a responder for the plans
    # their organisation owns (object rule responder_packs_own_plans).
    "plan.evidence_pack": STAFF_ROLES | {Role.RESPONDER},
    # Staff and administrators download a plan's actions as CSV or XLSX (named leads' e-mail addresses, so
    # logged) and import them back, which rewrites many actions at once.
    "plan.exchange": STAFF_ROLES,
}


def lead_updates_own_action(user: Any, held: set[str], obj: Model) -> bool:
    """Staff and administrators update any action; anyone else only the actions they are the named lead of."""
    return bool(held & STAFF_ROLES) or getattr(obj, "lead_id", None) == getattr(user, "pk", None)


def responder_packs_own_plans(user: Any, held: set[str], obj: Model) -> bool:
    """A responder downloads the evidence pack only for a plan their organisation owns."""
    return bool(held & STAFF_ROLES) or getattr(obj, "owner_id", None) in policy.organisation_ids(user, Role.RESPONDER)


# The path from each model to its plan.
PLAN_PATHS = {
    "plans.Plan": "",
    "plans.Objective": "plan__",
    "plans.Action": "objective__plan__",
    "plans.ActionPartner": "action__objective__plan__",
    "plans.Milestone": "action__objective__plan__",
    "plans.ActionEvidence": "action__objective__plan__",
    "plans.ActionIssueLink": "action__objective__plan__",
    "plans.CompetencyAssessment": "plan__",
}


def plans_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Staff, analysts and administrators see every plan; a responder the plans their organisation owns or
    partners and those with an action they lead; everyone else published plans (and what is in them)."""
    if held & SEES_EVERY_PLAN:
        return queryset
    path = PLAN_PATHS[queryset.model._meta.label]
    seen = Q(**{f"{path}status__in": PUBLIC_STATUSES})
    if Role.RESPONDER in held:
        organisations = policy.organisation_ids(user, Role.RESPONDER)
        plan_model = queryset.model if not path else queryset.model._meta.apps.get_model("plans", "Plan")
        own = plan_model._default_manager.filter(
            Q(owner_id__in=organisations) | Q(partners__in=organisations) | Q(objectives__actions__lead_id=user.pk)
        ).values("pk")
        seen |= Q(**{f"{path}pk__in" if not path else f"{path[:-2]}__in": own})
    return queryset.filter(seen)


def indicators_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """An indicator is seen with the plan of its action or objective."""
    if held & SEES_EVERY_PLAN:
        return queryset
    plan_model = queryset.model._meta.apps.get_model("plans", "Plan")
    plans = plans_seen(plan_model._default_manager.all(), user, held).values("pk")
    return queryset.filter(Q(action__objective__plan__in=plans) | Q(objective__plan__in=plans))


def gradings_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """EDS gradings are public once published; staff, analysts and administrators see drafts, and a responder
    their own organisation's."""
    if held & SEES_EVERY_PLAN:
        return queryset
    path = "" if queryset.model._meta.label == "plans.EdsGrading" else "grading__"
    seen = Q(**{f"{path}published_on__isnull": False})
    if Role.RESPONDER in held:
        seen |= Q(**{f"{path}organisation_id__in": policy.organisation_ids(user, Role.RESPONDER)})
    return queryset.filter(seen)


def staff_only(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Reminders sent to leads are for staff."""
    return queryset if held & STAFF_ROLES else queryset.none()


def register() -> None:
    policy.declare_permissions("plans", PERMISSIONS)
    policy.object_rule("plan_action.update")(lead_updates_own_action)
    policy.object_rule("plan.evidence_pack")(responder_packs_own_plans)
    policy.visibility_rule(*PLAN_PATHS)(plans_seen)
    policy.visibility_rule("plans.Indicator")(indicators_seen)
    policy.visibility_rule("plans.EdsGrading", "plans.EdsOutcomeGrade", "plans.EdsGrader")(gradings_seen)
    policy.visibility_rule("plans.ActionReminder")(staff_only)
