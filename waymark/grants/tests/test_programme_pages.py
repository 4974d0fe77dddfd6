"""The pages that set up a programme, as a grants officer uses them: a refusal keeps what was typed, each part
is saved as rows, and the programme's page shows what it still lacks."""

import pytest
from django.urls import reverse

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.grants.factories import ApplicationFactory, ProgrammeFactory
from waymark.grants.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))
    return client


def _programme_post(funder, **changes):
    data = {
        "title": "Seed fund 2027",
        "code": "seed-2027",
        "funder": funder.pk,
        "summary": "Small grants for community groups.",
        "criteria": "Groups led by the communities they serve.",
        "budget": "20000",
        "minimum_award": "500",
        "maximum_award": "5000",
        "eligible_types": [OrganisationType.COMMUNITY_GROUP, OrganisationType.CHARITY],
        "opens_on": "2027-03-01",
        "closes_on": "2027-04-12",
        "decision_by": "2027-05-10",
        "payment_by": "2027-05-24",
        "languages": ["ur", "bn"],
    }
    return {**data, **changes}


def test_a_grants_officer_sets_up_a_programme_and_is_told_what_it_lacks(officer_client):
    funder = OrganisationFactory(org_type=OrganisationType.LOCAL_AUTHORITY, name="Borough council")
    list_page = officer_client.get(reverse("grants:programme_list"))
    assert reverse("grants:programme_create") in list_page.content.decode()
    response = officer_client.post(reverse("grants:programme_create"), _programme_post(funder), follow=True)
    assert response.status_code == 200
    programme = Programme.objects.get(code="seed-2027")
    assert programme.languages == ["bn", "ur"] and programme.funder == funder
    page = response.content.decode()
    assert "Not ready yet" in page
    assert "the assessment criteria" in page
    assert reverse("grants:programme_questions", kwargs={"uuid": programme.uuid}) in page


def test_an_award_range_out_of_order_is_refused_on_its_field_keeping_what_was_typed(officer_client):
    funder = OrganisationFactory()
    response = officer_client.post(
        reverse("grants:programme_create"),
        _programme_post(funder, maximum_award="300", summary="Every word I typed stays."),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The largest award must be at least the smallest award, £500.00." in page
    assert "Every word I typed stays." in page
    assert not Programme.objects.exists()


def test_changing_the_timetable_to_an_impossible_order_is_refused(officer_client):
    programme = ProgrammeFactory()
    response = officer_client.post(
        reverse("grants:programme_edit", kwargs={"uuid": programme.uuid}),
        _programme_post(
            programme.funder,
            code=programme.code,
            decision_by=programme.closes_on.replace(day=1).isoformat(),
            closes_on="2027-04-12",
            opens_on="2027-03-01",
        ),
    )
    assert response.status_code == 400
    assert "on or after the day it closes" in response.content.decode()


def _rows(prefix, rows, extra=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    return data


def test_questions_are_saved_as_rows_and_a_blank_row_adds_nothing(officer_client):
    programme = ProgrammeFactory(with_parts=False)
    url = reverse("grants:programme_questions", kwargs={"uuid": programme.uuid})
    assert officer_client.get(url).status_code == 200
    data = _rows(
        "questions",
        [
            {"text": "What will you do with the money?", "word_limit": "200", "required": "on"},
            {"text": "", "word_limit": "250"},
        ],
    )
    response = officer_client.post(url, data)
    assert response.status_code == 302
    assert list(programme.questions.values_list("text", "word_limit")) == [("What will you do with the money?", 200)]


def test_a_word_limit_out_of_range_is_refused_naming_the_row(officer_client):
    programme = ProgrammeFactory(with_parts=False)
    url = reverse("grants:programme_questions", kwargs={"uuid": programme.uuid})
    response = officer_client.post(url, _rows("questions", [{"text": "Tell us everything", "word_limit": "5000"}]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Question 1, word limit" in page and "1000" in page
    assert "Tell us everything" in page


def test_the_questions_page_says_they_are_frozen_once_applications_arrive(officer_client):
    programme = ProgrammeFactory()
    ApplicationFactory(programme=programme)
    url = reverse("grants:programme_questions", kwargs={"uuid": programme.uuid})
    page = officer_client.get(url).content.decode()
    assert "can no longer change" in page
    assert "What need will the money meet?" in page


def test_criteria_and_tiers_are_saved_and_shown_on_the_programme_page(officer_client):
    programme = ProgrammeFactory(with_parts=False)
    criteria_url = reverse("grants:programme_criteria", kwargs={"uuid": programme.uuid})
    response = officer_client.post(
        criteria_url,
        _rows("criteria", [{"title": "Need", "weight": "3"}, {"title": "Led by the community", "weight": "1"}]),
    )
    assert response.status_code == 302
    tiers_url = reverse("grants:programme_reporting", kwargs={"uuid": programme.uuid})
    response = officer_client.post(
        tiers_url,
        _rows(
            "reporting-tiers",
            [
                {"up_to_amount": "1000", "questions": "What did you do?", "months_after_start": "6"},
                {"up_to_amount": "", "questions": "What changed?\nWho took part?", "months_after_start": "12"},
            ],
        ),
    )
    assert response.status_code == 302
    eligibility_url = reverse("grants:programme_eligibility", kwargs={"uuid": programme.uuid})
    response = officer_client.post(
        eligibility_url,
        _rows(
            "eligibility-questions",
            [{"text": "Are you based in the borough?", "required_answer": "yes", "explanation": "Borough only."}],
        ),
    )
    assert response.status_code == 302
    page = officer_client.get(programme.get_absolute_url()).content.decode()
    assert "75%" in page and "25%" in page  # weights 3 and 1
    assert "Grants up to £1,000" in page and "Who took part?" in page
    assert "Are you based in the borough?" in page
    assert "Not ready yet" in page  # the form's questions are still missing


def test_the_history_shows_who_changed_the_budget(officer_client):
    funder = OrganisationFactory()
    officer_client.post(reverse("grants:programme_create"), _programme_post(funder))
    programme = Programme.objects.get()
    officer_client.post(
        reverse("grants:programme_edit", kwargs={"uuid": programme.uuid}), _programme_post(funder, budget="25000")
    )
    page = officer_client.get(reverse("grants:programme_history", kwargs={"uuid": programme.uuid})).content.decode()
    assert "25" in page and "Changed" in page
