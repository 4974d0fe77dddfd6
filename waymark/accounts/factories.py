"""factory_boy builders of accounts and role grants for tests across all apps, and ways to sign them in."""

import factory
from django.utils import timezone

from waymark.accounts.models import RoleGrant, User
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Organisation
from waymark.core.roles import Role

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 (test accounts only)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password(TEST_PASSWORD)


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = factory.LazyFunction(timezone.localdate)


def make_persona(role: str | None, organisation: Organisation | None = None, **user_fields: object) -> User:
    """A user holding one role (or none, for a signed-in user without grants)."""
    user: User = UserFactory(**user_fields)  # type: ignore[assignment]
    if role is not None:
        org = None if role == Role.ADMIN else (organisation or OrganisationFactory())
        RoleGrantFactory(user=user, role=role, organisation=org)
    return user


def verified_login(client: object, user: User) -> None:
    """Sign a test client in as ``user`` with a confirmed second factor, as after entering a code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    client.force_login(user)  # type: ignore[attr-defined]
    session = client.session  # type: ignore[attr-defined]
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
