"""The Django admin shows the directory's records but writes none: they change through ``directory.services``."""

import pytest

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.directory.factories import ServiceFactory
from waymark.directory.models import Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_persona(Role.ADMIN)
    verified_login(client, user)
    return user


def test_a_service_is_shown_but_not_added_changed_or_deleted_in_the_admin(client, admin):
    service = ServiceFactory(name="Open Door")

    assert client.get(f"/django-admin/directory/service/{service.pk}/change/").status_code == 200
    assert client.get("/django-admin/directory/service/add/").status_code == 403
    response = client.post(f"/django-admin/directory/service/{service.pk}/change/", {"name": "Closed Door"})
    assert response.status_code == 403
    response = client.post(f"/django-admin/directory/service/{service.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403

    service.refresh_from_db()
    assert service.name == "Open Door"
    assert Service.objects.filter(pk=service.pk).exists()


@pytest.mark.parametrize("model", ["location", "fundingsource", "taxonomyterm"])
def test_records_the_search_index_or_the_services_keep_cannot_be_added_in_the_admin(client, admin, model):
    assert client.get(f"/django-admin/directory/{model}/add/").status_code == 403
