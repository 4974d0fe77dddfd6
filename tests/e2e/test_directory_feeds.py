"""A member of staff registers a neighbouring directory's feed, reads it, and decides about what it brought: a
quarantined record, a possible duplicate and a change made both there and here. Every page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.directory import services as directory_services
from waymark.directory.factories import ServiceFactory
from waymark.directory.models import FeedRecord, Service
from waymark.directory.tests.feed_server import feed_server, sample_feed_records  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_register_a_feed_read_it_and_decide_about_what_it_brought(browse, feed_server):  # noqa: F811
    staff = with_authenticator(make_persona(Role.STAFF, full_name="Amina Yusuf"))
    records = sample_feed_records(3)
    broken = dict(records[2], id="broken-ages", name="Impossible Ages Group", minimum_age=70, maximum_age=12)
    ServiceFactory(name=records[1]["name"], published=True, phone="020 7946 0002")
    feed_server.serve_services([*records, broken])
    sign_in(browse, staff)
    page = browse.page

    browse.goto("/directory/manage/feeds/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbours’ feeds")
    page.get_by_role("link", name="Add a feed").click()
    browse.check()

    # Forgetting the address keeps what was typed and says what is missing.
    page.get_by_label("Name").fill("Nextborough Local Offer")
    page.get_by_label("Publisher", exact=True).fill("Nextborough Council")
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("This field is required")
    expect(page.get_by_label("Name")).to_have_value("Nextborough Local Offer")
    page.get_by_label("API address").fill(feed_server.url)
    page.get_by_role("button", name="Save").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nextborough Local Offer")

    # Reading it now: three services in, one quarantined with its reason.
    page.get_by_role("button", name="Read it now").click()
    browse.check()
    expect(page.get_by_role("status")).to_contain_text("4 read, 3 added, 1 quarantined")
    page.get_by_role("link", name="Back to the feed").click()
    browse.check()
    expect(page.get_by_role("heading", name="Quarantined")).to_be_visible()
    page.get_by_role("link", name="Impossible Ages Group").click()
    browse.check()
    expect(page.locator("main")).to_contain_text("The oldest age must be the same as or more than the youngest age")

    # The possible duplicate: the neighbour's record is the service Waymark already had.
    browse.goto("/directory/manage/feeds/")
    page.get_by_role("link", name="Nextborough Local Offer").click()
    browse.check()
    page.get_by_role("link", name=records[1]["name"]).first.click()
    browse.check()
    page.get_by_role("button", name="The same service: merge").click()
    browse.check()
    expect(page.locator("main")).to_contain_text("merged with a record Waymark had")
    assert Service.objects.filter(name=records[1]["name"]).count() == 1

    # A change made here and at the source waits; the person compares and takes the source's.
    service = FeedRecord.objects.get(source_id=records[0]["id"]).service
    directory_services.update_service(actor=staff, service=service, data={"description": "Checked by phone."})
    records[0]["description"] = "Now also on Thursdays."
    feed_server.serve_services([*records, broken])
    page.get_by_role("link", name="Nextborough Local Offer").click()
    browse.check()
    page.get_by_role("button", name="Read it now").click()
    browse.check()
    page.get_by_role("link", name="Back to the feed").click()
    browse.check()
    page.get_by_role("link", name=records[0]["name"]).first.click()
    browse.check()
    changes = page.get_by_role("table")
    expect(changes).to_contain_text("Checked by phone.")
    expect(changes).to_contain_text("Now also on Thursdays.")
    page.get_by_role("button", name="Take the source’s version").click()
    browse.check()
    expect(page.locator("main")).to_contain_text("The source’s version has replaced Waymark’s copy.")
    service.refresh_from_db()
    assert service.description == "Now also on Thursdays."
