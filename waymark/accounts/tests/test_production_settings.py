"""Under production settings: HSTS, secure cookies, and the second factor for every staff-level account."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.permission_matrix import EXPECTED, EXPECTED_POST, PERSONAS
from waymark.accounts.factories import TEST_PASSWORD, make_persona
from waymark.accounts.tests.production import production_settings, run_under_production
from waymark.core.roles import Role

ONE_YEAR = 31_536_000
STAFF_LEVEL_ROLES = (Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN)


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


@pytest.mark.django_db
def test_plain_http_is_sent_to_https(production):
    response = Client().get(reverse("core:home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure(production, https_client):
    https_client.get(reverse("accounts:login"))
    csrf = https_client.cookies["csrftoken"]
    assert csrf["secure"] is True and csrf["httponly"] is True
    member = make_persona(Role.MEMBER)
    response = https_client.post(reverse("accounts:login"), {"username": member.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True and session["samesite"] == "Lax"


def _signed_in_pages(expected: dict[str, tuple[int, ...]]) -> list[str]:
    """Every page of the permission matrix that needs no record to point at and is not open to everyone,
    but for the page where a password-only session pairs its first authenticator."""
    urls = []
    for name, statuses in expected.items():
        if statuses[PERSONAS.index("anonymous")] == 200 or name in ("accounts:logout", "accounts:two_factor_setup"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # needs a record; its rules are the same as its list's
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_LEVEL_ROLES)
def test_password_alone_reaches_no_staff_page(production, https_client, role):
    user = make_persona(role)
    response = https_client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    attempts = [("get", url) for url in _signed_in_pages(EXPECTED)]
    attempts += [("post", url) for url in _signed_in_pages(EXPECTED_POST)]
    assert len(attempts) > 80
    reached = []
    for method, url in attempts:
        response = getattr(https_client, method)(url)
        if response.status_code == 405:  # a method the page does not take reaches nothing
            continue
        if url.startswith("/api/"):
            if response.status_code not in (401, 403):
                reached.append(f"{method} {url}: {response.status_code}")
        elif response.status_code != 302 or "/account/two-factor/" not in response["Location"]:
            reached.append(f"{method} {url}: {response.status_code} {response.get('Location', '')}")
    assert not reached, "\n".join(reached)
