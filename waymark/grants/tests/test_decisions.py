"""Deciding: an award within the programme's range and what remains of its budget, a decline with its reason,
each told to the applicant by e-mail; payments that never pay more than was awarded."""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.directory.models import FundingSource
from waymark.grants.award_letters import award_letter_html
from waymark.grants.budgets import budget_position
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import Payment, RecipientIdentifier
from waymark.grants.services.decisions import decide_application
from waymark.grants.services.payments import Instalment, mark_paid, schedule_payments

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def officer(make_persona):
    return make_persona(Role.STAFF)


def _in_assessment(**fields):
    return ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT, **fields)


def _award(application, officer, amount="2000.00", **fields):
    return decide_application(
        application,
        outcome=DecisionOutcome.AWARD,
        amount=Decimal(amount),
        reason="A clear need, and trusted by the people it serves.",
        actor=officer,
        **fields,
    )


def test_an_award_is_committed_paid_by_the_published_date_and_told_to_the_applicant_with_a_letter(officer, client):
    application = _in_assessment(language="ur")
    decision = _award(application, officer, conditions="Tell us if the venue changes.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    assert decision.grant_identifier == f"360G-waymark-{application.reference}"
    assert budget_position(application.programme).committed == Decimal("2000.00")
    [payment] = decision.payments.all()
    assert (payment.amount, payment.due_on) == (Decimal("2000.00"), max(TODAY(), application.programme.payment_by))
    [mail] = EmailDelivery.objects.filter(to_address=application.contact_email)
    assert "Tell us if the venue changes." in mail.text_body
    letter_link = next(word for word in mail.text_body.split() if "/grants/letters/" in word)
    response = client.get(urlsplit(letter_link).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_award_to_an_unregistered_group_mints_its_identifier_and_sets_its_report_and_funding_going(officer):
    group = OrganisationFactory(org_type=OrganisationType.COMMUNITY_GROUP, charity_number="", company_number="")
    application = _in_assessment(organisation=group)

    decision = _award(application, officer)

    assert RecipientIdentifier.objects.get(organisation=group).identifier.startswith("360G-waymark-ORG-")
    [report] = decision.reports.all()
    assert report.due_on > decision.award_date
    funding = FundingSource.objects.get(organisation=group)
    assert (funding.amount, funding.programme) == (Decimal("2000.00"), application.programme.title)


def test_a_decline_sets_nothing_going(officer):
    group = OrganisationFactory()
    decision = decide_application(
        _in_assessment(organisation=group),
        outcome=DecisionOutcome.DECLINE,
        reason="Other applications met the need more closely.",
        actor=officer,
    )
    assert not decision.reports.exists()
    assert not FundingSource.objects.filter(organisation=group).exists()
    assert not RecipientIdentifier.objects.filter(organisation=group).exists()


def test_the_award_letter_is_in_the_applications_language(officer):
    decision = _award(_in_assessment(language="ur"), officer)
    html = award_letter_html(decision)
    assert 'lang="ur" dir="rtl"' in html
    assert decision.grant_identifier in html


def test_an_award_above_what_remains_of_the_budget_is_refused_naming_what_remains(officer):
    programme = ProgrammeFactory()
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("4500.00"))
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("4500.00"))
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("4500.00"))
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("4500.00"))  # £18,000 committed
    application = _in_assessment(programme=programme)

    with pytest.raises(ValidationError) as refused:
        _award(application, officer, amount="2500.00")
    assert refused.value.message_dict == {
        "amount": ["Only £2,000.00 remains of the programme's budget of £20,000.00: award £2,000.00 or less."]
    }
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_ASSESSMENT
    assert not EmailDelivery.objects.filter(to_address=application.contact_email).exists()
    _award(application, officer, amount="2000.00")
    assert budget_position(programme).remaining == Decimal("0.00")


@pytest.mark.parametrize("amount", ["499.99", "5000.01"])
def test_an_award_outside_the_programmes_range_is_refused_naming_the_range(officer, amount):
    with pytest.raises(ValidationError) as refused:
        _award(_in_assessment(), officer, amount=amount)
    assert refused.value.message_dict == {"amount": ["Awards from this programme are from £500.00 to £5,000.00."]}


def test_a_decline_needs_a_reason_and_sends_it_as_feedback(officer):
    application = _in_assessment()
    with pytest.raises(ValidationError) as refused:
        decide_application(application, outcome=DecisionOutcome.DECLINE, reason="  ", actor=officer)
    assert set(refused.value.message_dict) == {"reason"}

    decision = decide_application(
        application,
        outcome=DecisionOutcome.DECLINE,
        reason="The project is outside the borough; the county fund would suit it.",
        actor=officer,
    )
    assert decision.amount_awarded is None and not decision.payments.exists()
    [mail] = EmailDelivery.objects.filter(to_address=application.contact_email)
    assert "the county fund would suit it" in mail.text_body
    assert "our decision" in mail.subject


def test_only_an_application_in_assessment_is_decided_and_only_once(officer):
    submitted = ApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        _award(submitted, officer)
    assert "this one is submitted" in refused.value.message_dict["outcome"][0]

    application = _in_assessment()
    _award(application, officer)
    with pytest.raises(ValidationError) as twice:
        _award(application, officer)
    assert twice.value.message_dict == {"outcome": ["This application has been decided already."]}


def test_dates_out_of_order_and_future_decisions_are_refused(officer):
    with pytest.raises(ValidationError) as refused:
        _award(
            _in_assessment(),
            officer,
            starts_on=TODAY() + datetime.timedelta(days=30),
            ends_on=TODAY(),
            award_date=TODAY() + datetime.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"ends_on", "award_date"}


def test_someone_who_may_not_decide_is_refused(make_persona):
    with pytest.raises(PermissionDenied):
        _award(_in_assessment(), make_persona(Role.ANALYST))


def test_instalments_must_add_up_to_the_award(officer):
    soon = TODAY() + datetime.timedelta(days=7)
    later = TODAY() + datetime.timedelta(days=180)
    application = _in_assessment()
    with pytest.raises(ValidationError) as refused:
        _award(application, officer, instalments=[Instalment(Decimal("1000.00"), soon)])
    assert refused.value.message_dict["instalments"][0].startswith("The payments must add up to the £2,000.00 awarded")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_ASSESSMENT  # nothing was kept

    decision = _award(
        application, officer, instalments=[Instalment(Decimal("1200.00"), soon), Instalment(Decimal("800.00"), later)]
    )
    assert list(decision.payments.values_list("amount", "due_on")) == [
        (Decimal("1200.00"), soon),
        (Decimal("800.00"), later),
    ]


def test_never_more_is_paid_than_awarded_and_a_payment_is_paid_once(officer):
    decision = _award(
        _in_assessment(),
        officer,
        instalments=[Instalment(Decimal("1500.00"), TODAY()), Instalment(Decimal("500.00"), TODAY())],
    )
    first, second = decision.payments.order_by("-amount")
    mark_paid(first, paid_on=TODAY(), actor=officer)
    with pytest.raises(ValidationError) as twice:
        mark_paid(first, paid_on=TODAY(), actor=officer)
    assert set(twice.value.message_dict) == {"paid_on"}
    with pytest.raises(ValidationError) as future:
        mark_paid(second, paid_on=TODAY() + datetime.timedelta(days=1), actor=officer)
    assert future.value.message_dict == {"paid_on": ["The date paid must be today or earlier."]}

    # A payment beyond the award (made outside the services) is refused when marked paid.
    extra = Payment.objects.create(decision=decision, amount=Decimal("600.00"), due_on=TODAY())
    mark_paid(second, paid_on=TODAY(), actor=officer)
    with pytest.raises(ValidationError) as over:
        mark_paid(extra, paid_on=TODAY(), actor=officer)
    assert over.value.message_dict == {"amount": ["Only £0.00 of the £2,000.00 awarded is left to pay."]}
    assert budget_position(decision.application.programme).paid == Decimal("2000.00")


def test_a_new_schedule_keeps_what_is_paid_and_adds_up_to_the_award(officer):
    decision = _award(
        _in_assessment(),
        officer,
        instalments=[Instalment(Decimal("1000.00"), TODAY()), Instalment(Decimal("1000.00"), TODAY())],
    )
    paid = decision.payments.first()
    mark_paid(paid, paid_on=TODAY(), actor=officer)
    later = TODAY() + datetime.timedelta(days=90)
    with pytest.raises(ValidationError):
        schedule_payments(decision, [Instalment(Decimal("2000.00"), later)], actor=officer)
    schedule_payments(
        decision, [Instalment(Decimal("400.00"), later), Instalment(Decimal("600.00"), later)], actor=officer
    )
    assert sorted(decision.payments.values_list("amount", "paid_on")) == [
        (Decimal("400.00"), None),
        (Decimal("600.00"), None),
        (Decimal("1000.00"), TODAY()),
    ]
