"""Closing the loop: staff write a closed consultation's report ("we asked, you said, we did"), link the issue
it produced and the plan action it feeds, and mark it reported; the action's page and the issue's page then
name the consultation. Every page checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.voice.factories_escalations import IssueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_report_a_consultation_and_the_action_and_issue_name_it(browse):
    today = datetime.date.today()
    consultation = ConsultationFactory(
        title="Crisis care: what Somali families need",
        lead_organisation=OrganisationFactory(name="Riverside Mental Health Trust"),
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=30),
        status=ConsultationStatus.CLOSED,
        communities=[CommunityFactory(name="Somali")],
        themes=[ThemeFactory(name="Crisis care", slug="e2e-crisis")],
    )
    issue = IssueFactory(title="Families wait too long for a crisis visit")
    action = ActionFactory(
        objective=ObjectiveFactory(plan=PlanFactory(title="Riverside PCREF plan"), code="C"),
        code="C.1",
        title="Run a crisis line with Somali speakers",
    )
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto(consultation.get_absolute_url())
    expect(page.get_by_text("Nobody has written up what was heard yet.")).to_be_visible()
    page.get_by_role("link", name="Write the report and link what it produced").click()
    browse.check()
    page.get_by_label("What we heard and what will be done").fill(
        "Families told us a crisis visit comes too late at night. The trust will run a crisis line."
    )
    page.get_by_label("Link to the full report").fill("https://example.org/crisis-report")
    page.get_by_label(issue.title).check()
    page.get_by_label("C.1 Run a crisis line with Somali speakers (Riverside PCREF plan)").check()
    page.get_by_label("Mark the consultation reported").check()
    page.get_by_role("button", name="Save the report").click()
    browse.check()
    expect(page.get_by_text("The report is saved and the consultation is reported.")).to_be_visible()
    browse.goto(consultation.get_absolute_url() + "#report")  # its own screenshot
    expect(page.get_by_text("Families told us a crisis visit comes too late at night.")).to_be_visible()
    expect(page.get_by_role("link", name="Read the full report")).to_have_attribute(
        "href", "https://example.org/crisis-report"
    )
    expect(page.get_by_role("link", name="Families wait too long for a crisis visit")).to_be_visible()

    page.get_by_role("link", name="C.1 Run a crisis line with Somali speakers").click()
    browse.check()
    expect(page.get_by_role("heading", name="Consultations that feed this action")).to_be_visible()
    expect(page.get_by_role("link", name="Crisis care: what Somali families need")).to_be_visible()

    browse.goto(issue.get_absolute_url())
    expect(page.get_by_role("heading", name="Raised in a consultation")).to_be_visible()
    page.get_by_role("link", name="Crisis care: what Somali families need").click()
    browse.check()
    page.get_by_role("link", name="History of changes").click()
    browse.check()
    expect(page.get_by_text("Plan actions it feeds").first).to_be_visible()
    assert list(consultation.feeds_actions.all()) == [action]
    assert list(consultation.produced_issues.all()) == [issue]
