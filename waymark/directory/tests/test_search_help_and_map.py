"""Help for people searching the directory: an example postcode that is in the loaded data, a search that finds
nothing saying which words or filters to leave out, and a map whose markers are labelled links, grouped when close
together, with the searched postcode marked."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waymark.core.factories import AreaFactory
from waymark.core.models import Language, Postcode
from waymark.directory.choices import LocationVisibility
from waymark.directory.factories import LocationFactory, ServiceFactory
from waymark.directory.forms import LocationForm
from waymark.directory.services import rebuild_search_index

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("directory:search")
MAP_URL = reverse("directory:map")


def _postcode(code: str, latitude: str, longitude: str, ward=None) -> Postcode:
    return Postcode.objects.create(
        postcode=code,
        district=code.split(" ")[0],
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        ward=ward,
    )


def _page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _place(service, postcode: str, latitude: str, longitude: str, **kwargs):
    return LocationFactory(
        postcode=postcode,
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        services=[service],
        **kwargs,
    )


# --- The example postcode -------------------------------------------------------------------------------------


def test_the_postcode_hint_and_errors_name_a_loaded_postcode_never_a_private_place():
    ward = AreaFactory(name="Canal Ward")
    _postcode("RV1 1AA", "51.5010", "-0.1010", ward)  # a refuge's postcode: never the example
    _postcode("RV1 2AB", "51.5020", "-0.1020", ward)
    _postcode("AA1 1AA", "51.6000", "-0.2000")  # loaded, but in no ward of the borough
    LocationFactory(postcode="RV1 1AA", visibility=LocationVisibility.HIDDEN)
    client = Client()

    html = _page(client, SEARCH_URL)
    assert "Shows the nearest first. For example, RV1 2AB" in html
    assert "SW1A" not in html and "RV1 1AA" not in html

    html = _page(client, SEARCH_URL, postcode="nowhere!")
    assert "Enter a postcode, like RV1 2AB, or the first half of one, like RV1." in html
    assert "SW1A" not in html
    assert "Enter a postcode, like RV1 2AB" in _page(client, MAP_URL, postcode="x" * 11)


def test_with_no_postcodes_loaded_the_hint_gives_a_well_known_example():
    html = _page(Client(), SEARCH_URL, postcode="nowhere!")

    assert "For example" not in html
    assert "Enter a postcode, like SW1A 1AA, or the first half of one, like SW1A." in html


def test_the_staff_location_form_gives_the_same_kind_of_example():
    _postcode("RV1 2AB", "51.5020", "-0.1020", AreaFactory())
    data = {"name": "Hall", "city": "London", "postcode": "RV1", "visibility": LocationVisibility.FULL}

    form = LocationForm(data=data)

    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a full UK postcode, like RV1 2AB"]


# --- A search that finds nothing ------------------------------------------------------------------------------


@pytest.fixture
def cafes():
    somali = Language.objects.get(code="som")
    ServiceFactory(name="Carers Café", description="Tea and a chat.", languages=[somali], is_free=True)
    ServiceFactory(name="Carers Lunch Club", description="A hot meal.", is_free=False)
    ServiceFactory(name="Walking Group", description="Weekly walks.", languages=[somali], is_free=False)
    rebuild_search_index()


def test_a_search_that_finds_nothing_names_each_word_or_filter_to_leave_out_and_what_that_finds(cafes):
    html = _page(Client(), SEARCH_URL, q="carers", language="som", free="", referral="gp", page="2")

    assert "No services match this search." in html
    ways = re.findall(r'<li><a href="([^"]+)">(Without [^<]+)</a></li>', html)
    # Leaving out the words finds nothing either (no service takes GP referrals), so only the referral is offered.
    assert [text for _href, text in ways] == ["Without How to get in: My GP can refer me: 1 service"]
    href = ways[0][0].replace("&amp;", "&")
    assert "referral" not in href and "page" not in href
    assert "q=carers" in href and "language=som" in href

    html = _page(Client(), SEARCH_URL, q="carers", language="som", free="on", open_now="on")
    texts = re.findall(r"<li><a href=\"[^\"]+\">(Without [^<]+)</a></li>", html)
    assert texts == ["Without Open now: 1 service"]

    html = _page(Client(), SEARCH_URL, q="walking", language="som", free="on")
    texts = re.findall(r"<li><a href=\"[^\"]+\">(Without [^<]+)</a></li>", html)
    assert sorted(texts) == ["Without Free to use: 1 service", "Without the words “walking”: 1 service"]


def test_when_no_single_change_helps_the_page_says_so(cafes):
    html = _page(Client(), SEARCH_URL, q="zebrafinch", referral="gp")

    assert "No services match this search." in html
    assert "Leaving out any one of the words or filters still finds nothing" in html
    assert "Clear search and filters" in html


def test_the_map_offers_the_same_ways_to_loosen_a_search_that_finds_nothing(cafes):
    html = _page(Client(), MAP_URL, q="carers", referral="gp")

    assert "Without How to get in: My GP can refer me: 2 services" in html


def test_a_search_with_results_offers_nothing_to_leave_out(cafes):
    html = _page(Client(), SEARCH_URL, q="carers")

    assert "Without " not in html and "Leaving out" not in html


# --- The map ------------------------------------------------------------------------------------------------


def test_map_markers_are_links_to_their_rows_labelled_and_near_ones_grouped_with_following_numbers():
    ward = AreaFactory(name="Canal Ward")
    _postcode("RV1 2AB", "51.5000", "-0.1000", ward)
    hall = ServiceFactory(name="Hall Lunch Club")
    annex = ServiceFactory(name="Annex Advice")
    far = ServiceFactory(name="Far Allotment")
    # About 50 m apart: one marker. The allotment, 3 km away, has its own.
    _place(hall, "RV1 2AB", "51.5000", "-0.1000", name="Zion Hall", address_1="1 Lock Street")
    _place(annex, "RV1 2AC", "51.5004", "-0.1003", name="Abbey Annex", address_1="3 Lock Street")
    _place(far, "RV2 1AA", "51.5270", "-0.1000", name="Moss Allotment", address_1="Moss Lane")
    rebuild_search_index()

    html = _page(Client(), MAP_URL)

    assert 'role="img"' not in html  # a drawing holding links is a group, not one image
    markers = re.findall(r'<a href="#place-(\d+)" class="([^"]+)">\s*<title>([^<]+)</title>', html)
    assert len(markers) == 2
    by_target = {number: (classes, title) for number, classes, title in markers}
    # Numbered by name, except that the group's places follow each other: Abbey, then Zion, then Moss.
    group_classes, group_title = by_target["1"]
    assert "waymark-map__place--group" in group_classes
    assert group_title.startswith("Places 1 to 2, close together: 1. Abbey Annex")
    assert "2. Zion Hall, 1 Lock Street" in group_title and "Hall Lunch Club" in group_title
    assert by_target["3"][1].startswith("3. Moss Allotment")
    assert ">1–2</text>" in html
    for number in ("1", "2", "3"):
        assert f'id="place-{number}"' in html
    assert re.search(r'id="place-2">\s*<td[^>]*>.*?2</td>\s*<td[^>]*>.*?Zion Hall', html, re.S)


def test_district_only_places_are_never_grouped_with_an_exact_one():
    ward = AreaFactory()
    _postcode("RV1 2AB", "51.5000", "-0.1000", ward)
    _postcode("RV1 2AC", "51.5002", "-0.1002", ward)
    exact = ServiceFactory(name="Open Hall")
    private = ServiceFactory(name="Quiet Group")
    _place(exact, "RV1 2AB", "51.5000", "-0.1000")
    _place(private, "RV1 2AC", "51.5002", "-0.1002", visibility=LocationVisibility.DISTRICT)
    rebuild_search_index()

    html = _page(Client(), MAP_URL)

    assert "waymark-map__place--group" not in html
    assert len(re.findall(r'<a href="#place-\d+"', html)) == 2


def test_the_map_asks_as_many_questions_for_many_district_only_places_as_for_one():
    ward = AreaFactory()
    for number in range(1, 7):
        _postcode(f"RV{number} 2AB", "51.50", f"-0.1{number}", ward)

    def private_group(number: int) -> None:
        service = ServiceFactory(name=f"Quiet Group {number}")
        _place(service, f"RV{number} 2AB", "51.50", f"-0.1{number}", visibility=LocationVisibility.DISTRICT)

    private_group(1)
    client = Client()
    _page(client, MAP_URL)  # the filters' lists are kept from here on
    with CaptureQueriesContext(connection) as one:
        assert "Quiet Group 1" in _page(client, MAP_URL)
    for number in range(2, 7):
        private_group(number)
    _page(client, MAP_URL)
    with CaptureQueriesContext(connection) as many:
        html = _page(client, MAP_URL)
    assert len(many.captured_queries) == len(one.captured_queries) > 0
    assert all(f"RV{number}" in html for number in range(1, 7))


def test_the_searched_postcode_is_marked_on_the_map_and_named_in_the_key():
    ward = AreaFactory()
    _postcode("RV1 2AB", "51.5000", "-0.1000", ward)
    _postcode("RV1 3CD", "51.5100", "-0.1100", ward)
    service = ServiceFactory(name="Open Hall")
    _place(service, "RV1 2AB", "51.5000", "-0.1000")
    rebuild_search_index()
    client = Client()

    html = _page(client, MAP_URL, postcode="rv13cd")
    assert 'class="waymark-map__searched"' in html
    assert "Where you searched from: RV1 3CD" in html
    assert "A cross marks RV1 3CD, where you searched from." in html

    html = _page(client, MAP_URL, postcode="RV1 9ZZ")  # unknown: measured from the district's middle
    assert "Where you searched from: RV1" in html

    html = _page(client, MAP_URL)
    assert "waymark-map__searched" not in html and "Where you searched from" not in html
