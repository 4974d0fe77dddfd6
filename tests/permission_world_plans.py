"""The plans records the permission matrix's URLs point at (see ``tests/permission_matrix_plans``)."""

from typing import Any

from waymark.core.roles import Role
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory


def plans_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A published plan owned by the responder persona's organisation, with one action the responder leads;
    returns the URL keyword arguments for the plans rows."""
    responder = users[Role.RESPONDER]
    plan = PlanFactory(owner=responder.role_grants.get().organisation)
    objective = ObjectiveFactory(plan=plan)
    action = ActionFactory(objective=objective, lead=responder)
    return {
        "plans:plan_detail": {"uuid": plan.uuid},
        "plans:action_detail": {"uuid": action.uuid},
    }
