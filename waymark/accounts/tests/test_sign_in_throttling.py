"""Sign-in and password-reset limits slow a guesser down without locking the owner out."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from waymark.accounts import throttling
from waymark.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GUESSER = "198.51.100.1"
OWNER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username, password, address=GUESSER):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


class FakeClock:
    """Time that passes only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(throttling, "clock", fake)
    return fake


def test_owner_signs_in_from_elsewhere_after_eleven_wrong_guesses(client):
    owner = UserFactory()
    for _ in range(11):
        _sign_in(client, owner.username, "a guess")
    response = _sign_in(client, owner.username, TEST_PASSWORD, address=OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_each_further_failure_doubles_the_wait(client, settings, clock):
    owner = UserFactory()
    for _ in range(settings.LOGIN_FREE_FAILURES):
        assert _sign_in(client, owner.username, "a guess").status_code == 200
    waits = []
    for _ in range(3):
        assert _sign_in(client, owner.username, "a guess").status_code == 200
        response = _sign_in(client, owner.username, TEST_PASSWORD)  # even the right password waits
        assert response.status_code == 429
        waits.append(int(response["Retry-After"]))
        assert "Too many failed sign-ins" in response.content.decode()
        assert owner.username in response.content.decode()  # what was typed is kept
        clock.now += waits[-1]
    first = settings.LOGIN_FIRST_DELAY_SECONDS
    assert waits == [first, 2 * first, 4 * first]

    assert _sign_in(client, owner.username, TEST_PASSWORD).status_code == 302  # the wait is over
    client.logout()
    assert _sign_in(client, owner.username, "a guess").status_code == 200  # and success starts afresh


def test_the_wait_never_exceeds_the_longest_delay(client, settings, clock):
    settings.LOGIN_MAX_DELAY_SECONDS = 100
    owner = UserFactory()
    for _ in range(settings.LOGIN_FREE_FAILURES + 6):
        _sign_in(client, owner.username, "a guess")
        clock.now += settings.LOGIN_MAX_DELAY_SECONDS
    _sign_in(client, owner.username, "a guess")
    assert int(_sign_in(client, owner.username, TEST_PASSWORD)["Retry-After"]) == 100


def test_spaces_around_the_username_count_as_the_same_username(client, settings):
    owner = UserFactory(username="amina.k")
    for typed in ["amina.k", " amina.k", "amina.k ", "\tamina.k"] * 2:
        _sign_in(client, typed, "a guess")
    response = _sign_in(client, "  amina.k", TEST_PASSWORD)
    assert response.status_code == 429
    assert _sign_in(client, owner.username, TEST_PASSWORD, address=OWNER).status_code == 302


def test_one_address_trying_many_usernames_is_stopped(client, settings):
    settings.LOGIN_RATE = "4/15m"
    owner = UserFactory()
    for number in range(4):
        assert _sign_in(client, f"someone{number}", "Winter2026!").status_code == 200
    response = _sign_in(client, owner.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert _sign_in(client, owner.username, TEST_PASSWORD, address=OWNER).status_code == 302


def test_successful_sign_ins_from_one_office_are_not_limited(client, settings):
    settings.LOGIN_RATE = "3/15m"
    for _ in range(5):
        user = UserFactory()
        assert _sign_in(client, user.username, TEST_PASSWORD).status_code == 302
        client.logout()


def test_password_reset_limit_ignores_case_and_spaces_of_the_email(client):
    for typed in ("Someone@Example.org", " someone@example.org", "SOMEONE@EXAMPLE.ORG"):
        assert client.post(reverse("accounts:password_reset"), {"email": typed}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "someone@example.org "})
    assert response.status_code == 429
