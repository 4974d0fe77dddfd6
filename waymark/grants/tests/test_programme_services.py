"""Setting up a programme through its services: what a grants officer notices when a value is refused, and
that the parts (questions, eligibility questions, criteria, reporting tiers) are kept as they were set."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.grants.factories import ApplicationFactory, AssessmentFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import Score
from waymark.grants.services.programmes import (
    CriterionRow,
    EligibilityRow,
    QuestionRow,
    ReportingTierRow,
    create_programme,
    set_criteria,
    set_eligibility_questions,
    set_questions,
    set_reporting_tiers,
    update_programme,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


@pytest.fixture
def officer(make_persona):
    return make_persona(Role.STAFF)


def _values(**changes):
    values = {
        "funder": OrganisationFactory(org_type=OrganisationType.LOCAL_AUTHORITY),
        "code": "seed-2027",
        "title": "Community seed fund 2027",
        "summary": "Small grants for groups.",
        "criteria": "Groups led by the communities they serve.",
        "budget": Decimal("20000"),
        "minimum_award": Decimal("500"),
        "maximum_award": Decimal("5000"),
        "eligible_types": [OrganisationType.COMMUNITY_GROUP, OrganisationType.CHARITY],
        "opens_on": TODAY,
        "closes_on": TODAY + datetime.timedelta(days=42),
        "decision_by": TODAY + datetime.timedelta(days=70),
        "payment_by": TODAY + datetime.timedelta(days=84),
        "languages": ["ur", "pl"],
    }
    return {**values, **changes}


def test_a_grants_officer_creates_a_programme_with_one_history_row(officer):
    programme = create_programme(actor=officer, **_values(languages=["ur", "en-gb", "pl", "ur"]))
    assert programme.pk and programme.code == "seed-2027"
    assert programme.languages == ["pl", "ur"]  # English always offered, so not stored
    assert programme.offered_languages == ["en-gb", "ur", "pl"]
    assert programme.history.count() == 1
    assert programme.history.get().history_user == officer


def test_someone_without_the_permission_cannot_create_one(make_persona):
    with pytest.raises(PermissionDenied):
        create_programme(actor=make_persona(Role.ANALYST), **_values())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"maximum_award": Decimal("400")}, "maximum_award", "£500.00"),
        ({"maximum_award": Decimal("25000")}, "maximum_award", "£20,000.00"),
        ({"minimum_award": Decimal("0")}, "minimum_award", "£0"),
        ({"budget": Decimal("-1"), "minimum_award": Decimal("-5"), "maximum_award": Decimal("-2")}, "budget", "£0"),
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on", "1 March 2027"),
        ({"decision_by": TODAY + datetime.timedelta(days=10)}, "decision_by", "the day it closes"),
        ({"payment_by": TODAY + datetime.timedelta(days=60)}, "payment_by", "the decision date"),
        ({"eligible_types": []}, "eligible_types", "individuals"),
        ({"eligible_types": ["pirates"]}, "eligible_types", "pirates"),
        ({"languages": ["fr"]}, "languages", "fr"),
    ],
)
def test_a_value_out_of_range_is_refused_naming_the_field_and_limit(officer, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        create_programme(actor=officer, **_values(**changes))
    assert field in refused.value.message_dict
    assert words in " ".join(refused.value.message_dict[field])


def test_the_budget_never_drops_below_what_is_committed(officer):
    programme = ProgrammeFactory()
    application = ApplicationFactory(programme=programme)
    GrantDecisionFactory(application=application, amount_awarded=Decimal("3000"))
    with pytest.raises(ValidationError) as refused:
        update_programme(programme, actor=officer, budget=Decimal("2500"), maximum_award=Decimal("2000"))
    assert "£3,000.00" in refused.value.message_dict["budget"][0]
    programme.refresh_from_db()
    assert programme.budget == Decimal("20000.00")
    update_programme(programme, actor=officer, budget=Decimal("8000"), title="Seed fund (reduced)")
    programme.refresh_from_db()
    assert (programme.budget, programme.title) == (Decimal("8000"), "Seed fund (reduced)")


def test_questions_are_set_in_order_and_keep_their_keys(officer):
    programme = ProgrammeFactory(with_parts=False)
    set_questions(
        programme,
        [QuestionRow(text="What will you do?", word_limit=200), QuestionRow(text="Who benefits?", key="who")],
        actor=officer,
    )
    assert list(programme.questions.values_list("key", "word_limit")) == [("what-will-you-do", 200), ("who", 250)]
    set_questions(programme, [QuestionRow(text="Who benefits most?", key="who", word_limit=100)], actor=officer)
    assert list(programme.questions.values_list("key", "text", "order")) == [("who", "Who benefits most?", 0)]


def test_an_unreasonable_word_limit_is_refused(officer):
    programme = ProgrammeFactory(with_parts=False)
    with pytest.raises(ValidationError) as refused:
        set_questions(programme, [QuestionRow(text="Tell us everything", word_limit=5000)], actor=officer)
    assert "between 10 and 1000 words" in refused.value.message_dict["questions"][0]


def test_questions_are_frozen_once_an_application_is_submitted(officer):
    programme = ProgrammeFactory()
    ApplicationFactory(programme=programme)
    with pytest.raises(ValidationError) as refused:
        set_questions(programme, [QuestionRow(text="Something new?")], actor=officer)
    assert "no longer change" in refused.value.message_dict["questions"][0]
    assert programme.questions.count() == 2


def test_eligibility_questions_need_the_reason_an_answer_rules_out(officer):
    programme = ProgrammeFactory(with_parts=False)
    with pytest.raises(ValidationError) as refused:
        set_eligibility_questions(
            programme, [EligibilityRow(text="Are you in the borough?", explanation="")], actor=officer
        )
    assert "why the other answer" in refused.value.message_dict["eligibility_questions"][0]
    set_eligibility_questions(
        programme,
        [
            EligibilityRow(text="Are you in the borough?", explanation="We fund groups in the borough."),
            EligibilityRow(
                text="Are you a political party?", explanation="We cannot fund parties.", required_answer=False
            ),
        ],
        actor=officer,
    )
    assert list(programme.eligibility_questions.values_list("required_answer", flat=True)) == [True, False]


def test_criteria_keep_their_scores_and_a_scored_one_cannot_be_removed(officer):
    programme = ProgrammeFactory()
    need, led = programme.criteria_set.all()
    assessment = AssessmentFactory(application=ApplicationFactory(programme=programme))
    Score.objects.create(assessment=assessment, criterion=led, score=4, justification="Led by its members.")
    with pytest.raises(ValidationError) as refused:
        set_criteria(programme, [CriterionRow(title="Need", weight=3, id=need.pk)], actor=officer)
    assert "Led by the community has been scored" in refused.value.message_dict["criteria"][0]
    set_criteria(
        programme,
        [CriterionRow(title="Led by its community", weight=2, id=led.pk), CriterionRow(title="Value", weight=1)],
        actor=officer,
    )
    assert list(programme.criteria_set.values_list("pk", "title", "weight")) == [
        (led.pk, "Led by its community", 2),
        (programme.criteria_set.get(title="Value").pk, "Value", 1),
    ]
    with pytest.raises(ValidationError) as refused:
        set_criteria(programme, [CriterionRow(title="Need", weight=11)], actor=officer)
    assert "between 1 and 10" in " ".join(refused.value.message_dict["criteria"])


def test_reporting_tiers_cover_every_award_size(officer):
    programme = ProgrammeFactory(with_parts=False)  # awards of £500 to £5,000
    with pytest.raises(ValidationError) as refused:
        set_reporting_tiers(
            programme, [ReportingTierRow(up_to_amount=Decimal("1000"), questions=["What did you do?"])], actor=officer
        )
    assert "£5,000.00" in refused.value.message_dict["reporting_tiers"][0]
    set_reporting_tiers(
        programme,
        [
            ReportingTierRow(up_to_amount=None, questions=["What changed?", "Who took part?"], months_after_start=12),
            ReportingTierRow(up_to_amount=Decimal("1000"), questions=["What did you do?"], months_after_start=6),
        ],
        actor=officer,
    )
    assert list(programme.reporting_tiers.values_list("up_to_amount", "months_after_start")) == [
        (Decimal("1000.00"), 6),
        (None, 12),
    ]
    with pytest.raises(ValidationError) as refused:
        set_reporting_tiers(programme, [ReportingTierRow(up_to_amount=None, questions=["Q"] * 6)], actor=officer)
    assert "at most 5 questions" in refused.value.message_dict["reporting_tiers"][0]
