"""Staff link an issue communities raised to the plan action that answers it and raise a network meeting action
into a plan action; the public then read the action's status on the issue's "You said, we did" page, without
the lead's name. Every page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import UserFactory, make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.network.factories_meetings import ActionFactory as MeetingActionFactory
from waymark.plans.choices import ActionStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Action
from waymark.plans.services.actions import update_action
from waymark.voice.factories_escalations import ResponseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_link_an_issue_and_the_public_read_the_action_on_its_page(browse):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    plan = PlanFactory(title="Riverside PCREF plan", owner=trust)
    objective = ObjectiveFactory(plan=plan, code="F", title="Patient and carer feedback")
    lead = UserFactory(first_name="Adaeze", last_name="Private")
    action = ActionFactory(objective=objective, code="F.2", title="Book interpreters with every appointment", lead=lead)
    issue = ResponseFactory(published=True, escalation__issue__title="No interpreter at follow-up appointments")
    issue = issue.escalation.issue
    meeting_action = MeetingActionFactory(description="Ask the trust to report interpreter bookings by ward")
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto(action.get_absolute_url())
    page.get_by_role("link", name="Link an issue").click()
    browse.check()
    page.get_by_label("Issue raised by communities").select_option(label=issue.title)
    page.get_by_label("How the action answers it").fill("Interpreter requests now follow the person to every visit.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("link", name="No interpreter at follow-up appointments")).to_be_visible()
    expect(page.get_by_role("link", name="its public “You said, we did” page")).to_be_visible()

    browse.goto(meeting_action.get_absolute_url())
    page.get_by_role("link", name="Raise into a plan action").click()
    browse.check()
    expect(page.get_by_label("Action", exact=True)).to_have_value(
        "Ask the trust to report interpreter bookings by ward"
    )
    page.get_by_label("Plan and objective").select_option(label="Riverside PCREF plan: F Patient and carer feedback")
    page.get_by_label("Number").fill("F.3")
    page.get_by_label("Lead organisation").select_option(label="Riverside Mental Health Trust")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "F.3 Ask the trust to report interpreter bookings by ward"
    )
    assert Action.objects.get(code="F.3").raised_from == meeting_action

    update_action(
        actor=lead,
        action=action,
        data={"status": ActionStatus.IN_PROGRESS, "progress": 60, "rag": Rag.GREEN, "rag_reason": "On track."},
    )
    page.context.clear_cookies()
    browse.goto(f"/voice/you-said-we-did/issues/{issue.uuid}/")
    expect(page.get_by_role("heading", name="What the action plans say")).to_be_visible()
    card = page.locator(".nhsuk-card", has_text="F.2 Book interpreters with every appointment")
    expect(card).to_contain_text("In progress")
    expect(card).to_contain_text("Green")
    expect(card).to_contain_text("60%")
    expect(card).to_contain_text("Interpreter requests now follow the person to every visit.")
    assert "Adaeze" not in page.content()
