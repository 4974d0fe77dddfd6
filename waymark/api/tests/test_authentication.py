"""Bearer tokens: which requests they sign in, and what they leave behind."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from waymark.accounts.factories import make_persona
from waymark.accounts.models import ApiToken
from waymark.api.services import create_api_token
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


def _client(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


@pytest.fixture
def member_secret():
    user = make_persona(Role.MEMBER)
    token, secret = create_api_token(actor=user, name="Reports")
    return user, token, secret


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_bearer_and_token_keywords_sign_in(member_secret, keyword):
    _, _, secret = member_secret
    response = _client(f"{keyword} {secret}").get(ORGANISATIONS)
    assert response.status_code == 200


def test_without_credentials_the_api_asks_for_a_bearer_token(api_client):
    response = api_client.get(ORGANISATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize(
    "header",
    ["Bearer wmk_not-a-real-token", "Bearer not-even-ours", "Bearer two parts", "Bearer"],
)
def test_bad_tokens_get_401(header):
    response = _client(header).get(ORGANISATIONS)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_gets_401(member_secret):
    _, token, secret = member_secret
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert _client(f"Bearer {secret}").get(ORGANISATIONS).status_code == 401


def test_token_of_a_disabled_account_gets_401(member_secret):
    user, _, secret = member_secret
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _client(f"Bearer {secret}").get(ORGANISATIONS).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(member_secret):
    _, token, secret = member_secret
    client = _client(f"Bearer {secret}")
    client.get("/api/v1/")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    client.get("/api/v1/")
    token.refresh_from_db()
    assert token.last_used_at == first_use

    a_while_ago = timezone.now() - timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_while_ago)
    client.get("/api/v1/")
    token.refresh_from_db()
    assert token.last_used_at > a_while_ago


def test_a_token_carries_only_its_owners_permissions():
    member = make_persona(Role.MEMBER)
    _, secret = create_api_token(actor=member, name="Member's script")
    response = _client(f"Bearer {secret}").post(ORGANISATIONS, {"name": "X", "org_type": "charity"}, format="json")
    assert response.status_code == 403
