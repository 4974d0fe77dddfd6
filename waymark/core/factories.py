"""factory_boy builders of the shared ground for tests across all apps, and test helpers."""

import io
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import factory

from waymark.core.choices import AreaType, OrganisationType
from waymark.core.models import Area, Organisation


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
