"""The plans records the permission matrix's URLs point at (see ``tests/permission_matrix_plans``)."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.monitoring.dashboards import default_grouping
from waymark.monitoring.factories import LocalAuthorityFactory
from waymark.network.factories_meetings import ActionFactory as MeetingActionFactory
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.factories_grading import EdsGradingFactory
from waymark.plans.models import ActionEvidence, ActionIssueLink, Indicator, Milestone
from waymark.voice.factories_escalations import IssueFactory


def plans_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A published plan owned by the responder persona's organisation, with one action the responder leads
    (answering one voice issue), and a network meeting action; returns the URL keyword arguments for the
    plans rows."""
    responder = users[Role.RESPONDER]
    plan = PlanFactory(owner=responder.role_grants.get().organisation)
    objective = ObjectiveFactory(plan=plan)
    action = ActionFactory(objective=objective, lead=responder)
    # Action pages: a milestone of the responder's action and an evidence file
    milestone = Milestone.objects.create(action=action, title="Staff trained", due_date=action.due_date)
    evidence = ActionEvidence.objects.create(
        action=action, title="Training record", file=SimpleUploadedFile("training.pdf", b"%PDF-1.4 record")
    )
    # grading: an unpublished EDS 2022 grading of the responder's organisation; the plan above is a PCREF plan
    grading = EdsGradingFactory(organisation=plan.owner)
    # trail: an issue the action answers, and a meeting action not yet raised into a plan action
    issue = IssueFactory()
    ActionIssueLink.objects.create(action=action, issue=issue, note="Answers it.")
    meeting_action = MeetingActionFactory()
    # Indicators: one on the responder's action (a provider with no figures: the pages still answer)
    indicator = Indicator.objects.create(
        action=action,
        measure="mha_detention",
        provider=OrganisationFactory(),
        area=LocalAuthorityFactory(),
        grouping=default_grouping(),
        group="Caribbean",
        reference_group="White British",
        target=2.0,
        baseline_year=2024,
    )
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
        # Action pages
        "plans:action_create": {"uuid": objective.uuid},
        "plans:action_edit": {"uuid": action.uuid},
        "plans:action_update": {"uuid": action.uuid},
        "plans:milestone_create": {"uuid": action.uuid},
        "plans:milestone_edit": {"uuid": milestone.uuid},
        "plans:milestone_complete": {"uuid": milestone.uuid},
        "plans:evidence_create": {"uuid": action.uuid},
        "plans:evidence_file": {"uuid": evidence.uuid},
        "plans:plan_edit": {"uuid": plan.uuid},
        "plans:plan_history": {"uuid": plan.uuid},
        "plans:plan_move": {"uuid": plan.uuid},
        "plans:plan_meetings": {"uuid": plan.uuid},
        "plans:objective_create": {"uuid": plan.uuid},
        "plans:objective_edit": {"uuid": objective.uuid},
        "plans:issue_link": {"uuid": action.uuid},
        "plans:issue_unlink": {"uuid": action.uuid, "issue_uuid": issue.uuid},
        "plans:raise_meeting_action": {"uuid": meeting_action.uuid},
        "plans:objective_sources": {"uuid": objective.uuid},
        # Indicators
        "plans:indicator_detail": {"uuid": indicator.uuid},
        "plans:indicator_attach_action": {"uuid": action.uuid},
        "plans:indicator_attach_objective": {"uuid": objective.uuid},
        "plans:indicator_edit": {"uuid": indicator.uuid},
        "plans:indicator_remove": {"uuid": indicator.uuid},
        "plans:evidence_pack": {"uuid": plan.uuid},
        # exchange: the spreadsheet pages and the read API
        "plans:action_export": {"uuid": plan.uuid},
        "plans:action_import": {"uuid": plan.uuid},
        "plans:action_import_preview": {"uuid": plan.uuid},
        "plans:action_import_confirm": {"uuid": plan.uuid},
        "api:plan-detail": {"uuid": plan.uuid},
        "api:plan-objective-detail": {"uuid": objective.uuid},
        "api:plan-action-detail": {"uuid": action.uuid},
        "api:plan-indicator-detail": {"uuid": indicator.uuid},
    }
