"""The public reads "you said, we did" in their browser; staff make an intelligence report and filter it.
Every page checked with axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Community, Language, Theme
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory, ItemDemographicsFactory
from waymark.voice.factories_escalations import IssueFactory, ResponseFactory

pytestmark = pytest.mark.django_db(transaction=True)

RAW_WORDS = "میری بہن کو اردو بولنے والی خاتون مشیر نہیں ملی۔"  # "my sister …": the words as sent
EDITED_WORDS = "اردو بولنے والی خاتون مشیر نہیں ملی۔"  # as staff edited them for quoting


def _voice() -> None:
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    interpreting = Theme.objects.get(slug="interpreting")
    pakistani = Community.objects.get(name="Pakistani and Kashmiri")
    quotable = FeedbackItemFactory(
        text=RAW_WORDS,
        public_quote=EDITED_WORDS,
        original_language=Language.objects.get(code="urd"),
        consent_to_publish=True,
        received_on=timezone.localdate(),
    )
    private = FeedbackItemFactory(text="Private words about my neighbour.", received_on=timezone.localdate())
    ItemDemographicsFactory(item=private, age_band="75_plus")
    for item in (quotable, private):
        item.themes.add(interpreting)
        item.communities.add(pakistani)
    for _ in range(30):
        FeedbackItemFactory(received_on=timezone.localdate()).themes.add(interpreting)
    issue = IssueFactory(title="Women cannot get a female counsellor who speaks Urdu")
    issue.themes.add(interpreting)
    issue.items.add(quotable, private)
    ResponseFactory(
        escalation__issue=issue,
        escalation__responder=trust,
        published=True,
        what_changed="A community counselling partner now offers female Urdu-speaking counsellors.",
    )


def test_the_public_reads_what_changed(browse):
    _voice()
    page = browse.page
    browse.goto("/voice/you-said-we-did/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    page.get_by_role("link", name="Women cannot get a female counsellor who speaks Urdu").click()
    browse.check()
    expect(
        page.get_by_text("A community counselling partner now offers female Urdu-speaking counsellors.")
    ).to_be_visible()
    quote = page.locator("blockquote")
    expect(quote).to_have_text(EDITED_WORDS)
    expect(quote).to_have_attribute("lang", "ur")
    assert RAW_WORDS not in page.content()
    expect(page.get_by_text("Private words about my neighbour.")).to_have_count(0)
    expect(page.get_by_text("75 or over")).to_have_count(0)
    page.get_by_role("link", name="Riverside Mental Health Trust").first.click()
    browse.check()
    expect(
        page.get_by_role("table", name="Escalations sent to this organisation and when they were answered")
    ).to_be_visible()
    browse.goto("/voice/you-said-we-did/timeliness/")


def test_staff_make_an_intelligence_report(browse):
    _voice()
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/voice/reports/")
    expect(page.get_by_role("img", name="Themes raised most, over time: All communities")).to_be_visible()
    expect(page.get_by_role("table", name="Pieces of feedback by theme and period: All communities")).to_be_visible()
    page.get_by_label("Community (optional)").select_option(label="Pakistani and Kashmiri")
    page.get_by_role("button", name="Show report").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pakistani and Kashmiri")
    fill_date(page, "To", "2000-01-01", exact=True)
    page.get_by_role("button", name="Show report").click()
    browse.check()
    expect(page.get_by_text("The end date must be on or after the start date.").first).to_be_visible()
    expect(page.get_by_role("group", name="To", exact=True).locator('input[name$="_year"]')).to_have_value("2000")
