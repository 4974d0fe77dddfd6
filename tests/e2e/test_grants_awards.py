"""A grants officer decides an application: an award above what remains of the budget is refused on its field
with everything typed kept; the award in two instalments is made, the award letter is a PDF, and the first
payment is marked paid. Every page checked with axe-core."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus
from waymark.grants.factories import ApplicationFactory, GrantDecisionFactory, ProgrammeFactory
from waymark.grants.models import GrantDecision

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_awards_within_the_budget_and_the_letter_is_a_pdf(browse):
    programme = ProgrammeFactory(title="Community seed fund", budget=Decimal("6000.00"))
    GrantDecisionFactory(application__programme=programme, amount_awarded=Decimal("3500.00"))
    application = ApplicationFactory(
        programme=programme,
        status=ApplicationStatus.IN_ASSESSMENT,
        project_title="Saturday wellbeing walks",
        amount_requested=Decimal("3000.00"),
    )
    officer = with_authenticator(make_persona(Role.STAFF, full_name="Grace Officer"))
    page = browse.page

    sign_in(browse, officer)
    browse.goto(application.get_absolute_url())
    expect(page.get_by_text("£2,500.00 of the programme's budget remains to award.")).to_be_visible()
    page.get_by_role("button", name="Decide").click()
    browse.check()

    page.get_by_label("Award", exact=True).check()
    page.get_by_label("Amount awarded (£)").fill("3000")
    page.get_by_label("Reason given to the applicant").fill("Walks in the park that people already trust.")
    page.get_by_label("Conditions of the grant").fill("Send us the walk leaders' first aid certificates.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Only £2,500.00 remains of the programme's budget of £6,000.00: award £2,500.00 or less."
    )
    expect(page.get_by_label("Reason given to the applicant")).to_have_value(
        "Walks in the park that people already trust."
    )

    today = timezone.localdate().isoformat()
    page.get_by_label("Amount awarded (£)").fill("2500")
    page.get_by_label("First payment: amount (£)").fill("1500")
    fill_date(page, "First payment: due on", today)
    page.get_by_label("Second payment: amount (£)").fill("1000")
    fill_date(page, "Second payment: due on", today)
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Awarded. The applicant has been sent the award letter.")).to_be_visible()
    expect(page.get_by_text("Awarded £2,500.00; paid £0.00; £2,500.00 to pay.")).to_be_visible()

    letter_href = page.get_by_role("link", name="Award letter (PDF)").get_attribute("href")
    letter = page.request.get(browse.base_url + letter_href)
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    page.get_by_role("link", name="Mark paid").first.click()
    browse.check()
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Awarded £2,500.00; paid £1,500.00; £1,000.00 to pay.")).to_be_visible()
    decision = GrantDecision.objects.get(application=application)
    assert decision.amount_awarded == Decimal("2500.00")
