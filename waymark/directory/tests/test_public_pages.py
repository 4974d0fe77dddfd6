"""The public signposting pages: search, service pages, print views, the shortlist and its PDF, and the map."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import Community, Language, Postcode
from waymark.core.roles import Role
from waymark.directory import shortlist
from waymark.directory.choices import WEEKDAY_BY_INDEX, LocationVisibility, ServiceStatus
from waymark.directory.factories import (
    ContactFactory,
    FundingSourceFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from waymark.directory.models import HolidayException, Service
from waymark.directory.services import rebuild_search_index

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("directory:search")
SHORTLIST_URL = reverse("directory:shortlist")


def _postcode(code: str, latitude: str, longitude: str, ward=None) -> Postcode:
    return Postcode.objects.create(
        postcode=code,
        district=code.split(" ")[0],
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        ward=ward,
    )


@pytest.fixture
def borough():
    """Two wards, four postcodes, and a ward cell for each."""
    north = AreaFactory(name="Northgate", code="E05900001")
    south = AreaFactory(name="Southmead", code="E05900002")
    _postcode("ZX1 1AA", "51.501234", "-0.101234", north)
    _postcode("ZX1 2BB", "51.505678", "-0.105678", north)
    _postcode("ZX1 3CC", "51.512000", "-0.112000", north)
    _postcode("ZX2 1DD", "51.480000", "-0.090000", south)
    return {"north": north, "south": south}


@pytest.fixture
def private_service(borough):
    """A public service with staff-only details and two places the public must never see in full."""
    organisation = OrganisationFactory(name="Riverside Refuge Trust")
    service = ServiceFactory(
        organisation=organisation,
        name="Riverside Safe Space",
        description="Support for women leaving abuse.",
        internal_notes="SECRET-NOTE about a family",
    )
    FundingSourceFactory(service=service, organisation=organisation, amount=Decimal("12345.67"), funder="Big Fund")
    LocationFactory(
        organisation=organisation,
        name="Safe House Venue",
        address_1="1 Secret Street",
        postcode="ZX1 1AA",
        latitude=Decimal("51.501234"),
        longitude=Decimal("-0.101234"),
        ward=borough["north"],
        visibility=LocationVisibility.HIDDEN,
        services=[service],
    )
    LocationFactory(
        organisation=organisation,
        name="Volunteer Home Venue",
        address_1="2 Private Road",
        postcode="ZX1 2BB",
        latitude=Decimal("51.505678"),
        longitude=Decimal("-0.105678"),
        ward=borough["north"],
        visibility=LocationVisibility.DISTRICT,
        services=[service],
    )
    return service


PRIVATE_STRINGS = [
    "SECRET-NOTE",
    "12345.67",
    "12,345",
    "Big Fund",
    "1 Secret Street",
    "Safe House Venue",
    "ZX1 1AA",
    "2 Private Road",
    "Volunteer Home Venue",
    "ZX1 2BB",
    "51.5012",
    "-0.1012",
    "51.5056",
    "51.5057",
    "-0.1056",
    "-0.1057",
]


def _assert_private_strings_absent(text: str, where: str) -> None:
    leaked = [secret for secret in PRIVATE_STRINGS if secret in text]
    assert not leaked, f"{where} shows {leaked}"


def _page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Search ---------------------------------------------------------------------------------------------


def test_an_empty_search_lists_every_public_service_by_name():
    ServiceFactory(name="Carers Café")
    ServiceFactory(name="Arabic Counselling")
    ServiceFactory(name="Hidden Draft", published=False)
    ServiceFactory(name="Closed For Good", status=ServiceStatus.DEFUNCT)
    rebuild_search_index()

    html = _page(Client(), SEARCH_URL)

    assert "2 services" in html
    assert html.index("Arabic Counselling") < html.index("Carers Café")
    assert "Hidden Draft" not in html
    assert "Closed For Good" not in html


def test_search_by_words_and_filters_shows_the_matching_services_and_their_count(borough):
    counselling = TaxonomyTermFactory(name="Counselling and talking therapies", code="counselling")
    somali = Language.objects.get(code="som")
    community = Community.objects.order_by("name").first()
    ServiceFactory(
        name="Talking Together",
        description="Counselling in your own language.",
        categories=[counselling],
        languages=[somali],
        communities=[community],
    )
    ServiceFactory(name="Listening Line", description="Counselling by phone.", categories=[counselling])
    ServiceFactory(name="Job Club", description="Help finding work.", is_free=False)
    rebuild_search_index()
    client = Client()

    assert "2 services" in _page(client, SEARCH_URL, q="counselling")
    html = _page(client, SEARCH_URL, q="counselling", language="som")
    assert "1 service" in html
    assert "Talking Together" in html and "Listening Line" not in html
    html = _page(client, SEARCH_URL, need=str(counselling.uuid), community=str(community.pk))
    assert "Talking Together" in html and "Job Club" not in html
    html = _page(client, SEARCH_URL, free="on")
    assert "Job Club" not in html and "2 services" in html


def test_a_search_that_finds_nothing_says_so_and_offers_to_clear_it():
    ServiceFactory(name="Carers Café")
    rebuild_search_index()

    html = _page(Client(), SEARCH_URL, q="zebrafinch")

    assert "0 services" in html
    assert "No services match this search." in html
    assert "Check your search" not in html
    assert "See these services on a map" not in html


def test_a_selected_filter_option_stays_selected_and_names_are_escaped():
    TaxonomyTermFactory(name="Advice <b>and</b> advocacy", code="advice")

    html = _page(Client(), SEARCH_URL, language="som")

    assert '<option value="som" selected>Somali</option>' in html
    assert "Advice &lt;b&gt;and&lt;/b&gt; advocacy" in html


def test_the_need_filter_is_grouped_by_its_parent_term():
    parent = TaxonomyTermFactory(name="Housing")
    TaxonomyTermFactory(name="Homelessness", parent=parent, taxonomy=parent.taxonomy)

    html = _page(Client(), SEARCH_URL)

    assert '<optgroup label="Housing">' in html
    assert "Housing (all)" in html


def test_an_htmx_search_gets_only_the_results_and_the_new_count():
    ServiceFactory(name="Carers Café")
    rebuild_search_index()

    response = Client().get(SEARCH_URL, {"q": "carers"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "Carers Café" in html
    assert 'id="search-count" hx-swap-oob="innerHTML">1 service' in html
    assert "HX-Request" in response["Vary"]


def test_a_postcode_sorts_by_distance_and_an_unknown_one_falls_back_to_its_district(borough):
    near = ServiceFactory(name="Near Service")
    far = ServiceFactory(name="Far Service")
    LocationFactory(postcode="ZX1 3CC", latitude=Decimal("51.512"), longitude=Decimal("-0.112"), services=[near])
    LocationFactory(postcode="ZX2 1DD", latitude=Decimal("51.48"), longitude=Decimal("-0.09"), services=[far])
    rebuild_search_index()
    client = Client()

    html = _page(client, SEARCH_URL, postcode="zx13cc")
    assert html.index("Near Service") < html.index("Far Service")
    assert "miles away" in html

    html = _page(client, SEARCH_URL, postcode="ZX1 9ZZ")
    assert "We could not find the postcode ZX1 9ZZ" in html
    assert html.index("Near Service") < html.index("Far Service")


def test_bad_filter_values_give_clear_messages_not_errors():
    html = _page(Client(), SEARCH_URL, postcode="not a postcode!", ward="E05999999", language="xx")

    assert "There is a problem" in html
    assert "Enter a postcode, like SW1A 1AA" in html
    assert "Choose a ward from the list." in html
    assert "Choose a language from the list." in html


def test_results_come_twenty_a_page():
    for number in range(23):
        ServiceFactory(name=f"Service {number:02d}")
    rebuild_search_index()
    client = Client()

    first = _page(client, SEARCH_URL)
    assert "23 services" in first
    assert "Service 19" in first and "Service 20" not in first
    second = _page(client, SEARCH_URL, page=2)
    assert "Service 22" in second and "Service 19" not in second
    assert "Page 2 of 2" in second


def test_the_search_page_needs_few_queries_however_many_results(django_assert_max_num_queries):
    counselling = TaxonomyTermFactory()
    english = Language.objects.get(code="eng")
    for number in range(20):
        service = ServiceFactory(name=f"Service {number:02d}", categories=[counselling], languages=[english])
        ScheduleFactory(service=service)
    rebuild_search_index()
    client = Client()
    client.get(SEARCH_URL)  # the session and caches warm up

    with django_assert_max_num_queries(13):
        client.get(SEARCH_URL, {"q": "service"})


def test_a_service_open_now_is_tagged():
    service = ServiceFactory(name="Always Open")
    today = WEEKDAY_BY_INDEX[timezone.localdate().weekday()]
    ScheduleFactory(service=service, weekday=today, opens_at=datetime.time(0, 0), closes_at=datetime.time(23, 59, 59))
    rebuild_search_index()

    assert "Open now" in _page(Client(), SEARCH_URL)


# --- Service pages -----------------------------------------------------------------------------------------


def test_an_unpublished_service_is_not_found_by_the_public_but_staff_can_check_it():
    draft = ServiceFactory(name="Draft Service", published=False)
    url = draft.get_absolute_url()

    assert Client().get(url).status_code == 404
    assert Client().get(reverse("directory:service_print", args=[draft.uuid])).status_code == 404

    staff = Client()
    verified_login(staff, make_persona(Role.STAFF))
    html = _page(staff, url)
    assert "Draft Service" in html
    assert "Not on public pages" in html
    assert "Add to shortlist" not in html


def test_the_service_page_says_plainly_how_to_get_in(borough):
    service = ServiceFactory(
        name="Talking Together",
        self_referral=True,
        gp_referral=True,
        professional_referral=True,
        application_process="Phone the intake line and leave a message.",
        minimum_age=18,
        interpreter_available=True,
        is_free=True,
    )
    ContactFactory(service=service, title="Intake team", phone="020 7946 0123", email="intake@example.org")
    ContactFactory(service=service, title="Staff line", phone="020 7946 0999", public=False)
    ScheduleFactory(service=service, weekday="TU", opens_at=datetime.time(9, 30), closes_at=datetime.time(13, 0))
    today = timezone.localdate()
    HolidayException.objects.create(
        service=service, starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=10)
    )
    HolidayException.objects.create(
        service=service,
        starts_on=today + datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=91),
        notes="Far away closure",
    )
    LocationFactory(
        name="Community Hall",
        address_1="5 Canal Road",
        postcode="ZX1 3CC",
        latitude=Decimal("51.512"),
        longitude=Decimal("-0.112"),
        step_free_access=True,
        services=[service],
    )
    LocationFactory(postcode="ZX1 2BB", visibility=LocationVisibility.DISTRICT, services=[service])
    LocationFactory(visibility=LocationVisibility.HIDDEN, services=[service])

    html = _page(Client(), service.get_absolute_url())

    assert html.index("How to get in") < html.index("What it offers")
    for words in (
        "You can refer yourself.",
        "Ask your GP to refer you.",
        "A professional can refer you",
        "Phone the intake line and leave a message.",
        'href="tel:02079460123"',
        "intake@example.org",
        "Ages 18 and over",
        "Yes, an interpreter can be arranged",
        "9:30am to 1pm",
        "Closed",
        "5 Canal Road",
        "Step-free access",
        "Near ZX1 — contact the service for the address",
        "Contact to arrange",
        "Last checked",
        "Add to shortlist",
        reverse("directory:service_print", args=[service.uuid]),
    ):
        assert words in html, words
    assert "Staff line" not in html
    assert "Far away closure" not in html


def test_the_print_view_has_the_same_details_without_menus_or_shortlist_buttons():
    service = ServiceFactory(name="Talking Together", url="https://talking.example.org/")

    html = _page(Client(), reverse("directory:service_print", args=[service.uuid]))

    assert "Talking Together" in html
    assert "How to get in" in html
    assert "https://talking.example.org/" in html
    assert "nhsuk-header__navigation" not in html
    assert "Add to shortlist" not in html
    assert "nhsuk-breadcrumb" not in html


# --- Shortlist ---------------------------------------------------------------------------------------------


def test_a_worker_adds_services_writes_notes_and_clears_the_shortlist_without_javascript():
    first = ServiceFactory(name="Talking Together")
    second = ServiceFactory(name="Carers Café")
    client = Client()

    response = client.post(reverse("directory:shortlist_add", args=[first.uuid]), {"next": SEARCH_URL + "?q=talk"})
    assert response.status_code == 302 and response["Location"] == SEARCH_URL + "?q=talk"
    client.post(reverse("directory:shortlist_add", args=[second.uuid]), {"next": "https://evil.example/"})
    html = _page(client, SHORTLIST_URL)
    assert "Talking Together" in html and "Carers Café" in html
    assert "2 services, with how to get in" in html

    client.post(SHORTLIST_URL, {"action": "save", "notes": "Try the café first."})
    assert "Try the café first." in _page(client, SHORTLIST_URL)

    response = client.post(reverse("directory:shortlist_remove", args=[second.uuid]), {"next": SHORTLIST_URL})
    assert response["Location"] == SHORTLIST_URL
    html = _page(client, SHORTLIST_URL)
    assert "Carers Café has been taken off your shortlist" in html
    assert "1 service, with how to get in" in html

    client.post(SHORTLIST_URL, {"action": "clear"})
    html = _page(client, SHORTLIST_URL)
    assert "Your shortlist is empty" in html
    assert "Try the café first." not in html


def test_an_htmx_add_swaps_the_button_and_updates_the_count():
    service = ServiceFactory(name="Talking Together")
    client = Client()

    response = client.post(reverse("directory:shortlist_add", args=[service.uuid]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove from shortlist" in html
    assert f'id="shortlist-button-{service.uuid}"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "Your shortlist: 1 service" in html


def test_shortlist_posts_need_the_csrf_token():
    service = ServiceFactory()

    response = Client(enforce_csrf_checks=True).post(reverse("directory:shortlist_add", args=[service.uuid]))

    assert response.status_code == 403


def test_only_public_services_stay_on_the_shortlist_and_it_holds_thirty():
    draft = ServiceFactory(published=False)
    client = Client()
    assert client.post(reverse("directory:shortlist_add", args=[draft.uuid])).status_code == 404

    services = [ServiceFactory(name=f"Service {n:02d}") for n in range(shortlist.MAX_SERVICES + 1)]
    for service in services:
        client.post(reverse("directory:shortlist_add", args=[service.uuid]))
    html = _page(client, SHORTLIST_URL)
    assert "Service 29" in html and "Service 30" not in html

    services[0].published = False
    services[0].save()
    html = _page(client, SHORTLIST_URL)
    assert "Service 00" not in html
    assert f"{shortlist.MAX_SERVICES - 1} services, with how to get in" in html


def test_the_shortlist_saves_as_a_pdf_with_how_to_get_in_and_the_notes():
    service = ServiceFactory(name="Talking Together", application_process="Phone the intake line.")
    ContactFactory(service=service, title="Intake team", phone="020 7946 0123")
    ScheduleFactory(service=service, weekday="WE", opens_at=datetime.time(10), closes_at=datetime.time(16))
    client = Client()
    client.post(reverse("directory:shortlist_add", args=[service.uuid]))

    response = client.post(SHORTLIST_URL, {"action": "pdf", "notes": "Ring on Wednesday morning."})
    assert response["Location"] == reverse("directory:shortlist_pdf")
    response = client.get(response["Location"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for words in ("Talking Together", "Phone the intake line.", "020 7946 0123", "Ring on Wednesday morning", "10am"):
        assert words in text, words


def test_an_empty_shortlist_has_no_pdf():
    client = Client()

    response = client.get(reverse("directory:shortlist_pdf"), follow=True)

    assert "Add services to the shortlist before saving it as a PDF." in response.content.decode()


@pytest.fixture
def pdf_renders(monkeypatch):
    """How many times WeasyPrint has made a PDF (the real renderer runs; the fixture only counts)."""
    from weasyprint import HTML

    made = []
    write_pdf = HTML.write_pdf

    def counted(self, *args, **kwargs):
        made.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counted)
    return made


def test_anonymous_shortlist_pdfs_are_rate_limited_per_address_and_the_page_says_when_to_retry(settings, pdf_renders):
    settings.DIRECTORY_PDF_RATE = "2/h"
    service = ServiceFactory(name="Talking Together")
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post(reverse("directory:shortlist_add", args=[service.uuid]))

    statuses = [client.get(reverse("directory:shortlist_pdf")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    refused = client.get(reverse("directory:shortlist_pdf"))
    assert refused.status_code == 429
    retry_after = int(refused["Retry-After"])
    assert 0 < retry_after <= 3600
    assert "Try again in" in refused.content.decode()
    # Another address is not held up by this one.
    other = Client(REMOTE_ADDR="203.0.113.10")
    other.post(reverse("directory:shortlist_add", args=[service.uuid]))
    assert other.get(reverse("directory:shortlist_pdf")).status_code == 200


def test_staff_are_not_held_to_the_anonymous_pdf_limit(settings, pdf_renders):
    settings.DIRECTORY_PDF_RATE = "1/h"
    service = ServiceFactory(name="Talking Together")
    client = Client()
    verified_login(client, make_persona(Role.STAFF))
    client.post(reverse("directory:shortlist_add", args=[service.uuid]))

    assert [client.get(reverse("directory:shortlist_pdf")).status_code for _ in range(3)] == [200, 200, 200]


def test_the_same_shortlist_is_rendered_once_and_a_changed_one_again(pdf_renders):
    first, second = ServiceFactory(name="Talking Together"), ServiceFactory(name="Carers Cafe")
    client = Client()
    client.post(reverse("directory:shortlist_add", args=[first.uuid]))

    one = client.get(reverse("directory:shortlist_pdf")).content
    again = client.get(reverse("directory:shortlist_pdf")).content
    assert (one, len(pdf_renders)) == (again, 1)

    client.post(reverse("directory:shortlist_add", args=[second.uuid]))
    assert "Carers Cafe" in _pdf_text(client.get(reverse("directory:shortlist_pdf")).content)
    Service.objects.filter(pk=first.pk).update(name="Talking Together Again")
    assert "Talking Together Again" in _pdf_text(client.get(reverse("directory:shortlist_pdf")).content)
    assert len(pdf_renders) == 3


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


# --- Map -----------------------------------------------------------------------------------------------------


def test_the_map_draws_full_addresses_at_their_point_districts_roughly_and_hidden_places_not_at_all(
    private_service, borough
):
    open_service = ServiceFactory(name="Open Door Café")
    LocationFactory(
        name="Open Door Hall",
        address_1="3 Market Street",
        postcode="ZX1 3CC",
        latitude=Decimal("51.512000"),
        longitude=Decimal("-0.112000"),
        services=[open_service],
    )
    rebuild_search_index()
    client = Client()

    features = client.get(reverse("directory:map_locations")).json()["features"]

    exact = [f for f in features if not f["properties"]["approximate"]]
    rough = [f for f in features if f["properties"]["approximate"]]
    assert len(features) == 2
    assert exact[0]["geometry"]["coordinates"] == [-0.112, 51.512]
    assert exact[0]["properties"]["services"][0]["name"] == "Open Door Café"
    assert rough[0]["properties"]["postcode_district"] == "ZX1"
    longitude, latitude = rough[0]["geometry"]["coordinates"]
    assert (round(latitude, 2), round(longitude, 2)) == (latitude, longitude)

    html = _page(client, reverse("directory:map"))
    assert 'role="group"' in html and '<title id="map-title">' in html
    assert html.count('class="waymark-map__place"') == 1
    assert html.count('class="waymark-map__place waymark-map__place--approximate"') == 1
    assert "3 Market Street" in html  # the text alternative lists the places
    assert "Near ZX1 — contact the service for the address" in html


def test_wards_are_drawn_around_their_postcodes_or_from_a_boundary_file(borough, settings, tmp_path):
    client = Client()
    wards = client.get(reverse("directory:map_wards")).json()["features"]
    assert {w["properties"]["name"] for w in wards} == {"Northgate", "Southmead"}
    assert all(w["properties"]["approximate"] for w in wards)
    assert wards[0]["geometry"]["type"] == "Polygon"

    settings.VAR_DIR = tmp_path
    (tmp_path / "boundaries").mkdir()
    square = [[-0.2, 51.4], [-0.1, 51.4], [-0.1, 51.5], [-0.2, 51.5], [-0.2, 51.4]]
    boundary = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"WD24CD": "E05900002", "WD24NM": "Southmead"},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    }
    (tmp_path / "boundaries" / "wards.geojson").write_text(json.dumps(boundary))

    wards = client.get(reverse("directory:map_wards")).json()["features"]
    assert [(w["properties"]["code"], w["properties"]["approximate"]) for w in wards] == [("E05900002", False)]
    assert wards[0]["geometry"]["coordinates"] == [square]
    assert "Ward outlines are approximate" not in _page(client, reverse("directory:map"))


def test_the_map_uses_the_search_filters_and_rejects_bad_ones():
    client = Client()

    assert client.get(reverse("directory:map_locations"), {"ward": "nowhere"}).status_code == 400
    assert "Choose a ward from the list." in _page(client, reverse("directory:map"), ward="nowhere")


# --- Privacy: staff-only details and private addresses never reach a public surface -----------------------


def test_public_pages_the_pdf_and_the_map_never_show_staff_only_details_or_private_addresses(private_service):
    rebuild_search_index()
    client = Client()
    service = private_service

    pages = {
        "search": _page(client, SEARCH_URL),
        "search for it": _page(client, SEARCH_URL, q="riverside", ward="E05900001"),
        "service page": _page(client, service.get_absolute_url()),
        "print view": _page(client, reverse("directory:service_print", args=[service.uuid])),
        "map": _page(client, reverse("directory:map")),
        "wards GeoJSON": _page(client, reverse("directory:map_wards")),
        "locations GeoJSON": _page(client, reverse("directory:map_locations")),
    }
    client.post(reverse("directory:shortlist_add", args=[service.uuid]))
    pages["shortlist"] = _page(client, SHORTLIST_URL)
    pdf = client.get(reverse("directory:shortlist_pdf"))
    pages["shortlist PDF"] = _pdf_text(pdf.content)

    assert "Riverside Safe Space" in pages["service page"]
    assert "Riverside Safe Space" in pages["shortlist PDF"]
    assert "Near ZX1" in pages["shortlist PDF"]
    for where, text in pages.items():
        _assert_private_strings_absent(text, where)


def test_staff_see_only_public_details_on_the_public_service_page(private_service):
    staff = Client()
    verified_login(staff, make_persona(Role.STAFF))

    _assert_private_strings_absent(_page(staff, private_service.get_absolute_url()), "service page (staff)")
