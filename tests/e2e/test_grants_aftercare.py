"""A grants officer chases a programme's overdue report, writes down the report a group gave on the telephone,
and sees the group's grants on its organisation page. Every page checked with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.grants.factories import GrantReportFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_records_an_overdue_report_taken_by_telephone(browse):
    programme = ProgrammeFactory(title="Community seed fund 2027")
    group = OrganisationFactory(name="Tuesday women's circle")
    report = GrantReportFactory(
        decision__application__programme=programme,
        decision__application__organisation=group,
        due_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    GrantReportFactory(decision__application__programme=programme)
    reference = report.decision.application.reference
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto(programme.get_absolute_url())
    expect(page.get_by_text("2 reports due, 1 overdue")).to_be_visible()
    page.get_by_role("link", name="See the reports").click()
    browse.check()
    page.get_by_role("link", name="Overdue").click()
    browse.check()
    page.get_by_role("link", name=reference).click()
    browse.check()
    page.get_by_role("button", name="Record the report").click()
    browse.check()
    page.get_by_role("button", name="Save").click()  # nothing typed: refused, naming the story
    browse.check()
    expect(page.get_by_role("link", name="or an answer to at least one question")).to_be_visible()
    page.get_by_label("What did you do?").fill("Twelve sessions at the community centre.")
    page.get_by_label("The group's story").fill("Three women who came now run the group themselves.")
    page.get_by_label("Staff took this report down in a conversation with the group").check()
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Taken down by staff in a conversation with the group")).to_be_visible()
    expect(page.get_by_text("Three women who came now run the group themselves.")).to_be_visible()

    browse.goto(group.get_absolute_url())
    expect(page.get_by_role("heading", name="Grants")).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    other = GrantReportFactory(decision__application__programme=programme)
    browse.goto(f"/grants/reports/{other.uuid}/skip/")
    page.get_by_label("Why this report is not needed").fill("We visited and saw the work.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("We visited and saw the work.")).to_be_visible()
