"""A member of staff keeps the directory up to date: adds and changes a service, checks records due for review,
adds a place and funding, and reads the fragility radar; every page checked with axe-core."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import Postcode
from waymark.core.roles import Role
from waymark.directory.factories import FundingSourceFactory, ServiceFactory
from waymark.directory.models import FundingSource, Location, Service

pytestmark = pytest.mark.django_db(transaction=True)


def _staff_member():
    """A member of staff of a small charity (with an authenticator), and one other organisation in the borough."""
    organisation = OrganisationFactory(name="Riverside Wellbeing Collective")
    staff = with_authenticator(make_persona(Role.STAFF, organisation=organisation, full_name="Amina Yusuf"))
    OrganisationFactory(name="Northgate Food Bank")
    return staff, organisation


def _date(day: datetime.date, style: str = "j M Y") -> str:
    return formats.date_format(day, style)


def test_staff_adds_a_service_changes_it_and_checks_records_due_for_review(browse):
    staff, organisation = _staff_member()
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    ServiceFactory(organisation=organisation, name="Canal Befriending", last_verified_on=long_ago)
    sign_in(browse, staff)
    page = browse.page

    # The manage list: every service, with when it was last checked.
    browse.goto("/directory/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage directory")
    expect(page.locator("#service-count")).to_have_text("1 service")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Canal Befriending"))
    expect(row).to_contain_text(_date(long_ago))
    expect(row).to_contain_text("Riverside Wellbeing Collective")

    # Adding a service: first whose it is (there are two organisations), then the form.
    page.get_by_role("button", name="Add a service").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    page.get_by_label("Which organisation runs the service?").select_option(label="Riverside Wellbeing Collective")
    page.get_by_role("button", name="Continue").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    expect(page.locator(".nhsuk-caption-l")).to_have_text("Riverside Wellbeing Collective")

    # Forget the name: the error summary says so, links to the box, and keeps what was typed.
    about = page.get_by_role("group", name="About the service")
    description = "Counselling in Somali and English for adults feeling low or anxious."
    about.get_by_label("What the service does").fill(description)
    about.get_by_label("Phone number").fill("020 7946 0123")
    page.get_by_role("button", name="Save", exact=True).click()
    browse.check()
    expect(page).to_have_title(re.compile(r"^Error: Add a service"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    error_link = summary.get_by_role("link", name="Enter the name of the service")
    expect(error_link).to_be_visible()
    assert error_link.get_attribute("href") == "#id_name"
    expect(summary.get_by_role("listitem")).to_have_count(1)
    expect(page.locator("#id_name_error")).to_contain_text("Enter the name of the service")
    expect(about.get_by_label("What the service does")).to_have_value(description)
    expect(about.get_by_label("Phone number")).to_have_value("020 7946 0123")
    assert not Service.objects.filter(description=description).exists()

    about.get_by_label("Name of the service").fill("Talking Together")
    page.get_by_role("button", name="Save", exact=True).click()
    browse.check()

    # The staff page of the new record.
    expect(page.get_by_role("heading", level=1)).to_have_text("Talking Together")
    expect(page.get_by_role("alert")).to_contain_text("Talking Together has been added.")
    expect(page.get_by_role("heading", name="This record is due for checking")).to_be_visible()
    expect(page.get_by_text("Nobody has checked it yet.", exact=False)).to_be_visible()
    assert page.get_by_role("heading", name="Staff only").is_visible()
    expect(page.get_by_text(description)).to_be_visible()

    # Change the phone number, then read the change in the history.
    page.get_by_role("link", name="Change this service").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the service’s details")
    page.get_by_role("group", name="About the service").get_by_label("Phone number").fill("020 7946 0456")
    page.get_by_role("button", name="Save", exact=True).click()
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("Your changes to Talking Together have been saved.")
    expect(page.get_by_text("020 7946 0456")).to_be_visible()

    page.get_by_role("link", name="See every change to this record").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of changes")
    expect(page.get_by_role("heading", name=re.compile(r"^Changed by Amina Yusuf"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Created by Amina Yusuf"))).to_be_visible()
    phone_change = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Phone", exact=True))
    expect(phone_change.first).to_contain_text("020 7946 0123")
    expect(phone_change.first).to_contain_text("020 7946 0456")

    # Mark it as checked: the warning goes and today's date is shown.
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    breadcrumbs.get_by_role("link", name="Talking Together", exact=True).click()
    browse.check()
    page.get_by_role("button", name="I have checked this record is correct").click()
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("Talking Together is marked as checked today.")
    expect(page.get_by_role("heading", name="This record is due for checking")).to_have_count(0)
    last_verified = page.locator(".nhsuk-summary-list__row").filter(has_text="Last verified")
    expect(last_verified).to_contain_text(_date(today, "j F Y"))

    # The review queue: only the service not checked for over 12 months, and checking it empties the queue.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Manage directory").click()
    browse.check()
    page.get_by_role("link", name="Records due for checking").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("1 record due for checking")
    expect(page.get_by_role("heading", name="No owner yet")).to_be_visible()
    due = page.get_by_role("row").filter(has=page.get_by_role("link", name="Canal Befriending"))
    expect(due).to_contain_text(_date(long_ago))
    expect(page.get_by_role("link", name="Talking Together")).to_have_count(0)
    due.get_by_role("button", name=re.compile(r"^Mark as checked\W+Canal Befriending$")).click()
    browse.check()
    expect(page).to_have_url(re.compile(r"/directory/manage/review/$"))
    expect(page.get_by_role("alert")).to_contain_text("Canal Befriending is marked as checked today.")
    expect(page.get_by_role("heading", level=1)).to_have_text("0 records due for checking")
    expect(page.get_by_text("Every record has been checked in the last 12 months.")).to_be_visible()

    browse.goto("/directory/manage/")
    expect(page.locator("#service-count")).to_have_text("2 services")
    for name in ("Canal Befriending", "Talking Together"):
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=name))
        expect(row).to_contain_text(_date(today))


def test_staff_adds_a_place_and_funding_and_reads_the_fragility_radar(browse):
    staff, organisation = _staff_member()
    today = timezone.localdate()
    ward = AreaFactory(name="Canal Ward")
    Postcode.objects.create(
        postcode="RV1 2AB", district="RV1", latitude=Decimal("51.5"), longitude=Decimal("-0.1"), ward=ward
    )
    ServiceFactory(organisation=organisation, name="Talking Together")
    food_bank = OrganisationFactory(name="Eastgate Food Bank")
    FundingSourceFactory(
        organisation=food_bank, funder="Lottery Community Fund", ends_on=today + datetime.timedelta(days=150)
    )
    sign_in(browse, staff)
    page = browse.page

    # A place people should not turn up at unannounced: the public sees only the postcode district.
    browse.goto("/directory/manage/")
    page.get_by_role("link", name="Locations", exact=True).click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Locations")
    expect(page.get_by_text("There are no locations yet.")).to_be_visible()
    page.get_by_role("button", name="Add a location").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a location")
    page.get_by_label("Which organisation uses this place?").select_option(label="Riverside Wellbeing Collective")
    page.get_by_label("Name of the place").fill("Women's Wellbeing Group")
    page.get_by_label("Address line 1").fill("12 Lock Street")
    page.get_by_label("Town or city").fill("London")
    page.get_by_role("textbox", name="Postcode").fill("rv1 2ab")
    page.get_by_role("radio", name="Postcode district only").check()
    page.get_by_role("button", name="Save", exact=True).click()
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("Women's Wellbeing Group has been added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Locations")
    place = page.get_by_role("row").filter(has=page.get_by_role("link", name="Women's Wellbeing Group"))
    expect(place).to_contain_text("RV1 2AB")
    expect(place).to_contain_text("Canal Ward")
    expect(place).to_contain_text("Postcode district only")
    location = Location.objects.get(name="Women's Wellbeing Group")
    assert (location.visibility, location.organisation) == ("district", organisation)

    # Funding that ends in six weeks, added from the service's staff page.
    browse.goto("/directory/manage/")
    page.get_by_role("link", name="Talking Together").click()
    browse.check()
    page.get_by_role("link", name="Funding of Riverside Wellbeing Collective").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding")
    expect(page.get_by_text("No funding has been recorded yet.")).to_be_visible()
    page.get_by_role("button", name="Add funding").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add funding")
    ends_on = today + datetime.timedelta(days=45)
    starts_on = today - datetime.timedelta(days=320)
    page.get_by_label("Funder").fill("City Council")
    page.get_by_role("radio", name="Grant", exact=True).check()
    page.get_by_label("What it pays for").select_option(label="Talking Together")
    page.get_by_label("Amount in pounds").fill("12000")
    fill_date(page, "Start date", starts_on)
    fill_date(page, "End date", ends_on)
    page.get_by_role("button", name="Save", exact=True).click()
    browse.check()
    expect(page.get_by_role("alert")).to_contain_text("The funding has been added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding")
    funding = page.get_by_role("row").filter(has_text="City Council")
    expect(funding).to_have_count(1)
    expect(funding).to_contain_text("Grant")
    expect(funding).to_contain_text("Talking Together")
    expect(funding).to_contain_text("£12,000.00")
    expect(funding).to_contain_text(f"{_date(starts_on)} – {_date(ends_on)}")
    assert FundingSource.objects.get(funder="City Council").organisation == organisation

    # The radar, narrowed to three months: the charity whose grant ends in six weeks is there for its funding;
    # the food bank (funding ending in five months) only because it lives on a single funder.
    page.get_by_role("navigation", name="Pages in Directory").get_by_role("link", name="Fragility radar").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fragility radar")
    expect(page.get_by_role("status")).to_have_text("2 organisations on the radar")
    page.get_by_role("radio", name="3 months", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    browse.check()
    expect(page).to_have_url(re.compile(r"window=3"))
    entry = page.get_by_role("row").filter(has=page.get_by_role("link", name="Riverside Wellbeing Collective"))
    expect(entry).to_contain_text(f"Funding ends {_date(ends_on)}")
    expect(entry).to_contain_text("City Council (Grant) for Talking Together, £12,000.00")
    expect(entry.get_by_role("link", name="Talking Together")).to_be_visible()
    food_bank_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Eastgate Food Bank"))
    expect(food_bank_row).to_contain_text("Single funder")
    expect(food_bank_row).not_to_contain_text("Funding ends")

    page.get_by_label("Show").select_option(label="Funding ending")
    page.get_by_role("button", name="Apply filters").click()
    browse.check()
    expect(page.get_by_role("status")).to_have_text("1 organisation on the radar")
    expect(entry).to_be_visible()
    expect(page.get_by_role("link", name="Eastgate Food Bank")).to_have_count(0)

    # Its CSV export answers with the same rows.
    href = page.get_by_role("link", name="Download the radar (CSV), with funding amounts").get_attribute("href")
    assert href is not None and "format=csv" in href and "window=3" in href and "reason=funding_ends" in href
    response = page.request.get(browse.base_url + "/directory/fragility/" + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text().lstrip("\ufeff").splitlines()
    assert lines[5] == "Not for publication: unsuppressed figures"  # the header block's status line
    lines = lines[7:]
    assert lines[0].startswith("Organisation,Reasons,Funding ending or ended")
    assert len(lines) == 2
    assert lines[1].startswith("Riverside Wellbeing Collective,")
    assert f"City Council (Grant) for Talking Together, £12000.00, ends {ends_on.isoformat()}" in lines[1]
