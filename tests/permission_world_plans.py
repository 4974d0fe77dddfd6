"""The plans records the permission matrix's URLs point at (see ``tests/permission_matrix_plans``)."""

from typing import Any

from waymark.core.roles import Role
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.factories_grading import EdsGradingFactory


def plans_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A published plan owned by the responder persona's organisation, with one action the responder leads;
    returns the URL keyword arguments for the plans rows."""
    responder = users[Role.RESPONDER]
    plan = PlanFactory(owner=responder.role_grants.get().organisation)
    objective = ObjectiveFactory(plan=plan)
    action = ActionFactory(objective=objective, lead=responder)
    # grading: an unpublished EDS 2022 grading of the responder's organisation; the plan above is a PCREF plan
    grading = EdsGradingFactory(organisation=plan.owner)
    return {
        "plans:plan_detail": {"uuid": plan.uuid},
        "plans:action_detail": {"uuid": action.uuid},
        "plans:eds_grading_detail": {"uuid": grading.uuid},
        "plans:eds_grading_edit": {"uuid": grading.uuid},
        "plans:eds_grading_publish": {"uuid": grading.uuid},
        "plans:eds_comparison": {"uuid": plan.owner.uuid},
        "plans:competency_assessment": {"uuid": plan.uuid},
        "plans:public_report": {"uuid": plan.uuid},
        "plans:public_report_pdf": {"uuid": plan.uuid},
    }
