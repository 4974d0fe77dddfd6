"""Write paths for accounts: users, role grants and the second factor."""

import secrets
from datetime import date

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from waymark.accounts.models import RoleGrant, User
from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.core.roles import Role

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    email: str,
    full_name: str = "",
    password: str | None = None,
    phone: str = "",
    is_active: bool = True,
) -> User:
    with acting_as(actor):
        user = User(username=username, email=email, full_name=full_name, phone=phone, is_active=is_active)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def change_account(
    *, actor: User | None, user: User, username: str, email: str, full_name: str, phone: str, is_active: bool
) -> User:
    """Change an account's name, contact details or whether it may sign in (the Django admin's user form)."""
    with acting_as(actor):
        user.username = username
        user.email = email
        user.full_name = full_name
        user.phone = phone
        user.is_active = is_active
        user.full_clean()
        user.save(update_fields=["username", "email", "full_name", "phone", "is_active"])
    return user


@transaction.atomic
def grant_role(
    *,
    actor: User | None,
    user: User,
    role: str,
    organisation: Organisation | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> RoleGrant:
    with acting_as(actor):
        grant = RoleGrant(user=user, role=role, organisation=organisation, ends_on=ends_on)
        if starts_on:
            grant.starts_on = starts_on
        grant.full_clean()
        grant.save()
    return grant


@transaction.atomic
def change_role_grant(
    *,
    actor: User | None,
    grant: RoleGrant,
    role: str,
    organisation: Organisation | None,
    starts_on: date,
    ends_on: date | None,
) -> RoleGrant:
    """Correct a grant's role, organisation or dates (the Django admin's role grant forms)."""
    with acting_as(actor):
        grant.role = role
        grant.organisation = organisation
        grant.starts_on = starts_on
        grant.ends_on = ends_on
        grant.full_clean()
        grant.save()
    return grant


@transaction.atomic
def end_role_grant(*, actor: User | None, grant: RoleGrant, ends_on: date) -> RoleGrant:
    with acting_as(actor):
        grant.ends_on = ends_on
        grant.full_clean()
        grant.save()
    return grant


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: reused until confirmed, so a reload keeps the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def confirm_authenticator(*, request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from the app. Returns fresh recovery codes, or None if
    the code was wrong. Any earlier authenticator is removed: one person, one app."""
    device = pending_authenticator(user)
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    otp_login(request, device)
    return regenerate_recovery_codes(user=user)


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes; each works once. Returned for showing once, never stored in clear."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def ensure_demo_admin(*, username: str = "admin") -> tuple[User, str | None]:
    """The demo administrator: created once with a random password. Returns (user, password if new)."""
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing, None
    with transaction.atomic():
        user, password = _new_demo_user(actor=None, username=username, full_name="Demo Administrator")
        user.is_superuser = True
        user.is_staff = True
        with acting_as(None):
            user.save()
        grant_role(actor=None, user=user, role=Role.ADMIN)
    return user, password


def _new_demo_user(*, actor: User | None, username: str, full_name: str) -> tuple[User, str]:
    """A demo account with its own random password (from ``secrets``) and an address that cannot receive mail."""
    password = secrets.token_urlsafe(12)
    email = f"{username}@waymark.invalid"
    user = create_user(actor=actor, username=username, email=email, full_name=full_name, password=password)
    return user, password


class DemoAccountRefused(Exception):
    """Demo accounts are for development: never made under WAYMARK_ENV=production."""


def ensure_demo_account(
    *, actor: User | None, username: str, full_name: str, role: str, organisation: Organisation
) -> tuple[User, str | None]:
    """A demo persona holding one role for one organisation: created once with its own random password.
    Returns (user, password if new). An existing account is left exactly as it is, grants included.

    The password comes from ``secrets``, never from the demo's seeded ``random``: a seed gives the same
    borough every time, and so would give everyone the same passwords.
    """
    if settings.PRODUCTION:
        raise DemoAccountRefused("Demo accounts are not made when WAYMARK_ENV=production.")
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing, None
    with transaction.atomic():
        user, password = _new_demo_user(actor=actor, username=username, full_name=full_name)
        grant_role(actor=actor, user=user, role=role, organisation=organisation)
    return user, password
