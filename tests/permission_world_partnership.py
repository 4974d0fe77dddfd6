"""The partnership records the permission matrix's URLs point at (see ``tests/permission_matrix_partnership``)."""

from typing import Any

from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory


def partnership_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A planned consultation led by the responder persona's organisation; returns the URL keyword arguments
    for the partnership rows."""
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
    return {
        "partnership:public_consultation": {"uuid": published.uuid},
        "partnership:consultation_detail": {"uuid": consultation.uuid},
        "partnership:consultation_edit": {"uuid": consultation.uuid},
        "partnership:consultation_move": {"uuid": consultation.uuid},
        "partnership:consultation_report": {"uuid": consultation.uuid},
        "partnership:consultation_history": {"uuid": consultation.uuid},
        "api:consultation-detail": {"uuid": consultation.uuid},
    }
