"""The network demo hook: about the issue's numbers, synthetic, valid, and repeatable from the seed."""

import random
import re

import pytest

from waymark.core import demo as core_demo
from waymark.network import demo
from waymark.network.membership import recipients, terms_in_force
from waymark.network.models import Bulletin, BulletinStatus, Contact, Membership, MembershipRole, Network

pytestmark = pytest.mark.django_db


def _seed(size: str, seed: int = 7) -> dict:
    context: dict = {}
    quiet = lambda *args: None  # noqa: E731
    core_demo.seed(rng=random.Random(seed), size=size, actor=None, progress=quiet, context=context)
    demo.seed(rng=random.Random(seed), size=size, actor=None, progress=quiet, context=context)
    return context


@pytest.fixture
def small(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return _seed("small")


def test_the_small_demo_builds_a_working_network(small):
    network = Network.objects.get()
    assert Contact.objects.count() == demo.SIZES["small"].contacts
    roles = set(Membership.objects.values_list("role", flat=True))
    assert {MembershipRole.CHAIR, MembershipRole.MINUTE_TAKER, MembershipRole.MEMBER} <= roles
    assert terms_in_force(network).version == 2
    sent = Bulletin.objects.filter(status=BulletinStatus.SENT)
    assert sent.count() == demo.SIZES["small"].bulletins
    bulletin = sent.first()
    assert bulletin.skipped_count > 0 and bulletin.sent_count > 0
    assert bulletin.recipients.filter(delivery__isnull=False).count() == bulletin.sent_count
    assert Bulletin.objects.filter(status=BulletinStatus.DRAFT).exists()
    kinds = {demo._kind(contact.organisation) for contact in Contact.objects.select_related("organisation")}
    assert kinds == {"statutory", "voluntary", "faith"}


def test_demo_contacts_are_synthetic_and_valid(small):
    for contact in Contact.objects.all():
        contact.full_clean()
        assert contact.email.endswith("@example.org")
        assert contact.phone == "" or re.fullmatch(r"020 7946 0\d{3}", contact.phone)
    for membership in Membership.objects.all():
        membership.full_clean()


def test_the_full_demo_has_about_280_contacts_and_a_year_of_bulletins(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _seed("full")
    assert Contact.objects.count() == 280
    assert Bulletin.objects.filter(status=BulletinStatus.SENT).count() == 12
    housing = recipients(Network.objects.get().distribution_lists.get(name="Housing members"))
    assert housing.count() > 10
