"""The public page of consultations: published ones, open or reported, for anyone; "we asked, you said, we
did" for reported ones; nothing planned, closed or unpublished, and no contact details."""

import datetime

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _consultation(title, *, status=ConsultationStatus.OPEN, published=True, **fields):
    return ConsultationFactory(
        title=title,
        status=status,
        published=published,
        communities=[CommunityFactory(name="Bangladeshi")],
        themes=[ThemeFactory(name="Talking therapies", slug="t-talking")],
        contact_name="Rahim Chowdhury",
        **fields,
    )


@pytest.fixture
def reported():
    return _consultation(
        "Talking therapies in Bengali",
        status=ConsultationStatus.REPORTED,
        purpose="How could talking therapies work better for Bangladeshi families?",
        report_summary="You said sessions in Bengali were hard to find. We now offer them at two surgeries.",
        report_url="https://example.org/report.pdf",
        reported_on=datetime.date(2026, 10, 1),
    )


def test_anyone_sees_open_and_reported_consultations_and_nothing_else(client, reported):
    _consultation("Crisis care survey", public_link="https://example.org/take-part")
    _consultation("Still being planned", status=ConsultationStatus.PLANNED)
    _consultation("Closed, report to come", status=ConsultationStatus.CLOSED)
    _consultation("Open but kept off the public page", published=False)

    page = client.get(reverse("partnership:public_consultation_list")).content.decode()

    assert "Crisis care survey" in page and "Talking therapies in Bengali" in page
    assert "Still being planned" not in page
    assert "Closed, report to come" not in page
    assert "kept off the public page" not in page
    assert "Rahim Chowdhury" not in page
    assert page.index("Crisis care survey") < page.index("Talking therapies in Bengali")  # open ones first


def test_a_reported_consultation_says_we_asked_you_said_we_did(client, reported):
    page = client.get(reverse("partnership:public_consultation", args=[reported.uuid])).content.decode()

    assert "We asked" in page
    assert "How could talking therapies work better for Bangladeshi families?" in page
    assert "We now offer them at two surgeries." in page
    assert 'href="https://example.org/report.pdf"' in page
    assert "Rahim Chowdhury" not in page


def test_an_open_consultation_offers_the_way_to_take_part(client):
    consultation = _consultation("Crisis care survey", public_link="https://example.org/take-part")

    page = client.get(reverse("partnership:public_consultation", args=[consultation.uuid])).content.decode()

    assert 'href="https://example.org/take-part"' in page
    assert "Take part" in page


@pytest.mark.parametrize(
    ("status", "published"),
    [(ConsultationStatus.PLANNED, True), (ConsultationStatus.CLOSED, True), (ConsultationStatus.OPEN, False)],
)
def test_what_is_not_public_is_not_found_even_for_staff(client, status, published):
    consultation = _consultation("Hidden", status=status, published=published)
    verified_login(client, make_persona(Role.STAFF))

    response = client.get(reverse("partnership:public_consultation", args=[consultation.uuid]))

    assert response.status_code == 404


def test_typed_text_is_shown_as_text(client):
    consultation = _consultation("<script>alert(1)</script>", purpose="<b>bold</b>")

    page = client.get(reverse("partnership:public_consultation", args=[consultation.uuid])).content.decode()

    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page


def test_the_public_list_paginates_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for number in range(30):
        _consultation(f"Open consultation {number}")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("partnership:public_consultation_list"))

    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(response.context["page_obj"].object_list) == 25


def test_the_public_page_is_in_the_navigation_for_everyone(client):
    page = client.get(reverse("core:home")).content.decode()

    assert reverse("partnership:public_consultation_list") in page


def test_a_report_shows_what_was_done_as_far_as_the_public_may_read_it(client, reported):
    from waymark.plans.choices import PlanStatus
    from waymark.plans.factories import ActionFactory, PlanFactory
    from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

    answered = ResponseFactory(published=True).escalation.issue
    answered.title = "No sessions in Bengali"
    answered.save()
    unanswered = IssueFactory(title="An issue not yet answered in public")
    published_action = ActionFactory(title="Bengali sessions at two surgeries")
    draft_action = ActionFactory(
        title="An action in a draft plan", objective__plan=PlanFactory(status=PlanStatus.DRAFT)
    )
    reported.produced_issues.set([answered, unanswered])
    reported.feeds_actions.set([published_action, draft_action])

    page = client.get(reverse("partnership:public_consultation", args=[reported.uuid])).content.decode()

    assert "We did" in page
    assert "No sessions in Bengali" in page
    assert reverse("voice:you_said_we_did_issue", args=[answered.uuid]) in page
    assert "Bengali sessions at two surgeries" in page
    assert reverse("plans:public_report", args=[published_action.objective.plan.uuid]) in page
    assert "not yet answered in public" not in page
    assert "An action in a draft plan" not in page
