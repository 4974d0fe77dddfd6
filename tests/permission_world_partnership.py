"""The partnership records the permission matrix's URLs point at (see ``tests/permission_matrix_partnership``)."""

from typing import Any

from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import (
    ActivityFactory,
    CdwTeamFactory,
    CommunityFactory,
    ConsultationFactory,
    DecisionFactory,
    ThemeFactory,
)


def partnership_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A planned consultation led by the responder persona's organisation and a partnership's decision; returns
    the URL keyword arguments for the partnership rows."""
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
    return {
        "partnership:public_consultation": {"uuid": published.uuid},
        "partnership:team_detail": {"uuid": team.uuid},
        "partnership:team_edit": {"uuid": team.uuid},
        "partnership:worker_balance": {"uuid": team.uuid, "user_id": worker.pk},
        "partnership:decision_list": {"uuid": decision.partnership.uuid},
        "partnership:decision_create": {"uuid": decision.partnership.uuid},
        "partnership:decision_detail": {"uuid": decision.uuid},
        "partnership:decision_edit": {"uuid": decision.uuid},
        "partnership:consultation_detail": {"uuid": consultation.uuid},
        "partnership:consultation_edit": {"uuid": consultation.uuid},
        "partnership:consultation_move": {"uuid": consultation.uuid},
        "partnership:consultation_report": {"uuid": consultation.uuid},
        "partnership:consultation_history": {"uuid": consultation.uuid},
        "api:consultation-detail": {"uuid": consultation.uuid},
        "partnership:consultation_month": {"year": consultation.starts_on.year, "month": consultation.starts_on.month},
    }
