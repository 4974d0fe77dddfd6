"""Voice's demo hook: feedback in several languages and issues at every stage, through the app's services."""

import random

import pytest
from django.utils import timezone

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.voice import demo, published
from waymark.voice.models import Escalation, EscalationStatus, FeedbackItem, Issue, ItemDemographics, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    trust = OrganisationFactory(org_type=OrganisationType.NHS_TRUST, email="trust@example.org")
    context = {
        "organisations": {
            "mental_health_trust": trust,
            "icb": OrganisationFactory(org_type=OrganisationType.ICB, email="icb@example.org"),
            "council": OrganisationFactory(org_type=OrganisationType.LOCAL_AUTHORITY, email="council@example.org"),
            "police": OrganisationFactory(org_type=OrganisationType.OTHER_PUBLIC, email="police@example.org"),
        },
        "organisations_by_type": {OrganisationType.NHS_TRUST: [trust]},
    }
    return demo.seed(rng=random.Random(1), size="small", actor=None, progress=lambda *args: None, context=context)


def test_small_demo_has_feedback_in_several_languages(seeded):
    assert FeedbackItem.objects.count() == demo.ITEMS["small"] == seeded["items"]
    languages = set(FeedbackItem.objects.values_list("original_language__code", flat=True))
    assert {"eng", "urd", "pol", "ben"} <= languages
    assert FeedbackItem.objects.filter(consent_to_publish=True).exists()
    assert ItemDemographics.objects.exists()
    assert not FeedbackItem.objects.filter(received_on__gt=timezone.localdate()).exists()


def test_small_demo_has_issues_at_every_stage(seeded):
    assert {"open", "escalated", "answered", "closed"} <= set(Issue.objects.values_list("status", flat=True))
    today = timezone.localdate()
    awaiting = Escalation.objects.filter(status=EscalationStatus.AWAITING)
    assert awaiting.filter(due_on__lt=today).exists() and awaiting.filter(due_on__gte=today).exists()
    assert Response.objects.filter(published=False).exists()
    assert published.public_issues().exists()
    record = published.timeliness()
    assert sum(row.on_time for row in record) and sum(row.late for row in record)
    assert set(seeded["stages"]) == set(demo.STAGES)


def test_small_demo_quotes_only_words_staff_edited(seeded):
    quoted = FeedbackItem.objects.exclude(public_quote="")
    assert quoted.exists()
    assert not quoted.filter(consent_to_publish=False).exists()
    assert any(published.publishable_quotes(issue) for issue in published.public_issues())
