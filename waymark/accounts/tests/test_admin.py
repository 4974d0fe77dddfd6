"""The Django admin writes accounts and role grants through accounts' services, and deletes neither."""

import pytest
from django.utils import timezone

from waymark.accounts.factories import UserFactory, make_persona, verified_login
from waymark.accounts.models import RoleGrant, User
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

NO_GRANTS = {
    "role_grants-TOTAL_FORMS": "0",
    "role_grants-INITIAL_FORMS": "0",
    "role_grants-MIN_NUM_FORMS": "0",
    "role_grants-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def admin(client):
    user = make_persona(Role.ADMIN)
    verified_login(client, user)
    return user


def test_an_account_added_with_a_grant_is_audited_under_the_administrator(client, admin):
    organisation = OrganisationFactory()
    today = timezone.localdate().isoformat()
    form = {
        "username": "new.worker",
        "full_name": "New Worker",
        "email": "new.worker@example.org",
        "phone": "0161 496 0000",
        "is_active": "on",
        **NO_GRANTS,
        "role_grants-TOTAL_FORMS": "1",
        "role_grants-0-role": Role.STAFF,
        "role_grants-0-organisation": organisation.pk,
        "role_grants-0-starts_on": today,
        "role_grants-0-ends_on": "",
    }
    response = client.post("/django-admin/accounts/user/add/", form)
    assert response.status_code == 302

    user = User.objects.get(username="new.worker")
    assert (user.phone, user.has_usable_password()) == ("0161 496 0000", False)
    [grant] = user.role_grants.all()
    assert (grant.role, grant.organisation) == (Role.STAFF, organisation)
    assert user.history.get().history_user == admin
    assert grant.history.get().history_user == admin


def test_changing_an_account_goes_through_the_service(client, admin):
    user = UserFactory(full_name="Old Name")
    form = {
        "username": user.username,
        "full_name": "New Name",
        "email": user.email,
        "phone": "",
        "is_active": "",
        **NO_GRANTS,
    }
    response = client.post(f"/django-admin/accounts/user/{user.pk}/change/", form)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.is_active) == ("New Name", False)
    assert user.history.latest("history_id").history_user == admin


def test_neither_an_account_nor_a_grant_is_deleted_in_the_admin(client, admin):
    worker = make_persona(Role.STAFF)
    grant = RoleGrant.objects.get(user=worker)
    assert client.post(f"/django-admin/accounts/user/{worker.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/django-admin/accounts/rolegrant/{grant.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
