"""Rate limits count the person, not the proxy in front of Waymark nor what a client writes in a header."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from waymark.accounts.factories import TEST_PASSWORD, UserFactory
from waymark.accounts.tests.production import production_settings
from waymark.core.proxies import UNKNOWN_ADDRESS, client_address

LOAD_BALANCER = "10.0.0.2"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_load_balancer(settings):
    """Production settings for a deployment behind one load balancer (TRUSTED_PROXY_COUNT=1)."""
    for name, value in production_settings(TRUSTED_PROXY_COUNT="1").items():
        setattr(settings, name, value)
    return settings


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.5", "198.51.100.7"),  # no proxy trusted: the header is the client's
        (1, LOAD_BALANCER, "203.0.113.5", "203.0.113.5"),
        (1, LOAD_BALANCER, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the client wrote the first entry
        (2, LOAD_BALANCER, "192.0.2.66, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, LOAD_BALANCER, "", LOAD_BALANCER),
        (1, LOAD_BALANCER, "2001:db8::1", "2001:db8::1"),
        (1, LOAD_BALANCER, "not an address", UNKNOWN_ADDRESS),
        (0, "", "", UNKNOWN_ADDRESS),  # a Unix socket, no proxy trusted
        (1, "", "203.0.113.5", "203.0.113.5"),  # a Unix socket behind nginx
    ],
)
def test_client_address(settings, proxies, remote_addr, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_trusted_proxy_count_feeds_ratelimit_and_api_throttles():
    values = production_settings(TRUSTED_PROXY_COUNT="2")
    assert values["TRUSTED_PROXY_COUNT"] == 2
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 2  # type: ignore[index]
    assert values["RATELIMIT_IP_META_KEY"] == "waymark.core.proxies.client_address"
    assert production_settings()["REST_FRAMEWORK"]["NUM_PROXIES"] == 0  # type: ignore[index]


@pytest.mark.django_db
def test_visitors_behind_a_load_balancer_have_separate_buckets(behind_load_balancer, client):
    url = reverse("voice:reference_lookup", kwargs={"lang": "en-gb"})

    def visit(address: str) -> int:
        return client.get(url, REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=address, secure=True).status_code

    statuses = [visit("203.0.113.5") for _ in range(31)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert visit("203.0.113.9") == 200


@pytest.mark.django_db
def test_forged_forwarded_entries_do_not_dodge_the_api_throttle(behind_load_balancer, client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    url = reverse("api:area-list")
    statuses = [
        client.get(url, REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5", secure=True)
        for n in range(5)
    ]
    assert [response.status_code for response in statuses] == [200, 200, 200, 429, 429]
    other = client.get(url, REMOTE_ADDR=LOAD_BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.9", secure=True)
    assert other.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", ["0", "1"])
def test_sign_in_over_a_unix_socket(settings, client, proxies):
    for name, value in production_settings(TRUSTED_PROXY_COUNT=proxies).items():
        setattr(settings, name, value)
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="",
        HTTP_X_FORWARDED_FOR="203.0.113.5" if proxies == "1" else "",
        secure=True,
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
