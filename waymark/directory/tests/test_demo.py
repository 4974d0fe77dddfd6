"""The directory's demo hook: enough varied, valid, synthetic records, and the same ones for a seed."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command

from waymark.core.models import Organisation
from waymark.directory.choices import (
    DuplicateDecision,
    FeedRecordState,
    FeedRunOutcome,
    LocationVisibility,
    ServiceStatus,
)
from waymark.directory.models import (
    Contact,
    Feed,
    FundingSource,
    HolidayException,
    Location,
    PossibleDuplicate,
    Service,
)
from waymark.directory.search import search_services


@pytest.fixture
def small_demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())


def test_small_demo_builds_a_varied_community_map(small_demo):
    assert Organisation.objects.count() >= 30
    services = Service.objects.all()
    assert services.count() >= 40
    assert services.filter(published=True).count() > services.filter(published=False).count() > 0
    assert Service.objects.filter(languages__code__in=["som", "syl", "ben", "urd"]).exists()
    assert Service.objects.filter(communities__isnull=False).exists()
    assert Location.objects.filter(visibility=LocationVisibility.HIDDEN).exists()
    assert HolidayException.objects.exists()
    assert FundingSource.objects.exists()
    assert Service.history.count() >= services.count()


def test_every_demo_record_validates(small_demo):
    for service in Service.objects.all():
        service.full_clean()
    for location in Location.objects.all():
        location.full_clean()
    for funding in FundingSource.objects.all():
        funding.full_clean()


def test_demo_services_are_searchable(small_demo):
    results = search_services(Service.objects.all(), text="counselling")
    assert results.total > 0
    assert results.total == Service.objects.filter(search_document__contains="counselling").count()


def test_demo_contact_details_are_synthetic(small_demo):
    for phone in Service.objects.exclude(phone="").values_list("phone", flat=True):
        assert re.fullmatch(r"020 7946 0\d{3}", phone)
    for email in Service.objects.exclude(email="").values_list("email", flat=True):
        assert email.endswith("@example.org")
    for email in Contact.objects.values_list("email", flat=True):
        assert email.endswith("@example.org")


def test_full_demo_reaches_the_issue_counts(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--size", "full", stdout=io.StringIO())
    assert Organisation.objects.count() >= 250
    assert Service.objects.count() >= 500
    assert Service.objects.filter(status=ServiceStatus.DEFUNCT).exists()
    assert len(set(Service.objects.values_list("languages__code", flat=True))) >= 25


def test_the_demo_tells_a_feeds_story_with_imperfect_data(small_demo):
    eastbrook = Feed.objects.get(publisher_name="Eastbrook Council")
    states = Counter(eastbrook.records.values_list("state", flat=True))
    assert states[FeedRecordState.CURRENT] >= 5
    assert states[FeedRecordState.QUARANTINED] == 1 and states[FeedRecordState.HELD] == 1
    assert eastbrook.records.filter(vanished_at__isnull=False).count() == 1
    assert PossibleDuplicate.objects.filter(record__feed=eastbrook, decision=DuplicateDecision.OPEN).exists()
    assert Feed.objects.get(publisher_name="Healthwatch Riverside").last_outcome == FeedRunOutcome.FAILED
