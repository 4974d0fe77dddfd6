"""The consultations behind a plan action and an issue, shown on plans' and voice's pages through
``core.panels`` (neither app imports partnership): only to working users, only consultations they see."""

import pytest
from django.urls import reverse

from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.plans.factories import ActionFactory
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(
        title="Talking therapies in Bengali",
        communities=[CommunityFactory(name="Bangladeshi")],
        themes=[ThemeFactory(name="Talking therapies", slug="p-talking")],
    )


@pytest.fixture
def staff_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))
    return client


def test_a_plan_action_shows_the_consultations_that_feed_it(staff_client, consultation, django_assert_max_num_queries):
    action = ActionFactory(title="Offer therapy in Bengali")
    consultation.feeds_actions.add(action)
    url = reverse("plans:action_detail", args=[action.uuid])
    page = staff_client.get(url).content.decode()
    assert "Consultations that feed this action" in page
    assert "Talking therapies in Bengali" in page
    assert consultation.get_absolute_url() in page
    assert consultation.lead_organisation.name in page


def test_an_action_no_consultation_feeds_shows_no_panel(staff_client, consultation):
    action = ActionFactory()
    page = staff_client.get(reverse("plans:action_detail", args=[action.uuid])).content.decode()
    assert "Consultations that feed this action" not in page


def test_an_issue_shows_the_consultations_it_was_raised_in(staff_client, consultation):
    issue = IssueFactory(title="No Bengali-speaking therapist")
    consultation.produced_issues.add(issue)
    page = staff_client.get(reverse("voice:issue_detail", args=[issue.uuid])).content.decode()
    assert "Raised in a consultation" in page
    assert "Talking therapies in Bengali" in page


def test_the_panel_reads_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    action = ActionFactory()
    for number in range(8):
        ConsultationFactory(
            title=f"Consultation feeding {number}",
            communities=[CommunityFactory(name="Bangladeshi")],
            themes=[ThemeFactory(name="Talking therapies", slug="p-talking")],
        ).feeds_actions.add(action)
    url = reverse("plans:action_detail", args=[action.uuid])
    staff_client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(30) as counted:
        page = staff_client.get(url).content.decode()
    assert page.count("Consultation feeding") == 8
    one = len(counted.captured_queries)
    ConsultationFactory(title="Consultation feeding 8").feeds_actions.add(action)
    with django_assert_max_num_queries(one):
        staff_client.get(url)


def test_a_feedback_item_shows_the_consultation_that_heard_it(staff_client, consultation):
    item = FeedbackItemFactory()
    consultation.produced_items.add(item)
    page = staff_client.get(reverse("voice:item_detail", args=[item.uuid])).content.decode()
    assert "Raised in a consultation" in page
    assert "Talking therapies in Bengali" in page


def test_an_issues_public_page_names_the_published_consultations_it_was_raised_in(client, consultation):
    issue = ResponseFactory(published=True).escalation.issue
    consultation.contact_name = "Private Contactperson"
    consultation.published = True
    consultation.status = ConsultationStatus.REPORTED
    consultation.save()
    consultation.produced_issues.add(issue)
    unpublished = ConsultationFactory(title="Not for the public page", status=ConsultationStatus.REPORTED)
    unpublished.produced_issues.add(issue)
    page = client.get(reverse("voice:you_said_we_did_issue", args=[issue.uuid])).content.decode()
    assert "Where we asked" in page
    assert reverse("partnership:public_consultation", args=[consultation.uuid]) in page
    assert "Not for the public page" not in page
    assert "Private Contactperson" not in page
