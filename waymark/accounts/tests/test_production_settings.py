"""Under production settings: HSTS, and the deployment checks."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from waymark.accounts.tests.production import production_settings, run_under_production

ONE_YEAR = 31_536_000


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_production_computes_secure_settings():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECOND_FACTOR_REQUIRED"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == ONE_YEAR
    assert values["SECURE_HSTS_PRELOAD"] is False  # preloading is hard to undo: only when asked for
    assert production_settings(SECURE_HSTS_PRELOAD="true")["SECURE_HSTS_PRELOAD"] is True


def test_deployment_checks_are_clean():
    result = run_under_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_hsts_without_preload(production, https_client):
    response = https_client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"


@pytest.mark.django_db
def test_hsts_preload_when_asked(settings, https_client):
    for name, value in production_settings(SECURE_HSTS_PRELOAD="true").items():
        setattr(settings, name, value)
    response = https_client.get(reverse("core:home"))
    assert response["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains; preload"
