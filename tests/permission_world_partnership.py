"""The partnership records the permission matrix's URLs point at (see ``tests/permission_matrix_partnership``)."""

from typing import Any

from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus, ResponsibilityLevel
from waymark.partnership.factories import (
    ActivityFactory,
    CdwTeamFactory,
    CommunityFactory,
    ConsultationFactory,
    DecisionFactory,
    ThemeFactory,
)
from waymark.partnership.models import Partnership, PartnershipMember, Responsibility
from waymark.plans.factories import ObjectiveFactory, PlanFactory


def partnership_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A planned consultation led by the responder persona's organisation, a published open one, a partnership's
    decision and an activity entry of the staff persona; returns the URL keyword arguments for the partnership
    rows."""
    responder = users[Role.RESPONDER]
    consultation = ConsultationFactory(
        lead_organisation=responder.role_grants.get().organisation,
        communities=[CommunityFactory(name="Matrix community")],
        themes=[ThemeFactory(name="Matrix theme", slug="matrix-theme")],
    )
    published = ConsultationFactory(
        status=ConsultationStatus.OPEN,
        published=True,
        communities=[CommunityFactory(name="Matrix community")],
        themes=[ThemeFactory(name="Matrix theme", slug="matrix-theme")],
    )
    # A CDW team managed by the staff persona, with one worker who has recorded an activity
    worker = make_persona(Role.STAFF)
    team = CdwTeamFactory(manager=users[Role.STAFF], workers=[worker])
    ActivityFactory(worker=worker)
    decision = DecisionFactory()
    # A partnership with the responder's organisation as a member, delivering a plan with one objective,
    # the responder's organisation leading it.
    responder_organisation = responder.role_grants.get().organisation
    partnership = Partnership.objects.create(name="Matrix partnership", purpose="Work together.")
    plan = PlanFactory(owner=responder_organisation, title="Matrix plan")
    objective = ObjectiveFactory(plan=plan, code="1", title="Matrix objective")
    partnership.plans.add(plan)
    PartnershipMember.objects.create(partnership=partnership, organisation=responder_organisation, lead=responder)
    Responsibility.objects.create(
        partnership=partnership,
        organisation=responder_organisation,
        objective=objective,
        level=ResponsibilityLevel.LEAD,
    )
    on_partnership = {"uuid": partnership.uuid}
    activity = ActivityFactory(worker=users[Role.STAFF])
    return {
        "partnership:public_consultation": {"uuid": published.uuid},
        "partnership:team_detail": {"uuid": team.uuid},
        "partnership:team_edit": {"uuid": team.uuid},
        "partnership:worker_balance": {"uuid": team.uuid, "user_id": worker.pk},
        "partnership:decision_list": {"uuid": decision.partnership.uuid},
        "partnership:decision_create": {"uuid": decision.partnership.uuid},
        "partnership:decision_detail": {"uuid": decision.uuid},
        "partnership:decision_edit": {"uuid": decision.uuid},
        "partnership:partnership_detail": on_partnership,
        "partnership:partnership_edit": on_partnership,
        "partnership:partnership_history": on_partnership,
        "partnership:partnership_members": on_partnership,
        "partnership:partnership_matrix": on_partnership,
        "partnership:partnership_matrix_edit": on_partnership,
        "partnership:partnership_matrix_download": on_partnership,
        "partnership:activity_edit": {"uuid": activity.uuid},
        "partnership:activity_delete": {"uuid": activity.uuid},
        "partnership:worker_activity_export": {"user_id": worker.pk},
        "partnership:consultation_detail": {"uuid": consultation.uuid},
        "partnership:consultation_edit": {"uuid": consultation.uuid},
        "partnership:consultation_move": {"uuid": consultation.uuid},
        "partnership:consultation_report": {"uuid": consultation.uuid},
        "partnership:consultation_history": {"uuid": consultation.uuid},
        "api:consultation-detail": {"uuid": consultation.uuid},
        "partnership:consultation_month": {"year": consultation.starts_on.year, "month": consultation.starts_on.month},
    }
