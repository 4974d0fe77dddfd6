"""Helpers for API tests: a DRF client and a way to sign it in with a token."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from waymark.accounts.models import User
from waymark.api.services import create_api_token


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def token_client() -> Callable[[User], APIClient]:
    """A client that sends a fresh personal token of the given user, as a program would."""

    def make(user: User) -> APIClient:
        _, secret = create_api_token(actor=user, name="Test program")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
