"""A keyboard-only user picks an organisation with the type-ahead; axe-core checks the page with the
suggestions open, and the choice reaches the server."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_user_picks_an_organisation_with_the_type_ahead(browse):
    ours = OrganisationFactory(name="Riverside Wellbeing Collective", town="Eastham")
    OrganisationFactory(name="Riverside Food Bank", town="Northgate")
    # A borough's worth: a long list, as in the demo, is what the type-ahead is for.
    for number in range(20):
        OrganisationFactory(name=f"Community group {number:02d}")
    staff = with_authenticator(make_persona(Role.STAFF, organisation=ours, full_name="Amina Yusuf"))
    sign_in(browse, staff)
    page = browse.page

    browse.goto("/directory/manage/services/new/")
    box = page.get_by_role("combobox", name="Which organisation runs the service?")
    expect(box).to_be_visible()
    # The select is still in the form, hidden, carrying the value.
    expect(page.locator("select[name=organisation]")).to_be_hidden()

    # By keyboard alone: tab to the box, type, go down the suggestions, choose.
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "id_organisation":
            break
        page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type("river well")
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option", name="Riverside Wellbeing Collective Charity, Eastham")
    expect(option).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(1)
    browse.check()  # axe-core with the suggestions open

    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("Riverside Food Bank Charity, Northgate")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Riverside Food Bank")
    # Changed her mind: back to the first.
    page.keyboard.press("Control+A")
    page.keyboard.type("wellbeing")
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Riverside Wellbeing Collective")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Find or add the organisation first")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Riverside Wellbeing Collective")
    browse.check()


def test_a_short_list_stays_a_plain_select(browse):
    ours = OrganisationFactory(name="Riverside Wellbeing Collective")
    OrganisationFactory(name="Northgate Food Bank")
    staff = with_authenticator(make_persona(Role.STAFF, organisation=ours))
    sign_in(browse, staff)
    browse.goto("/directory/manage/services/new/")
    page = browse.page
    choice = page.get_by_label("Which organisation runs the service?")
    expect(choice).to_have_attribute("data-picker", "/organisations/lookup/?key=uuid")
    choice.select_option(label="Northgate Food Bank")
    expect(page.locator(".waymark-picker")).to_have_count(0)
