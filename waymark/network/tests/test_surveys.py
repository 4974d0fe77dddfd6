"""Surveys: building a questionnaire, sending personal links, answering anonymously once, results with charts
(exact for staff, disclosure-controlled in public) and export."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.file_headers import split_file_header
from waymark.core.roles import Role
from waymark.network import survey_results
from waymark.network.factories_events import (
    EventFactory,
    QuestionFactory,
    QuestionOptionFactory,
    SurveyFactory,
    TicketTypeFactory,
)
from waymark.network.factories_meetings import ContactFactory, MembershipFactory
from waymark.network.factories_people import DistributionListFactory
from waymark.network.models import Answer, Question, QuestionKind, SurveyInvitation, SurveyResponse, SurveyStatus
from waymark.network.services import events as services_events
from waymark.network.services import surveys as services_surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    verified_login(client, make_persona(Role.STAFF))
    return client


def _evaluation(**extra):
    survey = SurveyFactory(title="Launch evaluation", status=SurveyStatus.OPEN, **extra)
    useful = QuestionFactory(survey=survey, text="How useful was the day?", kind=QuestionKind.SCALE, required=True)
    workshop = QuestionFactory(survey=survey, text="Which workshop did you enjoy?", kind=QuestionKind.SINGLE)
    options = [QuestionOptionFactory(question=workshop, label=label) for label in ("Faith", "Housing", "Youth")]
    comments = QuestionFactory(survey=survey, text="Anything else?", kind=QuestionKind.TEXT)
    return survey, useful, workshop, options, comments


def _invite(survey, number):
    return SurveyInvitation.objects.create(survey=survey, email=f"person{number}@example.org")


def test_staff_build_a_question_and_a_single_answer_is_refused(staff_client):
    survey = SurveyFactory()
    url = reverse("network:survey_question_create", args=[survey.uuid])
    refused = staff_client.post(
        url, {"text": "Which sector?", "kind": "single", "options": "Housing", "scale_min": 1, "scale_max": 5}
    )
    assert "Give at least two answers to choose from" in refused.text
    assert "Which sector?" in refused.text  # what was typed stays

    staff_client.post(
        url,
        {
            "text": "Which sector?",
            "kind": "single",
            "options": "Housing\nHealth\n\nFaith",
            "scale_min": 1,
            "scale_max": 5,
        },
    )
    question = Question.objects.get()
    assert [option.label for option in question.options.all()] == ["Housing", "Health", "Faith"]


def test_sending_to_event_attendees_reaches_those_who_came_once(django_capture_on_commit_callbacks):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=5)
    came = services_events.register(event=event, ticket_type=tickets, name="Came", email="came@example.org")
    services_events.register(event=event, ticket_type=tickets, name="Stayed away", email="away@example.org")
    services_events.check_in(registration=came, actor=None)
    survey, *_rest = _evaluation(event=event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        summary = services_surveys.send_survey(survey=survey, actor=None, event=event, came_only=True)
        again = services_surveys.send_survey(survey=survey, actor=None, event=event, came_only=True)

    assert (summary.sent, again.sent, again.already_invited) == (1, 0, 1)
    assert [message.to for message in mail.outbox] == [["came@example.org"]]
    assert "/network/surveys/answer/" in mail.outbox[0].body


def test_sending_to_a_list_skips_people_without_consent_and_adds_unsubscribe_headers(
    staff_client, django_capture_on_commit_callbacks
):
    membership = MembershipFactory()
    MembershipFactory(network=membership.network, contact=ContactFactory(consent_to_contact=False, lawful_basis=""))
    distribution_list = DistributionListFactory(network=membership.network)
    survey, *_rest = _evaluation()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("network:survey_send", args=[survey.uuid]),
            {"audience": "list", "distribution_list": distribution_list.pk},
            follow=True,
        )
    assert "Sent to 1 people. 1 skipped" in response.text
    assert mail.outbox[0].to == [membership.contact.email]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_anonymous_answer_keeps_no_link_to_the_person_and_cannot_be_given_twice(client):
    survey, useful, workshop, options, comments = _evaluation(anonymous=True)
    invitation = _invite(survey, 1)
    url = reverse("network:survey_respond", args=[survey_results.invitation_token(invitation)])

    missing = client.post(url, {f"q{workshop.pk}": options[1].pk})
    assert "Answer ‘How useful was the day?’." in missing.text
    client.post(url, {f"q{useful.pk}": 4, f"q{workshop.pk}": options[1].pk, f"q{comments.pk}": "More time"})

    response = SurveyResponse.objects.get()
    assert response.invitation is None
    assert sorted(Answer.objects.values_list("scale_value", flat=True), key=str) == [4, None, None]
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    assert "Thank you for your answers" in client.get(url).text
    with pytest.raises(services_surveys.SurveyRefused, match="already answered"):
        services_surveys.submit_response(invitation=invitation, answers={useful.pk: 5})
    assert client.get(reverse("network:survey_respond", args=["made-up"])).status_code == 404


def _answer(survey, number, answers):
    services_surveys.submit_response(invitation=_invite(survey, number), answers=answers)


def test_staff_see_exact_counts_with_a_chart_beside_the_table(staff_client):
    survey, useful, workshop, options, comments = _evaluation()
    for number in range(3):
        _answer(survey, number, {useful.pk: 5, workshop.pk: options[0].pk, comments.pk: f"Comment {number}"})
    page = staff_client.get(reverse("network:survey_results", args=[survey.uuid]))
    assert "3 responses" in page.text
    assert "<svg" in page.text and 'aria-hidden="true"' in page.text
    assert '<th class="nhsuk-table__header" scope="row">Faith</th>' in page.text
    assert "Comment 2" in page.text


def test_public_results_hide_small_counts_round_the_rest_and_leave_out_written_answers(client):
    survey, useful, workshop, options, comments = _evaluation()
    arts = QuestionOptionFactory(question=workshop, label="Arts")
    choices = [options[0]] * 20 + [options[1]] * 3 + [arts] * 12  # Faith 20, Housing 3, Youth 0, Arts 12
    for number, choice in enumerate(choices):
        _answer(survey, number, {useful.pk: 5, workshop.pk: choice.pk, comments.pk: "Name of my key worker"})
    assert client.get(reverse("network:survey_public_results", args=[survey.uuid])).status_code == 404

    survey.results_public = True
    survey.save()
    _total, results = survey_results.survey_results(survey, public=True)
    published = {row.label: row.published for row in results[1].rows}
    assert published["Faith"].value == 20
    assert (published["Housing"].value, published["Housing"].reason) == (None, "small count")
    assert published["Youth"].value == 0
    # Arts is hidden too, or Housing could be worked out from the total.
    assert (published["Arts"].value, published["Arts"].reason) == (None, "secondary")
    page = client.get(reverse("network:survey_public_results", args=[survey.uuid]))
    assert "About 35 people answered." in page.text
    assert "fewer than 8" in page.text and "not shown" in page.text
    assert "Name of my key worker" not in page.text
    assert 'numeric">3<' not in page.text and 'numeric">12<' not in page.text


def test_export_has_one_row_per_response_and_names_people_only_when_not_anonymous(staff_client):
    survey, useful, workshop, options, comments = _evaluation(anonymous=False)
    _answer(survey, 1, {useful.pk: 2, workshop.pk: options[2].pk, comments.pk: "=SUM(A1)"})
    csv_text = staff_client.get(
        reverse("network:survey_results", args=[survey.uuid]), {"format": "csv"}
    ).content.decode()
    assert "person1@example.org" in csv_text and "'=SUM(A1)" in csv_text
    workbook = load_workbook(
        io.BytesIO(staff_client.get(reverse("network:survey_results", args=[survey.uuid]), {"format": "xlsx"}).content)
    )
    lines, rows = split_file_header(list(workbook.active.iter_rows(values_only=True)))
    assert lines[-1] == "Not for publication: unsuppressed figures"
    assert rows[0][:3] == ("Response", "Submitted", "E-mail")
    assert rows[1][3:] == ("2", "Youth", "'=SUM(A1)")

    survey.anonymous = True
    survey.save()
    assert (
        "person1@example.org"
        not in staff_client.get(
            reverse("network:survey_results", args=[survey.uuid]), {"format": "csv"}
        ).content.decode()
    )


def test_a_question_hint_is_shown_escaped_on_the_public_survey_page(client):
    """A hint is staff-typed text: markup in it is shown as typed and never runs on the public page."""
    survey = SurveyFactory(status=SurveyStatus.OPEN)
    QuestionFactory(survey=survey, text="Anything else?", kind=QuestionKind.TEXT, hint="<img src=x onerror=alert(1)>")
    url = reverse("network:survey_respond", args=[survey_results.invitation_token(_invite(survey, 1))])

    page = client.get(url).text

    assert "<img src=x onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
