"""The second factor under production settings: a password alone never gets past it."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from waymark.accounts import services
from waymark.accounts.factories import TEST_PASSWORD, make_persona
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

RECOVERY_CODE = re.compile(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>")


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrolled_admin() -> tuple[object, TOTPDevice, list[str]]:
    """An administrator who has paired an authenticator app and holds recovery codes."""
    admin = make_persona(Role.ADMIN)
    device = TOTPDevice.objects.create(user=admin, name=services.AUTHENTICATOR_NAME, confirmed=True)
    return admin, device, services.regenerate_recovery_codes(user=admin)


def _password_only(client, user) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def _assert_second_factor_still_asked(client) -> None:
    for url in ("/django-admin/", reverse("core:personal_data"), reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:two_factor_verify")), url


def test_password_alone_cannot_pair_a_new_authenticator(production, https_client):
    admin, device, codes = _enrolled_admin()
    _password_only(https_client, admin)

    response = https_client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=admin, confirmed=False).exists()

    # Even a code from a secret the attacker made some other way is refused.
    intruder = TOTPDevice.objects.create(user=admin, name=services.AUTHENTICATOR_NAME, confirmed=False)
    response = https_client.post(reverse("accounts:two_factor_setup"), {"code": _code(intruder)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not RECOVERY_CODE.search(response.content.decode())

    # The owner's own app and recovery codes still work; the session is still not verified.
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == set(codes)
    _assert_second_factor_still_asked(https_client)


def test_password_alone_cannot_make_new_recovery_codes(production, https_client):
    admin, _device, codes = _enrolled_admin()
    _password_only(https_client, admin)

    response = https_client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not RECOVERY_CODE.search(response.content.decode())
    assert set(StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)) == set(codes)
    _assert_second_factor_still_asked(https_client)


def test_unverified_session_reaches_only_verify_and_sign_out(production, https_client):
    admin, _device, _codes = _enrolled_admin()
    _password_only(https_client, admin)
    assert https_client.get(reverse("accounts:two_factor_verify")).status_code == 200
    for url in (reverse("accounts:password_change"), reverse("api_tokens:list"), reverse("core:home")):
        response = https_client.get(url)
        assert response["Location"].startswith(reverse("accounts:two_factor_verify")), url
    response = https_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert https_client.get(reverse("accounts:profile"))["Location"].startswith(reverse("accounts:login"))


def test_verified_owner_moves_to_a_new_phone_and_makes_new_codes(production, https_client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    admin, old_device, old_codes = _enrolled_admin()
    _password_only(https_client, admin)
    response = https_client.post(reverse("accounts:two_factor_verify"), {"code": _code(old_device)})
    assert response.status_code == 302

    assert https_client.get(reverse("accounts:two_factor_setup")).status_code == 200
    new_device = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = https_client.post(reverse("accounts:two_factor_setup"), {"code": _code(new_device)})
    assert len(RECOVERY_CODE.findall(response.content.decode())) == services.RECOVERY_CODE_COUNT
    assert list(TOTPDevice.objects.filter(user=admin, confirmed=True)) == [new_device]

    response = https_client.post(reverse("accounts:recovery_codes"))
    fresh = RECOVERY_CODE.findall(response.content.decode())
    assert len(fresh) == services.RECOVERY_CODE_COUNT and not set(fresh) & set(old_codes)
    assert https_client.get("/django-admin/").status_code == 200
