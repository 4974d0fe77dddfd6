"""The voice API: items for staff without demographics or contact details; the public record for anyone."""

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory, ItemDemographicsFactory
from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def test_items_for_staff_carry_no_demographics_or_contact_details(client):
    item = FeedbackItemFactory(contact_name="Test Person", contact_email="person@example.org")
    ItemDemographicsFactory(item=item)
    verified_login(client, make_persona(Role.STAFF))

    response = client.get(reverse("api:voice-item-list"))

    (row,) = response.json()["results"]
    assert row["uuid"] == str(item.uuid)
    for hidden in ("contact_name", "contact_email", "contact_phone", "demographics", "age_band", "gender"):
        assert hidden not in row


def test_an_item_without_sentiment_says_null_and_one_with_says_which(client):
    FeedbackItemFactory(reference="FB-blank", sentiment="")
    FeedbackItemFactory(reference="FB-mixed", sentiment="mixed")
    verified_login(client, make_persona(Role.STAFF))

    response = client.get(reverse("api:voice-item-list"))

    assert {row["reference"]: row["sentiment"] for row in response.json()["results"]} == {
        "FB-blank": None,
        "FB-mixed": "mixed",
    }


def test_items_filter_by_theme_including_the_themes_beneath(client):
    from waymark.core.models import Theme

    wanted = FeedbackItemFactory()
    wanted.themes.add(Theme.objects.get(slug="interpreting"))
    FeedbackItemFactory()
    verified_login(client, make_persona(Role.STAFF))

    response = client.get(reverse("api:voice-item-list"), {"theme": "access-to-services"})

    assert [row["uuid"] for row in response.json()["results"]] == [str(wanted.uuid)]


def test_public_issues_follow_the_page_rules(client):
    consented = FeedbackItemFactory(
        text="Quote me, Jo Bloggs, on this.", public_quote="Quote me on this.", consent_to_publish=True
    )
    private = FeedbackItemFactory(text="Do not quote me.", consent_to_publish=False)
    issue = IssueFactory(title="A published issue")
    issue.items.add(consented, private)
    ResponseFactory(escalation__issue=issue, published=True)
    IssueFactory(title="A private issue")

    listing = client.get(reverse("api:voice-issue-list")).json()
    detail = client.get(reverse("api:voice-issue-detail", args=[issue.uuid])).json()

    assert [row["title"] for row in listing["results"]] == ["A published issue"]
    assert detail["quotes"] == ["Quote me on this."]
    assert detail["feedback_count"] == {"value": None, "suppressed": True, "reason": "small count"}
    assert detail["answers"][0]["outcome"] == "accepted"
    assert "Do not quote me." not in str(detail)
    assert "Jo Bloggs" not in str(detail)
