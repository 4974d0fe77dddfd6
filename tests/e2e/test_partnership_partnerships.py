"""A member of staff runs a partnership in the browser: starts it as a network's partnership, names its
members' leads (a lead from another organisation is refused on the field, with every row kept), sets who does
what on the plan it delivers and reads the matrix. Every page checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.network.factories_meetings import NetworkFactory
from waymark.network.models import MeetingSeries
from waymark.partnership.models import Partnership, Responsibility
from waymark.plans.factories import ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_start_a_partnership_name_its_leads_and_set_who_does_what(browse):
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    council = OrganisationFactory(name="Riverside Council")
    staff = with_authenticator(make_persona(Role.STAFF, organisation=council, full_name="Sam Staff"))
    make_persona(Role.RESPONDER, organisation=trust, full_name="Amara Okafor")
    make_persona(Role.RESPONDER, organisation=council, full_name="Carla Mensah")
    forum = NetworkFactory(name="Riverside BME mental health forum", organisation=council)
    MeetingSeries.objects.create(
        network=forum, title="Forum meeting", first_date=datetime.date(2027, 1, 14), start_time=datetime.time(14)
    )
    plan = PlanFactory(title="Riverside PCREF plan", owner=trust)
    ObjectiveFactory(plan=plan, code="1", title="Leadership and governance")
    page = browse.page

    sign_in(browse, staff)
    page.get_by_role("link", name="Partnerships").first.click()
    browse.check()
    page.get_by_role("button", name="Start a partnership").click()
    browse.check()
    page.get_by_label("Name").fill("Riverside race equality partnership")
    page.get_by_label("Purpose").fill("Co-ordinate the borough's work on race equality in mental health.")
    page.get_by_label("Meets as the network").select_option(label="Riverside BME mental health forum")
    page.get_by_label("Forum meeting (Riverside BME mental health forum)").check()
    page.get_by_label("Riverside PCREF plan").check()
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Partnership started: Riverside race equality partnership.")).to_be_visible()

    first = page.get_by_role("group", name="Member 1")
    first.get_by_label("Organisation").select_option(label="Riverside Mental Health Trust")
    first.get_by_label("Named lead").select_option(label="Carla Mensah")
    fill_date(first, "Joined on", "2025-04-01")
    second = page.get_by_role("group", name="Member 2")
    second.get_by_label("Organisation").select_option(label="Riverside Council")
    second.get_by_label("Named lead").select_option(label="Carla Mensah")
    page.get_by_role("button", name="Save the members").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Member 1, named lead: Carla Mensah holds no role at Riverside Mental Health Trust"
    )
    first = page.get_by_role("group", name="Member 1")
    joined = first.get_by_role("group", name="Joined on")
    for suffix, value in (("day", "1"), ("month", "4"), ("year", "2025")):
        expect(joined.locator(f'input[name$="_{suffix}"]')).to_have_value(value)
    first.get_by_label("Named lead").select_option(label="Amara Okafor")
    page.get_by_role("button", name="Save the members").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside race equality partnership")
    expect(page.get_by_role("row", name="Riverside Mental Health Trust")).to_contain_text("Amara Okafor")
    expect(page.get_by_role("link", name="Read Riverside BME mental health forum’s terms of reference")).to_be_visible()

    page.get_by_role("link", name="Who does what on the plans’ objectives").click()
    browse.check()
    page.get_by_role("link", name="Change who does what").click()
    browse.check()
    page.get_by_label("Riverside Mental Health Trust’s part in objective 1, Leadership and governance").select_option(
        label="Leads"
    )
    page.get_by_label("Riverside Council’s part in objective 1, Leadership and governance").select_option(
        label="Kept informed"
    )
    page.get_by_role("button", name="Save who does what").click()
    browse.check()
    expect(page.get_by_text("Who does what saved.")).to_be_visible()
    expect(page.get_by_role("row", name="1 Leadership and governance")).to_contain_text("Leads")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    assert download.value.suggested_filename.startswith("who-does-what-riverside-race-equality-partnership")
    partnership = Partnership.objects.get()
    assert partnership.members.count() == 2
    assert Responsibility.objects.filter(partnership=partnership).count() == 2
