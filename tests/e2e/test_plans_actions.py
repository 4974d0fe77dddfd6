"""A plan action's named lead, a responder at the trust, updates it in the browser: from "My actions" to the
update page, where amber without a reason is refused on the reason with everything typed kept, then saved
with a reason that the action's page shows in its changes of rating. Every page checked with axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.plans.choices import Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Action

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_responder_lead_rates_their_action_amber_with_a_reason(browse):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    lead = with_authenticator(make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder"))
    plan = PlanFactory(owner=trust, title="Riverside PCREF plan 2025–2028")
    objective = ObjectiveFactory(plan=plan, code="C2", title="Staff knowledge and awareness")
    action = ActionFactory(
        objective=objective, code="C2.1", title="Train ward staff in culturally appropriate care", lead=lead
    )
    page = browse.page

    sign_in(browse, lead)
    page.get_by_role("link", name="My actions").first.click()
    browse.check()
    page.get_by_role("link", name="C2.1 Train ward staff in culturally appropriate care").click()
    browse.check()
    page.get_by_role("button", name="Update this action").click()
    browse.check()

    page.get_by_label("In progress").check()
    page.get_by_label("Progress (%)").fill("35")
    page.get_by_label("Amber").check()
    page.get_by_label("Evidence", exact=True).fill("Two of six wards trained.")
    page.get_by_role("button", name="Save the update").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Say why the action is rated Amber.")
    expect(page.locator("#id_rag_reason_error")).to_contain_text("Say why the action is rated Amber.")
    expect(page.get_by_label("Progress (%)")).to_have_value("35")
    expect(page.get_by_label("Amber")).to_be_checked()
    expect(page.get_by_label("Evidence", exact=True)).to_have_value("Two of six wards trained.")

    page.get_by_label("Reason for the rating").fill("The trainers from the community forum start in March.")
    page.get_by_role("button", name="Save the update").click()
    browse.check()
    assert page.url.endswith(reverse("plans:action_detail", args=[action.uuid]))
    expect(page.get_by_text("Your update is saved.")).to_be_visible()
    changes = page.locator("table", has_text="Rating")
    expect(changes).to_contain_text("Amber")
    expect(changes).to_contain_text("The trainers from the community forum start in March.")
    expect(changes).to_contain_text("Rosa Responder")
    action.refresh_from_db()
    assert (action.rag, action.progress) == (Rag.AMBER, 35)
    assert Action.objects.get(pk=action.pk).rag_reason == "The trainers from the community forum start in March."


def test_staff_add_an_action_with_partners_a_milestone_and_evidence(browse):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    OrganisationFactory(name="African Caribbean Community Forum")
    lead = make_persona(Role.RESPONDER, organisation=trust, full_name="Rosa Responder")
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Sam Staff"))
    plan = PlanFactory(owner=trust, title="Riverside PCREF plan 2025–2028")
    ObjectiveFactory(plan=plan, code="C6", title="Co-production")
    page = browse.page

    sign_in(browse, staff)
    browse.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Add an action to objective C6").click()
    browse.check()
    page.get_by_label("Number").fill("C6.1")
    page.get_by_label("What will be done").fill("Pay community members for their time on the co-production group")
    page.get_by_label("Lead organisation").select_option(label=trust.name)
    page.get_by_label("Named lead").select_option(label=lead.full_name)
    fill_date(page, "Due by", "2031-03-31")
    page.locator("#id_partners-0-organisation").select_option(label="African Caribbean Community Forum")
    page.locator("#id_partners-0-role").select_option(label="Consulted")
    page.get_by_role("button", name="Save the action").click()
    browse.check()
    expect(page.locator("#id_due_date_error")).to_contain_text("within the plan's period")
    expect(page.locator("#id_partners-0-role")).to_have_value("consulted")  # nothing typed is lost
    fill_date(page, "Due by", "2026-09-30")
    page.get_by_role("button", name="Save the action").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "C6.1 Pay community members for their time on the co-production group"
    )
    expect(page.get_by_text("African Caribbean Community Forum (Consulted)")).to_be_visible()

    page.get_by_role("button", name="Update this action").click()
    browse.check()
    page.get_by_role("link", name="Add a milestone").click()
    browse.check()
    page.get_by_label("Milestone").fill("Payment policy agreed by the board")
    fill_date(page, "Due by", "2026-04-30")
    page.get_by_role("button", name="Save the milestone").click()
    browse.check()
    page.get_by_role("button", name="Mark done").click()
    browse.check()
    expect(page.get_by_text("Payment policy agreed by the board: done")).to_be_visible()
    page.get_by_role("link", name="Add a link or a file").click()
    browse.check()
    page.get_by_label("Title").fill("Board paper on paying community members")
    page.get_by_label("Link").fill("https://www.example.org/board-paper")
    page.get_by_role("button", name="Add the evidence").click()
    browse.check()
    expect(page.get_by_role("link", name="Board paper on paying community members")).to_be_visible()

    browse.goto(reverse("plans:action_list"))
    expect(
        page.get_by_role("link", name="C6.1 Pay community members for their time on the co-production group")
    ).to_be_visible()
