"""A worker's day starts on the home page: the work waiting, counted, each count a link to exactly those
records. A worker signs in, sees a safeguarding concern first, follows "to triage" and triages it; the
queue then says so. The header shows the app menus, the page's menu marked, its pages beneath. axe-core on
every page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_follows_the_count_of_feedback_to_triage_and_triages(browse):
    worker = with_authenticator(make_persona(Role.STAFF, full_name="Wren Worker"))
    FeedbackItemFactory(
        text="Nobody at the crisis line spoke Somali, and my brother was turned away.", safeguarding=True
    )
    FeedbackItemFactory(text="The leaflet about talking therapies was only in English.")
    page = browse.page

    sign_in(browse, worker)
    browse.goto("/")
    browse.check()
    queue = page.get_by_role("list", name="Work waiting for you")
    first = queue.get_by_role("listitem").first
    expect(first).to_contain_text("Urgent")
    expect(first).to_contain_text("2 new feedback items to triage (1 a safeguarding concern)")

    first.get_by_role("link").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage new feedback")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Voice")).to_have_attribute("aria-current", "true")
    pages = page.get_by_role("navigation", name="Pages in Voice")
    expect(pages.get_by_role("link", name="Feedback triage")).to_have_attribute("aria-current", "page")

    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Mark the ticked items as triaged").click()
    browse.check()

    browse.goto("/")
    browse.check()
    expect(page.get_by_role("list", name="Work waiting for you")).to_contain_text("1 new feedback item to triage")
