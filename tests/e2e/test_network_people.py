"""Network staff write and send a bulletin (its e-mails rendered and sent by a background job); a
recipient follows its unsubscribe link, confirms, and manages their subscriptions without an account.
Every page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import links_issued_days_ago
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.network import mailing
from waymark.network.factories_meetings import ContactFactory, MembershipFactory, NetworkFactory
from waymark.network.factories_people import DistributionListFactory
from waymark.network.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_send_a_bulletin_and_a_recipient_unsubscribes_in_one_click(browse, live_server, settings):
    settings.SITE_URL = live_server.url  # the links in the e-mail lead to this server
    network = NetworkFactory(name="Riverside Mental Health Network", slug="riverside")
    MembershipFactory(network=network, contact=ContactFactory(name="Asha Patel", email="asha@example.org"))
    MembershipFactory(
        network=network, contact=ContactFactory(name="Dev Shah", consent_to_contact=False, lawful_basis="")
    )
    DistributionListFactory(network=network, name="All members")
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/network/")
    page.get_by_role("link", name="Riverside Mental Health Network").click()
    browse.check()
    page.get_by_role("link", name="Bulletins").click()
    browse.check()
    page.get_by_role("button", name="Write a bulletin").click()
    browse.check()
    page.get_by_label("Subject").fill("Winter news")
    page.get_by_label("Send to").select_option(label="All members")
    page.get_by_label("Bulletin").fill("## Warm spaces\n\nOpen **every weekday** this winter.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_text("it would go to 1 person and skip 1")).to_be_visible()
    # Sending asks first: the e-mail as it will read, a test to oneself, and how many it goes to.
    page.get_by_role("button", name="Preview and send").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send “Winter news” to 1 person?")
    page.get_by_role("button", name="Send a test to me").click()
    browse.check()
    expect(page.get_by_text("A test was sent to")).to_be_visible()
    page.get_by_role("button", name="Yes, send it to 1 person").click()
    browse.check()
    # The e-mails are rendered and sent by a background job (run at once here); the page reports its outcome.
    expect(page.get_by_text("Sent to 1 person. Skipped 1: 1 no consent to be contacted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Who it went to")).to_be_visible()
    expect(page.get_by_text("Sent to 1 person; 1 skipped: 1 no consent to be contacted.")).to_be_visible()
    expect(page.get_by_role("row", name="Asha Patel")).to_contain_text("Sent")
    expect(page.get_by_role("row", name="Dev Shah")).to_contain_text("Skipped: no consent to be contacted")
    for path in (
        "/network/networks/riverside/",
        "/network/networks/riverside/members/",
        "/network/networks/riverside/terms-of-reference/new/",
        f"/network/lists/{network.distribution_lists.get().uuid}/",
        "/network/contacts/",
        "/network/contacts/new/",
        "/network/contacts/import/",
    ):
        browse.goto(path)
    browse.goto("/network/contacts/?q=asha")
    page.get_by_role("link", name="Asha Patel").click()
    browse.check()

    # The recipient, not signed in, follows the List-Unsubscribe address from their e-mail.
    delivery = EmailDelivery.objects.get(to_address="asha@example.org")
    path = re.sub(r"^<https?://[^/]+|>$", "", delivery.headers["List-Unsubscribe"])
    page.context.clear_cookies()
    browse.goto(path)
    expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    page.get_by_role("button", name="Unsubscribe").click()
    browse.check()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()

    page.get_by_role("link", name="Choose which lists you get").click()
    browse.check()
    page.get_by_label("Stop all e-mail from these networks").check()
    page.get_by_role("button", name="Save my choices").click()
    browse.check()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    assert Contact.objects.get(email="asha@example.org").unsubscribed


def test_someone_with_an_expired_manage_link_asks_for_a_new_one(browse, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.SIGNED_LINK_MAX_AGE_DAYS = {**settings.SIGNED_LINK_MAX_AGE_DAYS, "manage-subscriptions": 90}
    network = NetworkFactory(name="Riverside Mental Health Network", slug="riverside")
    contact = ContactFactory(name="Asha Patel", email="asha@example.org")
    MembershipFactory(network=network, contact=contact)
    with links_issued_days_ago(91):
        old_link = mailing.manage_link(contact)
    page = browse.page

    browse.goto(old_link.removeprefix(live_server.url))
    expect(page.get_by_role("heading", name="This link to manage your e-mails has expired")).to_be_visible()
    page.get_by_label("Your e-mail address").fill("asha@example.org")
    page.get_by_role("button", name="Send me a new link").click()
    browse.check()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert EmailDelivery.objects.filter(template="network_manage_link", to_address="asha@example.org").exists()
