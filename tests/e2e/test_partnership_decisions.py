"""Staff record a partnership's decision with the evidence it rests on and the action that follows; a responder
reads it in the log without the issue escalated elsewhere. Every page checked with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.network.factories_meetings import MeetingFactory, NetworkFactory
from waymark.partnership.factories import PartnershipFactory
from waymark.plans.factories import ActionFactory
from waymark.voice.factories_escalations import IssueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_record_a_decision_and_a_responder_reads_what_they_may_see(browse):
    network = NetworkFactory(name="Borough race equality network")
    partnership = PartnershipFactory(name="Borough mental health partnership", network=network)
    MeetingFactory(network=network, title="Partnership board", start=timezone.now() - datetime.timedelta(days=2))
    IssueFactory(title="No interpreter at crisis assessments")
    ActionFactory(title="Commission a crisis interpreting service", code="2.1")
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto(f"/partnership/{partnership.uuid}/decisions/")
    expect(page.get_by_text("No decisions are recorded yet.")).to_be_visible()
    page.get_by_role("button", name="Record a decision").click()
    browse.check()
    page.get_by_role("button", name="Save").click()  # nothing typed: each missing field is named
    browse.check()
    expect(page.get_by_role("link", name="Say what was decided")).to_be_visible()
    page.get_by_label("Decision", exact=True).fill("Fund a crisis interpreting service for two years")
    page.get_by_label("Who decided").fill("The partnership board, by consensus")
    page.get_by_label("Why").fill("Families told us assessments went ahead without an interpreter.")
    page.get_by_label("Meeting it was taken at").select_option(index=1)
    page.get_by_label("Issues raised by communities").select_option(label="No interpreter at crisis assessments")
    page.get_by_label("Plan actions that follow").select_option(index=0)
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fund a crisis interpreting service for two years")
    expect(page.get_by_role("link", name="No interpreter at crisis assessments")).to_be_visible()
    expect(page.get_by_role("link", name="Partnership board")).to_be_visible()
    expect(page.get_by_text("Commission a crisis interpreting service")).to_be_visible()

    sign_in(browse, with_authenticator(make_persona(Role.RESPONDER)))
    browse.goto(f"/partnership/{partnership.uuid}/decisions/")
    expect(page.get_by_text("1 action follows")).to_be_visible()  # the issue escalated elsewhere is not counted
    expect(page.get_by_text("1 issue")).to_have_count(0)
    page.get_by_role("link", name="Fund a crisis interpreting service for two years").click()
    browse.check()
    expect(page.get_by_text("Commission a crisis interpreting service")).to_be_visible()
    expect(page.get_by_text("No interpreter at crisis assessments")).to_have_count(0)
    expect(page.get_by_text("At the meeting")).to_have_count(0)
    expect(page.get_by_role("link", name="Change the decision")).to_have_count(0)
