"""A visitor finds a service, reads how to get in, and takes away a shortlist as a PDF; every page checked with
axe-core."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import Language, Postcode
from waymark.directory.choices import LocationVisibility
from waymark.directory.factories import (
    ContactFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from waymark.directory.services import rebuild_search_index

pytestmark = pytest.mark.django_db(transaction=True)


def _directory() -> None:
    ward = AreaFactory(name="Canal Ward")
    Postcode.objects.create(
        postcode="RV1 2AB", district="RV1", latitude=Decimal("51.5"), longitude=Decimal("-0.1"), ward=ward
    )
    counselling = TaxonomyTermFactory(name="Counselling and talking therapies", code="counselling")
    somali = Language.objects.get(code="som")
    organisation = OrganisationFactory(name="Riverside Wellbeing Collective", website="https://riverside.example.org")
    service = ServiceFactory(
        organisation=organisation,
        name="Talking Together",
        description="Counselling in Somali and English for adults feeling low or anxious.",
        categories=[counselling],
        languages=[somali, Language.objects.get(code="eng")],
        self_referral=True,
        gp_referral=True,
        application_process="Phone the intake line; we call back within two working days.",
        minimum_age=18,
    )
    ContactFactory(service=service, title="Intake line", phone="020 7946 0123")
    ScheduleFactory(service=service, weekday="TU", opens_at=datetime.time(10), closes_at=datetime.time(16))
    LocationFactory(
        organisation=organisation,
        name="Canal Community Centre",
        address_1="4 Lock Street",
        postcode="RV1 2AB",
        latitude=Decimal("51.5"),
        longitude=Decimal("-0.1"),
        ward=ward,
        step_free_access=True,
        services=[service],
    )
    ServiceFactory(name="Listening Line", description="Counselling by phone.", categories=[counselling])
    other = ServiceFactory(name="Women's Space", description="A safe group.", categories=[counselling])
    LocationFactory(postcode="RV1 2AB", visibility=LocationVisibility.HIDDEN, services=[other])
    rebuild_search_index()


def test_a_visitor_searches_opens_a_service_and_saves_a_shortlist_as_pdf(browse, tmp_path):
    _directory()
    page = browse.page

    browse.goto("/directory/")
    page.get_by_label("What are you looking for?").fill("counselling")
    page.get_by_label("Language spoken").select_option(label="Somali")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#search-count")).to_have_text("1 service")
    expect(page).to_have_url(re.compile(r"/directory/\?q=counselling&.*language=som"))
    browse.check()
    assert page.get_by_role("link", name="Listening Line").count() == 0

    page.get_by_role("link", name="Talking Together").click()
    browse.check()
    assert page.get_by_role("heading", name="How to get in").is_visible()
    assert page.get_by_text("You can refer yourself.").is_visible()
    assert page.get_by_role("link", name="020 7946 0123").get_attribute("href") == "tel:02079460123"

    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_role("button", name="Remove from shortlist")).to_be_visible()
    expect(page.locator("#shortlist-summary")).to_have_text("Your shortlist: 1 service")
    browse.check()

    page.get_by_role("link", name="Print this page").click()
    browse.check()
    assert page.get_by_role("button", name="Print").is_visible()
    page.emulate_media(media="print")  # on paper: no menus, no buttons, and web addresses written out
    assert not page.get_by_role("button", name="Print").is_visible()
    assert not page.get_by_role("link", name="Back to the service page").is_visible()
    assert page.get_by_role("link", name="https://riverside.example.org").is_visible()
    page.emulate_media(media="screen")
    page.go_back()

    page.get_by_role("link", name="Your shortlist: 1 service").click()
    browse.check()
    assert page.get_by_role("heading", name="Talking Together").is_visible()
    page.get_by_label("Notes for the person").fill("Ring the intake line on Tuesday.")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save as PDF").click()
    download = download_info.value
    pdf = tmp_path / "shortlist.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")

    browse.goto("/directory/map/")
    drawing = page.get_by_role("group", name="Map of the wards and the places where services are")
    assert drawing.is_visible()
    # Each marker is a link a keyboard reaches, named for its place, leading to the place's row under the map.
    marker = drawing.get_by_role("link", name=re.compile(r"^1\. Canal Community Centre, 4 Lock Street"))
    marker.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/directory/map/#place-1$"))
    browse.check()
    assert page.get_by_role(
        "cell", name=re.compile("Canal Community Centre, 4 Lock Street, London, RV1 2AB")
    ).is_visible()
    assert page.get_by_role("link", name="Women's Space").is_visible()  # listed as "contact to arrange"


def test_on_a_phone_the_filters_fold_away_and_results_come_first(browse):
    _directory()
    page = browse.page
    page.set_viewport_size({"width": 375, "height": 740})

    browse.goto("/directory/?q=together")
    assert not page.get_by_label("Language spoken").is_visible()
    assert page.get_by_role("link", name="Talking Together").is_visible()
    page.get_by_text("Filters", exact=True).click()
    assert page.get_by_label("Language spoken").is_visible()
    browse.check()


def test_a_visitor_who_makes_too_many_pdfs_is_told_when_to_try_again(browse, settings):
    from waymark.directory.models import Service

    settings.DIRECTORY_PDF_RATE = "1/h"
    _directory()
    page = browse.page

    browse.goto(Service.objects.get(name="Talking Together").get_absolute_url())
    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_role("button", name="Remove from shortlist")).to_be_visible()
    browse.goto("/directory/shortlist/")
    with page.expect_download():
        page.get_by_role("button", name="Save as PDF").click()

    page.get_by_role("button", name="Save as PDF").click()
    expect(page.get_by_role("heading", name="Too many PDFs in a short time")).to_be_visible()
    browse.check()
    expect(page.get_by_text(re.compile(r"Try again in \d+ minutes?\."))).to_be_visible()
    page.get_by_role("link", name="Back to your shortlist").click()
    browse.check()
    assert page.get_by_role("heading", name="Talking Together").is_visible()
