"""The Django admin writes organisations through core's services, and never deletes one."""

import pytest

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Riverside Mind",
    "alternate_name": "",
    "description": "",
    "org_type": OrganisationType.CHARITY,
    "charity_number": "",
    "company_number": "",
    "ods_code": "",
    "address_line_1": "",
    "address_line_2": "",
    "town": "",
    "postcode": "ZZ1 1AA",
    "website": "",
    "phone": "",
    "email": "",
    "active": "on",
}


@pytest.fixture
def admin(client, make_persona, verified_login):
    user = make_persona(Role.ADMIN)
    verified_login(client, user)
    return user


def test_adding_and_changing_an_organisation_is_audited_under_the_administrator(client, admin):
    response = client.post("/django-admin/core/organisation/add/", FORM)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Riverside Mind")

    response = client.post(f"/django-admin/core/organisation/{organisation.pk}/change/", {**FORM, "town": "Riverside"})
    assert response.status_code == 302

    organisation.refresh_from_db()
    assert organisation.town == "Riverside"
    assert [(row.history_type, row.history_user) for row in organisation.history.order_by("history_id")] == [
        ("+", admin),
        ("~", admin),
    ]


def test_an_organisation_cannot_be_deleted_in_the_admin(client, admin):
    organisation = OrganisationFactory()
    response = client.post(f"/django-admin/core/organisation/{organisation.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()
