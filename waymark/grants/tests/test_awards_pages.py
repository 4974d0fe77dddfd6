"""The decision, payment and award-letter pages as a grants officer uses them: a refusal keeps every word typed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, PaymentFactory, ProgrammeFactory
from waymark.grants.models import GrantDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.STAFF))
    return client


def test_an_officer_awards_in_two_instalments_from_the_application_page(officer_client):
    application = ApplicationFactory(status=ApplicationStatus.IN_ASSESSMENT)
    page = officer_client.get(application.get_absolute_url())
    decide_url = reverse("grants:application_decide", kwargs={"uuid": application.uuid})
    assert decide_url in page.content.decode()
    assert "£20,000.00 of the programme's budget remains" in page.content.decode()

    today = timezone.localdate()
    response = officer_client.post(
        decide_url,
        {
            "outcome": DecisionOutcome.AWARD,
            "amount": "3000",
            "reason": "Strong support from the people it serves.",
            "conditions": "Send us the venue's booking.",
            "payment_1_amount": "2000",
            "payment_1_due_on": today.isoformat(),
            "payment_2_amount": "1000",
            "payment_2_due_on": (today + datetime.timedelta(days=180)).isoformat(),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    text = response.content.decode()
    assert "Awarded. The applicant has been sent the award letter." in text
    assert "Send us the venue&#x27;s booking." in text
    assert "Awarded £3,000.00; paid £0.00; £3,000.00 to pay." in text
    letter = officer_client.get(reverse("grants:award_letter", kwargs={"uuid": application.uuid}))
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")


def test_an_award_above_the_remaining_budget_is_refused_on_the_form_keeping_what_was_typed(officer_client):
    programme = ProgrammeFactory(budget=Decimal("2500.00"))
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("2000.00"))
    application = ApplicationFactory(programme=programme, status=ApplicationStatus.IN_ASSESSMENT)
    reason = "A group the neighbourhood relies on; the first of its kind here."
    response = officer_client.post(
        reverse("grants:application_decide", kwargs={"uuid": application.uuid}),
        {"outcome": DecisionOutcome.AWARD, "amount": "1000.00", "reason": reason},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Only £500.00 remains of the programme&#x27;s budget of £2,500.00: award £500.00 or less." in text
    assert "A group the neighbourhood relies on; the first of its kind here." in text
    assert 'value="1000.00"' in text
    assert not GrantDecision.objects.filter(application=application).exists()


def test_an_officer_marks_a_payment_paid_and_cannot_mark_it_twice(officer_client):
    payment = PaymentFactory()
    url = reverse("grants:payment_paid", kwargs={"uuid": payment.uuid})
    today = timezone.localdate().isoformat()
    response = officer_client.post(url, {"paid_on": today})
    assert response.status_code == 302
    again = officer_client.post(url, {"paid_on": today})
    assert again.status_code == 400
    assert "This payment was marked paid on" in again.content.decode()


def test_a_changed_schedule_that_does_not_add_up_is_refused_naming_the_award(officer_client):
    decision = GrantDecisionFactory()
    PaymentFactory(decision=decision, amount=Decimal("2000.00"))
    url = reverse("grants:payment_schedule", kwargs={"uuid": decision.application.uuid})
    assert 'value="2000.00"' in officer_client.get(url).content.decode()
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = officer_client.post(url, {"payment_1_amount": "1500", "payment_1_due_on": later})
    assert response.status_code == 400
    assert "The payments must add up to the £2,000.00 awarded" in response.content.decode()


def test_a_spoiled_letter_link_says_what_to_do(client):
    response = client.get(reverse("grants:award_letter_public", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404
    assert "This link to your award letter cannot be used" in response.content.decode()
