"""Signing in: throttling, the second factor and recovery codes."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from waymark.accounts import services
from waymark.accounts.factories import TEST_PASSWORD, UserFactory, make_persona, verified_login
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, username, password=TEST_PASSWORD, follow=False):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=follow)


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_member_signs_in_without_second_factor(client):
    member = make_persona(Role.MEMBER)
    response = _sign_in(client, member.username, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert response.context["user"] == member


def test_wrong_password_says_so_plainly(client):
    user = UserFactory()
    response = _sign_in(client, user.username, "not the password")
    assert "Enter a correct username and password" in response.content.decode()


def test_staff_must_set_up_authenticator_then_is_let_in(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise locks the device for a second
    staff = make_persona(Role.STAFF)
    response = _sign_in(client, staff.username)
    assert response.status_code == 302
    # Any page now leads to the set-up page until a code is confirmed.
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))

    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong_code = f"{(int(_current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong_code})
    assert "That code did not match" in response.content.decode()

    response = client.post(reverse("accounts:two_factor_setup"), {"code": _current_code(device)})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", response.content.decode())
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_recovery_code_works_once(client):
    staff = make_persona(Role.STAFF)
    TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    codes = services.regenerate_recovery_codes(user=staff)

    _sign_in(client, staff.username)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200

    client.logout()
    _sign_in(client, staff.username)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert "That code did not match" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_second_factor_not_asked_when_setting_is_off(client, settings):
    settings.SECOND_FACTOR_REQUIRED = False
    staff = make_persona(Role.STAFF)
    _sign_in(client, staff.username)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_profile_lists_roles_and_security_links(client):
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Staff (community development worker)" in page
    assert staff.role_grants.get().organisation.name in page
    assert reverse("accounts:password_change") in page


def test_password_reset_sends_one_logged_email(client, mailoutbox, django_capture_on_commit_callbacks):
    from waymark.core.models import EmailDelivery

    user = UserFactory(email="reset.me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "reset.me@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "password-reset/" in mailoutbox[0].body
    assert EmailDelivery.objects.filter(to_address=user.email, status="sent").count() == 1


def test_demo_admin_is_created_once():
    user, password = services.ensure_demo_admin()
    assert password and user.check_password(password)
    again, second = services.ensure_demo_admin()
    assert again == user and second is None


def test_password_reset_is_rate_limited_per_address(client):
    for _ in range(3):
        assert client.post(reverse("accounts:password_reset"), {"email": "someone@example.org"}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "someone@example.org"})
    assert response.status_code == 429


def test_django_admin_sign_in_is_no_password_oracle(client):
    admin = make_persona(Role.ADMIN)
    admin_login = reverse("admin:login")
    for _ in range(15):
        response = client.post(admin_login, {"username": admin.username, "password": "a guess"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(admin_login, {"username": admin.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # the admin's page checks no password at all


def test_django_admin_sends_people_to_waymark_sign_in_and_back(client):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('accounts:login')}?next=%2Fdjango-admin%2F"
    assert response.status_code == 200
    response = client.get(f"{reverse('admin:login')}?next=/django-admin/accounts/user/")
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Fdjango-admin%2Faccounts%2Fuser%2F"


def test_signed_in_non_administrator_is_refused_by_the_admin_without_a_loop(client):
    verified_login(client, make_persona(Role.STAFF))
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403
