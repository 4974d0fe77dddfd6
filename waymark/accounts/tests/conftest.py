"""Fixtures for the accounts tests."""

from typing import Any

import pytest
from django.test import Client

from waymark.accounts.tests.production import production_settings


@pytest.fixture
def production(settings):
    """Apply the settings ``WAYMARK_ENV=production`` computes; the client then speaks HTTPS, as in production."""
    for name, value in production_settings().items():
        setattr(settings, name, value)
    return settings


class HttpsClient(Client):
    """A test client whose every request arrives over HTTPS, as production's SECURE_SSL_REDIRECT requires."""

    def generic(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


@pytest.fixture
def https_client() -> HttpsClient:
    return HttpsClient()
