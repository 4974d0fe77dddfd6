"""A grants officer sets up a programme in the browser: its money and timetable (an award range out of order is
refused on its field, with everything typed kept), then its eligibility checker, questions, criteria and
reporting, each a page of rows, and reads its history. Every page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.grants.models import Programme

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_grants_officer_sets_up_a_programme_and_its_parts(browse):
    council = OrganisationFactory(name="Riverside Council", org_type=OrganisationType.LOCAL_AUTHORITY)
    officer = with_authenticator(make_persona(Role.STAFF, organisation=council, full_name="Sam Staff"))
    page = browse.page

    sign_in(browse, officer)
    browse.goto("/grants/programmes/")
    browse.check()
    page.get_by_role("button", name="Set up a programme").click()
    browse.check()
    page.get_by_label("Title").fill("Riverside seed fund 2027")
    page.get_by_label("Short code").fill("seed-2027")
    page.get_by_label("Funder").select_option(label="Riverside Council")
    page.get_by_label("Summary").fill("Small grants for community groups supporting mental health.")
    page.get_by_label("Who and what we fund").fill("Groups led by and for the communities they serve.")
    page.get_by_label("Budget (£)").fill("20000")
    page.get_by_label("Smallest award (£)").fill("500")
    page.get_by_label("Largest award (£)").fill("300")
    page.get_by_label("Unincorporated community group").check()
    fill_date(page, "Opens on", "2027-03-01")
    fill_date(page, "Closes on", "2027-04-12")
    fill_date(page, "Decisions by", "2027-05-10")
    fill_date(page, "Payment by", "2027-05-24")
    page.get_by_label("Urdu").check()
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "The largest award must be at least the smallest award, £500.00."
    )
    expect(page.get_by_label("Summary")).to_have_value("Small grants for community groups supporting mental health.")
    page.get_by_label("Largest award (£)").fill("5000")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside seed fund 2027")
    expect(page.get_by_text("Not ready yet")).to_be_visible()

    page.get_by_role("link", name="Eligibility checker").click()
    browse.check()
    first = page.get_by_role("group", name="Eligibility question 1")
    first.get_by_label("Yes or no question").fill("Is your group based in Riverside?")
    first.get_by_label("Why the other answer cannot apply").fill("This fund is for groups based in Riverside.")
    page.get_by_role("button", name="Save").click()
    browse.check()

    page.get_by_role("link", name="Questions on the application form").first.click()
    browse.check()
    first = page.get_by_role("group", name="Question 1")
    first.get_by_label("Question", exact=True).fill("What will you do with the money?")
    first.get_by_label("Word limit").fill("5000")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Question 1, word limit")
    page.get_by_role("group", name="Question 1").get_by_label("Word limit").fill("200")
    page.get_by_role("button", name="Save").click()
    browse.check()

    page.get_by_role("link", name="Assessment criteria").first.click()
    browse.check()
    page.get_by_role("group", name="Criterion 1").get_by_label("Criterion", exact=True).fill("Need")
    page.get_by_role("group", name="Criterion 1").get_by_label("Weight").fill("3")
    page.get_by_role("group", name="Criterion 2").get_by_label("Criterion", exact=True).fill("Led by the community")
    page.get_by_role("button", name="Save").click()
    browse.check()

    page.get_by_role("link", name="Reporting by grant size").first.click()
    browse.check()
    tier = page.get_by_role("group", name="Tier 1")
    tier.get_by_label("Questions, one a line").fill("What did you do?\nWho took part?")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("Not ready yet")).to_have_count(0)
    expect(page.get_by_role("row", name="Need")).to_contain_text("75%")

    page.get_by_role("link", name="History of changes").click()
    browse.check()
    programme = Programme.objects.get()
    assert programme.languages == ["ur"]
    assert programme.questions.get().word_limit == 200
    assert list(programme.criteria_set.values_list("weight", flat=True)) == [3, 1]
