"""factory_boy builders for tests across all apps."""

import io
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import factory
from django.utils import timezone

from waymark.accounts.choices import Role
from waymark.accounts.models import RoleGrant, User
from waymark.core.choices import AreaType, OrganisationType
from waymark.core.models import Area, Organisation

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 (test accounts only)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test organisation {n}")
    org_type = OrganisationType.CHARITY
    postcode = "ZZ1 1AA"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    area_type = AreaType.WARD
    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    vintage = 2022


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


def zip_bomb(unzipped_bytes: int, member: str = "services.csv") -> bytes:
    """A small ZIP holding one long run of a single byte, written in chunks so it is never held whole."""
    buffer = io.BytesIO()
    chunk = b"a" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as opened,
    ):
        for _ in range(unzipped_bytes // len(chunk)):
            opened.write(chunk)
    return buffer.getvalue()


@contextmanager
def links_issued_days_ago(days: int) -> Iterator[None]:
    """Signed links made inside the block carry a time ``days`` ago, as if sent by an e-mail that long ago."""
    issued = time.time() - days * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=issued):
        yield
