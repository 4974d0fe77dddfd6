"""A responder at the council plans a consultation that would ask the Somali community about talking therapies
in the weeks the trust asks it about crisis care: as the form is filled in, the warning names the trust's lead
and how to reach her; saved anyway, the clash shows on the calendar's list and month. Every page checked with
axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.models import Consultation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_responder_plans_a_consultation_and_is_warned_of_a_clash(browse):
    health = ThemeFactory(name="Mental health", slug="e2e-mental-health")
    crisis = ThemeFactory(name="Crisis care", slug="e2e-crisis", parent=health)
    ThemeFactory(name="Talking therapies", slug="e2e-talking", parent=health)
    somali = CommunityFactory(name="Somali")
    CommunityFactory(name="Bangladeshi")
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    council = OrganisationFactory(name="Riverside Council")
    ConsultationFactory(
        title="Crisis care: what would help",
        lead_organisation=trust,
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 3, 21),
        contact_name="Amina Yusuf",
        contact_email="amina.yusuf@example.org",
        contact_phone="020 7946 0123",
        communities=[somali],
        themes=[crisis],
    )
    responder = with_authenticator(make_persona(Role.RESPONDER, organisation=council, full_name="Rosa Responder"))
    page = browse.page

    sign_in(browse, responder)
    page.get_by_role("link", name="Consultation calendar").first.click()
    browse.check()
    page.get_by_role("button", name="Plan a consultation").click()
    browse.check()

    page.get_by_label("Title").fill("Talking therapies: are they for us?")
    page.get_by_label("Purpose").fill("Hear why few Somali residents are referred to talking therapies.")
    page.get_by_label("Lead body").select_option(label="Riverside Council")
    page.get_by_label("Somali").check()
    page.get_by_label("Themes").select_option(label="Talking therapies")
    fill_date(page, "Starts on", "2027-03-15")
    fill_date(page, "Ends on", "2027-04-05")
    page.get_by_role("group", name="Ends on").locator('input[name$="_year"]').blur()

    # The warning arrives as the form is filled in, before anything is saved.
    warning = page.locator("#clash-check")
    expect(warning).to_contain_text("This may clash with another consultation")
    expect(warning).to_contain_text("Crisis care: what would help")
    expect(warning).to_contain_text("Riverside Mental Health Trust")
    expect(warning).to_contain_text("Amina Yusuf")
    expect(warning).to_contain_text("amina.yusuf@example.org")
    expect(page.get_by_role("button", name="Save anyway")).to_be_visible()
    browse.check()
    warning.screenshot(path=str(SCREENSHOTS / f"{browse.name}-live-warning.png"))
    assert not Consultation.objects.filter(lead_organisation=council).exists()

    page.get_by_label("Method").select_option(label="Focus group")
    page.get_by_label("Contact name").fill("Rosa Responder")
    page.get_by_role("button", name="Save anyway").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Talking therapies: are they for us?")
    expect(page.locator("#clashes")).to_contain_text("Amina Yusuf")
    assert Consultation.objects.filter(lead_organisation=council).count() == 1

    page.get_by_role("link", name="Consultation calendar").first.click()
    browse.check()
    expect(page.locator("#consultation-results")).to_contain_text("May clash")
    page.get_by_role("link", name="By community").click()
    browse.check()
    expect(page.get_by_role("heading", name="Somali")).to_be_visible()

    browse.goto("/partnership/consultations/month/2027/3/")
    grid = page.get_by_role("table", name="March 2027")
    expect(grid).to_contain_text("Talking therapies: are they for us?")
    expect(grid).to_contain_text("May clash")
    page.get_by_role("link", name="Next month").first.click()
    browse.check()
    expect(page.get_by_role("table", name="April 2027")).to_contain_text("Talking therapies: are they for us?")
