"""Who may do what through the API: the same policy as the pages."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def _detail(organisation) -> str:
    return f"{ORGANISATIONS}{organisation.uuid}/"


def test_anonymous_cannot_read_organisations(api_client):
    organisation = OrganisationFactory()
    assert api_client.get(ORGANISATIONS).status_code == 401
    assert api_client.get(_detail(organisation)).status_code == 401
    assert api_client.post(ORGANISATIONS, {"name": "X"}, format="json").status_code == 401


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN])
def test_working_roles_and_members_can_list_organisations(token_client, role):
    OrganisationFactory(name="Listed")
    response = token_client(make_persona(role)).get(ORGANISATIONS)
    assert response.status_code == 200
    assert "Listed" in {row["name"] for row in response.json()["results"]}


def test_a_signed_in_user_without_a_role_is_refused(token_client):
    assert token_client(make_persona(None)).get(ORGANISATIONS).status_code == 403


def test_hidden_rows_are_not_found(token_client):
    inactive = OrganisationFactory(active=False)
    responder = make_persona(Role.RESPONDER)
    client = token_client(responder)
    assert client.get(_detail(inactive)).status_code == 404
    assert str(inactive.uuid) not in {row["uuid"] for row in client.get(ORGANISATIONS).json()["results"]}


def test_responder_may_patch_only_their_own_organisation(token_client):
    own = OrganisationFactory(name="Own trust")
    other = OrganisationFactory(name="Other trust")
    client = token_client(make_persona(Role.RESPONDER, organisation=own))

    response = client.patch(_detail(own), {"phone": "0161 000 0000"}, format="json")
    assert response.status_code == 200
    assert response.json()["phone"] == "0161 000 0000"

    response = client.patch(_detail(other), {"phone": "0161 999 9999"}, format="json")
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.phone == ""


def test_responder_cannot_create_organisations(token_client):
    client = token_client(make_persona(Role.RESPONDER))
    response = client.post(ORGANISATIONS, {"name": "New", "org_type": "charity"}, format="json")
    assert response.status_code == 403


def test_put_and_delete_are_not_offered(token_client):
    organisation = OrganisationFactory()
    client = token_client(make_persona(Role.ADMIN))
    assert client.put(_detail(organisation), {"name": "X"}, format="json").status_code == 405
    assert client.delete(_detail(organisation)).status_code == 405


def test_staff_session_without_second_factor_is_refused():
    client = APIClient()
    client.force_login(make_persona(Role.STAFF))
    response = client.get(ORGANISATIONS)
    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


def test_staff_session_with_verified_second_factor_is_allowed():
    staff = make_persona(Role.STAFF)
    device = StaticDevice.objects.create(user=staff, name="Recovery codes")
    client = APIClient()
    client.force_login(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(ORGANISATIONS).status_code == 200


def test_staff_session_counts_when_second_factor_is_not_required(settings):
    settings.SECOND_FACTOR_REQUIRED = False
    client = APIClient()
    client.force_login(make_persona(Role.STAFF))
    assert client.get(ORGANISATIONS).status_code == 200


def test_member_session_needs_no_second_factor():
    client = APIClient()
    client.force_login(make_persona(Role.MEMBER))
    assert client.get(ORGANISATIONS).status_code == 200
