"""Personal API tokens: the service, the pages and what the API makes of them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from waymark.accounts.factories import UserFactory, make_persona
from waymark.accounts.models import ApiToken, hash_token
from waymark.api.services import create_api_token, revoke_api_token
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_service_stores_only_a_hash_and_a_prefix():
    user = UserFactory()
    token, secret = create_api_token(actor=user, name="  Power BI  ")
    token.refresh_from_db()
    assert secret.startswith("wmk_")
    assert token.name == "Power BI"
    assert token.key_hash == hash_token(secret)
    assert secret.startswith(token.key_prefix)
    assert len(token.key_prefix) < len(secret) / 3
    assert secret not in {token.name, token.key_prefix, token.key_hash}


def test_anonymous_cannot_create_a_token():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        create_api_token(actor=AnonymousUser(), name="Nope")


def test_service_refuses_to_revoke_another_users_token():
    token, _ = create_api_token(actor=UserFactory(), name="Theirs")
    with pytest.raises(PermissionDenied):
        revoke_api_token(actor=UserFactory(), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_twice_keeps_the_first_time():
    user = UserFactory()
    token, _ = create_api_token(actor=user, name="Twice")
    revoke_api_token(actor=user, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    revoke_api_token(actor=user, token=ApiToken.objects.get(pk=token.pk))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_token_pages_need_a_sign_in(client):
    response = client.get(reverse("api_tokens:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_create_page_shows_the_secret_once_and_the_list_only_the_prefix(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("api_tokens:create"), {"name": "Quarterly dashboard"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    secret = response.context["secret"]
    page = response.content.decode()
    assert secret in page
    assert "only time" in page
    assert "no-store" in response["Cache-Control"]
    assert token.key_hash == hash_token(secret)

    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "Quarterly dashboard" in listing
    assert token.key_prefix in listing
    assert secret not in listing

    # The secret it showed works against the API.
    assert _bearer(secret).get("/api/v1/").status_code == 200


def test_create_page_without_a_name_says_what_to_fix(client):
    client.force_login(UserFactory())
    response = client.post(reverse("api_tokens:create"), {"name": "   "})
    assert response.status_code == 200
    assert "Enter a name for the token." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_page_confirms_then_revoked_token_gets_401(client):
    user = make_persona(Role.MEMBER)  # members have no second factor, so the pages open without one
    token, secret = create_api_token(actor=user, name="Old laptop")
    assert _bearer(secret).get(ORGANISATIONS).status_code == 200
    client.force_login(user)

    confirm = client.get(reverse("api_tokens:revoke", args=[token.pk]))
    assert confirm.status_code == 200
    assert "Revoke token" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # GET only asks

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get(reverse("api_tokens:list")).content.decode()
    assert _bearer(secret).get(ORGANISATIONS).status_code == 401


def test_another_users_token_cannot_be_seen_or_revoked(client):
    token, _ = create_api_token(actor=UserFactory(), name="Someone else's")
    client.force_login(UserFactory())

    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert "Someone else" not in client.get(reverse("api_tokens:list")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_shows_status_and_last_use(client):
    user = UserFactory()
    create_api_token(actor=user, name="Unused")
    _, secret = create_api_token(actor=user, name="Used")
    _bearer(secret).get("/api/v1/")
    client.force_login(user)

    response = client.get(reverse("api_tokens:list"))

    tokens = {token.name: token for token in response.context["tokens"]}
    assert tokens["Unused"].last_used_at is None
    assert tokens["Used"].last_used_at is not None
    assert "Never" in response.content.decode()
    assert "Active" in response.content.decode()


@pytest.mark.django_db
def test_creating_and_revoking_a_token_is_in_its_audit_history():
    owner = make_persona(Role.ANALYST)
    token, secret = create_api_token(actor=owner, name="Dashboard")
    _bearer(secret).get("/api/v1/organisations/")  # using it records last_used_at, not a history entry
    revoke_api_token(actor=owner, token=token)
    entries = list(token.history.order_by("history_date"))
    assert [entry.history_type for entry in entries] == ["+", "~"]
    assert all(entry.history_user == owner for entry in entries)
    assert entries[-1].revoked_at is not None
