"""The grants records the permission matrix's URLs point at (see ``tests/permission_matrix_grants``)."""

from typing import Any

from waymark.core.roles import Role
from waymark.grants.factories import ApplicationFactory, ProgrammeFactory


def grants_world(users: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A published, open programme funded by the responder persona's organisation and a submitted application
    to it; returns the URL keyword arguments for the grants rows."""
    responder_organisation = users[Role.RESPONDER].role_grants.get().organisation
    programme = ProgrammeFactory(funder=responder_organisation, code="matrix-seed")
    application = ApplicationFactory(programme=programme)
    on_programme = {"uuid": programme.uuid}
    on_application = {"uuid": application.uuid}
    return {
        "grants:programme_detail": on_programme,
        "grants:application_list": on_programme,
        "grants:application_detail": on_application,
    }
