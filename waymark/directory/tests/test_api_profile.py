"""The rest of the Open Referral UK profile: /taxonomies, /taxonomy_terms, /service_at_locations and
/organizations, and the publisher on the information endpoint."""

import copy
import json
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from waymark.core.choices import OrganisationType
from waymark.core.services import create_organisation
from waymark.directory import services
from waymark.directory.hsds.schema import (
    DETAILS,
    DETAILS_TAXONOMY_ID,
    profile_schema_errors,
    service_schema_errors,
)
from waymark.directory.models import Taxonomy, TaxonomyTerm
from waymark.directory.tests.hsds_fixtures import HIDDEN_POSTCODE, make_directory
from waymark.directory.tests.test_hsds import private_strings

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/directory/"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}
# Each list, the profile schema its items follow, and the schema of its detail.
LISTS = {
    "taxonomies": ("taxonomy", "taxonomy"),
    "taxonomy_terms": ("taxonomy_term", "taxonomy_term"),
    "service_at_locations": ("service_at_location_list", "service_at_location"),
    "organizations": ("organization_list", "organization"),
}


@pytest.fixture
def directory():
    return make_directory()


@pytest.fixture
def api(monkeypatch):
    # These tests walk every page and detail: far more calls than the anonymous rate allows a minute.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "100000/minute"})
    return APIClient()


def get_ok(api, path, params=None):
    response = api.get(ROOT + path, params or {})
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def every_item(api, path, params=None):
    """Every item of a list, page by page (two to a page, so paging is walked too)."""
    items, page = [], 1
    while True:
        body = get_ok(api, path, {**(params or {}), "per_page": 2, "page": page})
        assert set(body) == PAGE_KEYS
        assert body["size"] == len(body["contents"]) and body["page_number"] == page
        items += body["contents"]
        if body["last_page"]:
            assert body["total_items"] == len(items)
            return items
        page += 1


def place_names(api, **params):
    return [
        (link["service"]["name"], link["location"].get("name") or link["location"]["addresses"][0]["postal_code"])
        for link in get_ok(api, "service_at_locations", params)["contents"]
    ]


@override_settings(
    DIRECTORY_PUBLISHER_NAME="Rivertown Council",
    DIRECTORY_PUBLISHER_IDENTIFIER="GB-LAE-RVT",
    SITE_URL="https://directory.example",
)
def test_information_endpoint_names_the_publisher_and_its_identifier(api):
    body = get_ok(api, "")
    assert body["publisher"] == {
        "name": "Rivertown Council",
        "identifier": "GB-LAE-RVT",
        "url": "https://directory.example/",
    }
    assert body["version"] == "3.0"


@override_settings(SITE_URL="https://directory.example")
def test_without_an_identifier_the_publisher_is_still_named(api):
    assert get_ok(api, "")["publisher"] == {"name": "Waymark", "url": "https://directory.example/"}


def test_every_endpoint_answers_with_the_profile_schemas(api, directory):
    """Walks every list and every item's detail, checking each against the UK profile's schema."""
    for path, (item_schema, detail_schema) in LISTS.items():
        items = every_item(api, path)
        assert items, path
        for item in items:
            assert profile_schema_errors(item_schema, item) == [], (path, item)
            detail = get_ok(api, f"{path}/{item['id']}")
            assert profile_schema_errors(detail_schema, detail) == [], (path, detail)
            assert get_ok(api, f"{path}/{item['id']}/") == detail
            if path == "service_at_locations":
                assert service_schema_errors(detail["service"]) == []
            if path == "organizations":
                full = get_ok(api, f"{path}/{item['id']}", {"full_service": "true"})
                assert profile_schema_errors(detail_schema, full) == []
                assert all(service_schema_errors(service) == [] for service in full["services"])
    located = every_item(api, "service_at_locations", {"postcode": HIDDEN_POSTCODE, "proximity": 5000})
    assert all(profile_schema_errors("service_at_location_list", item) == [] for item in located)


def test_taxonomies_and_their_terms(api, directory):
    needs = Taxonomy.objects.get(name="Waymark needs")
    taxonomies = every_item(api, "taxonomies")
    stored = sorted(Taxonomy.objects.values_list("name", flat=True))
    assert [taxonomy["name"] for taxonomy in taxonomies] == [*stored, "Waymark service details"]
    assert get_ok(api, f"taxonomies/{needs.uuid}")["name"] == "Waymark needs"
    terms = every_item(api, "taxonomy_terms")
    assert len(terms) == TaxonomyTerm.objects.count() + len(DETAILS)
    child = get_ok(api, f"taxonomy_terms/{directory.child_need.uuid}")
    assert child["parent_id"] == str(directory.parent_need.uuid)
    assert child["taxonomy_id"] == str(needs.uuid)
    under = every_item(api, "taxonomy_terms", {"parent_id": directory.parent_need.uuid})
    assert directory.child_need.name in [term["name"] for term in under]
    assert {term["parent_id"] for term in under} == {str(directory.parent_need.uuid)}
    assert len(under) == directory.parent_need.children.count()
    top = every_item(api, "taxonomy_terms", {"top_only": "true"})
    assert top and all("parent_id" not in term for term in top)
    assert len(top) == TaxonomyTerm.objects.filter(parent__isnull=True).count() + len(DETAILS)
    assert len(every_item(api, "taxonomy_terms", {"taxonomy_id": needs.uuid})) == needs.terms.count()
    found = every_item(api, "taxonomy_terms", {"search": "OWN language"})
    assert directory.child_need.code in [term["code"] for term in found]
    for term in found:
        text = " ".join([term["name"], term["code"], term["description"]]).lower()
        assert "own" in text and "language" in text
    assert len(found) < len(terms)
    assert get_ok(api, "taxonomy_terms", {"taxonomy_id": uuid.uuid4()})["empty"] is True
    assert get_ok(api, "taxonomy_terms", {"parent_id": uuid.uuid4()})["total_items"] == 0


def test_every_attribute_of_a_service_leads_to_its_term_and_taxonomy(api, directory):
    """Waymark's own taxonomy of details is served like the stored ones, so no id in an answer leads nowhere."""
    service = get_ok(api, "services")["contents"][0]
    attributes = get_ok(api, f"services/{service['id']}")["attributes"]
    details = [
        attribute for attribute in attributes if attribute["taxonomy_term"]["taxonomy_id"] == DETAILS_TAXONOMY_ID
    ]
    assert details
    for attribute in attributes:
        term = get_ok(api, f"taxonomy_terms/{attribute['taxonomy_term_id']}")
        assert term == attribute["taxonomy_term"]
        assert get_ok(api, f"taxonomies/{term['taxonomy_id']}") == term["taxonomy_detail"]
    listed = every_item(api, "taxonomy_terms", {"taxonomy_id": DETAILS_TAXONOMY_ID})
    assert [term["name"] for term in listed] == sorted(name for name, _description in DETAILS.values())
    assert [term["code"] for term in every_item(api, "taxonomy_terms", {"search": "funding END"})] == [
        "funding-ends-on"
    ]
    assert get_ok(api, "taxonomy_terms", {"taxonomy_id": DETAILS_TAXONOMY_ID, "parent_id": uuid.uuid4()})["empty"]
    assert api.get(f"{ROOT}taxonomy_terms/{uuid.uuid4()}").status_code == 404


def test_service_at_locations_nearest_first_within_the_proximity(api, directory):
    # From the hidden place's own postcode: the district-only place counts at its district's middle (about
    # 1 km away), the open centre is about 2.9 km away, and the hidden place is never measured.
    near = place_names(api, postcode=HIDDEN_POSTCODE, proximity=2000)
    assert near == [("Open Door Drop-in", "ZX1"), ("Women's safe space", "ZX1")]
    wider = place_names(api, postcode=HIDDEN_POSTCODE, proximity="5000")
    assert wider == [*near, ("Open Door Drop-in", "Canal Side Centre")]
    everything = place_names(api, postcode=HIDDEN_POSTCODE)
    assert everything == [*wider, ("Women's safe space", "Contact to arrange")]  # unplaced, so last
    assert place_names(api, postcode="ZY2 3CC", proximity=100) == [("Open Door Drop-in", "Canal Side Centre")]
    assert place_names(api, postcode="ZX1", proximity=100) == near  # measured from the district's middle
    by_name = [name for name, _place in place_names(api)]
    assert by_name == ["Open Door Drop-in", "Open Door Drop-in", "Women's safe space", "Women's safe space"]


def test_service_at_locations_filters(api, directory):
    assert {name for name, _place in place_names(api, search="language")} == {"Open Door Drop-in"}
    assert {name for name, _place in place_names(api, taxonomy_term_id=directory.parent_need.uuid)} == {
        "Open Door Drop-in"
    }
    assert {name for name, _place in place_names(api, minimum_age=70)} == {"Women's safe space"}
    assert {name for name, _place in place_names(api, day="MO")} == {"Open Door Drop-in"}
    group = directory.organisations[1]
    assert {name for name, _place in place_names(api, organization_id=group.uuid)} == {"Women's safe space"}
    assert place_names(api, organization_id=uuid.uuid4()) == []
    assert place_names(api, taxonomy_id=uuid.uuid4()) == []


def test_nothing_private_in_any_answer(api, directory):
    answers = []
    for path in LISTS:
        for item in every_item(api, path):
            answers.append(json.dumps(item))
            answers.append(api.get(f"{ROOT}{path}/{item['id']}", {"full_service": "true"}).content.decode())
    answers.append(api.get(ROOT + "service_at_locations", {"postcode": HIDDEN_POSTCODE}).content.decode())
    text = "\n".join(answers)
    for secret in private_strings(directory):
        assert secret not in text, secret
    assert "office@canalside.example" not in text  # an organisation's e-mail is for staff


def test_what_the_public_may_not_see_is_not_found(api, directory):
    services.set_service_locations(
        actor=directory.staff, service=directory.unpublished_service, locations=[directory.open_location]
    )
    hidden_org = create_organisation(
        actor=directory.staff, data={"name": "Nothing public yet", "org_type": OrganisationType.CHARITY}
    )
    unpublished = directory.unpublished_service.service_at_locations.get()
    for path, message in [
        (f"service_at_locations/{unpublished.uuid}", "There is no public service at a place with this id."),
        (f"service_at_locations/{uuid.uuid4()}", "There is no public service at a place with this id."),
        ("service_at_locations/not-an-id", "There is no public service at a place with this id."),
        (f"organizations/{hidden_org.uuid}", "There is no organisation with public services with this id."),
        (f"taxonomies/{uuid.uuid4()}", "There is no taxonomy with this id."),
        ("taxonomy_terms/counselling", "There is no taxonomy term with this id."),
    ]:
        response = api.get(ROOT + path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == message
        assert response["Access-Control-Allow-Origin"] == "*"
    organisations = {organisation["name"] for organisation in every_item(api, "organizations")}
    assert organisations == {"Canal Side Wellbeing", "Sisters Together"}
    links = every_item(api, "service_at_locations")
    assert directory.unpublished_service.name not in json.dumps(links)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"postcode": HIDDEN_POSTCODE, "proximity": -5}, "proximity", "greater than or equal to 1"),
        ({"postcode": HIDDEN_POSTCODE, "proximity": 0}, "proximity", "greater than or equal to 1"),
        ({"postcode": HIDDEN_POSTCODE, "proximity": 10**9}, "proximity", "less than or equal to 100000"),
        ({"postcode": HIDDEN_POSTCODE, "proximity": "far"}, "proximity", "valid number"),
        ({"postcode": HIDDEN_POSTCODE, "proximity": "nan"}, "proximity", "valid number"),
        ({"proximity": 1000}, "proximity", "Give a postcode"),
        ({"postcode": "QQ9 9QQ"}, "postcode", "We could not find “QQ9 9QQ”"),
        ({"postcode": "not here"}, "postcode", "We could not find “not here”"),
        ({"page": 0}, "page", "greater than or equal to 1"),
        ({"day": "Funday"}, "day", "weekday"),
    ],
)
def test_a_wrong_parameter_is_a_400_that_says_what_is_wrong(api, directory, params, field, words):
    response = api.get(ROOT + "service_at_locations", params)
    assert response.status_code == 400
    assert words in " ".join(response.json()["errors"][field])
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", [*LISTS, "services"])
def test_a_page_past_the_last_is_not_found(api, directory, path):
    response = api.get(ROOT + path, {"page": 99, "per_page": 100})
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no page 99: there is 1 page of 100."
    assert api.get(ROOT + path, {"page": "x"}).status_code == 400
    assert api.get(ROOT + "taxonomy_terms", {"top_only": "maybe"}).status_code == 400


def test_answers_match_the_documented_openapi_schema(api, directory, tmp_path):
    """Every field sent is documented with its type (as test_directory_api checks for /services)."""
    schema_file = tmp_path / "openapi.json"
    call_command("spectacular", file=str(schema_file), format="openapi-json")
    document = json.loads(schema_file.read_text())
    strict = copy.deepcopy(document)
    for component in strict["components"]["schemas"].values():
        if component.get("type") == "object" and "properties" in component:
            component["additionalProperties"] = False

    def errors(name, body):
        return list(Draft202012Validator({**strict, "$ref": f"#/components/schemas/{name}"}).iter_errors(body))

    assert errors("DirectoryInfo", get_ok(api, "")) == []
    pages = {
        "taxonomies": ("HsdsTaxonomyPage", "HsdsTaxonomy"),
        "taxonomy_terms": ("HsdsTaxonomyTermPage", "HsdsTaxonomyTerm"),
        "service_at_locations": ("HsdsServiceAtLocationPage", "HsdsServiceAtLocationFull"),
        "organizations": ("HsdsOrganizationPage", "HsdsOrganizationWithServices"),
    }
    for path, (page_name, detail_name) in pages.items():
        page = get_ok(api, path)
        assert errors(page_name, page) == [], path
        assert errors(detail_name, get_ok(api, f"{path}/{page['contents'][0]['id']}")) == [], path
        assert f"/api/v1/directory/{path}" in document["paths"]
        assert f"/api/v1/directory/{path}/{{id}}" in document["paths"]
        assert f"/api/v1/directory/{path}/" not in document["paths"]
    parameters = {p["name"] for p in document["paths"]["/api/v1/directory/service_at_locations"]["get"]["parameters"]}
    profile = {"search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "minimum_age", "maximum_age"}
    assert profile | {"start_time", "end_time", "day", "postcode", "proximity"} <= parameters


def test_a_page_costs_the_same_few_queries_however_many_items_it_holds(api, directory):
    paths = {path: {} for path in LISTS} | {"service_at_locations?near": {"postcode": HIDDEN_POSTCODE}}
    small = {}
    for path, params in paths.items():
        with CaptureQueriesContext(connection) as queries:
            get_ok(api, path.split("?")[0], params)
        small[path] = len(queries.captured_queries)
    for number in range(4):
        organisation = create_organisation(
            actor=directory.staff, data={"name": f"Extra organisation {number}", "org_type": OrganisationType.CHARITY}
        )
        service = services.create_service(
            actor=directory.staff,
            organisation=organisation,
            data={"name": f"Extra service {number}", "description": "More help.", "phone": "0", "published": True},
        )
        services.set_service_locations(
            actor=directory.staff,
            service=service,
            locations=[directory.open_location, directory.district_location, directory.hidden_location],
        )
        Taxonomy.objects.create(name=f"Extra taxonomy {number}")
    for path, params in paths.items():
        with CaptureQueriesContext(connection) as queries:
            body = get_ok(api, path.split("?")[0], params)
        assert body["size"] > 4, path
        assert len(queries.captured_queries) == small[path], path


def test_an_organisation_costs_the_same_few_queries_however_many_services_it_runs(api, directory):
    charity = directory.organisations[0]
    detail = f"organizations/{charity.uuid}"
    counts = []
    for extra in range(2):
        with CaptureQueriesContext(connection) as brief:
            get_ok(api, detail)
        with CaptureQueriesContext(connection) as full:
            body = get_ok(api, detail, {"full_service": "true"})
        counts.append((len(brief.captured_queries), len(full.captured_queries)))
        for number in range(3 * (1 - extra)):
            service = services.create_service(
                actor=directory.staff,
                organisation=charity,
                data={"name": f"Extra service {number}", "description": "More help.", "phone": "0", "published": True},
            )
            services.set_service_locations(actor=directory.staff, service=service, locations=[directory.open_location])
    assert len(body["services"]) == 4
    assert counts[0] == counts[1]


def test_the_owner_of_a_public_services_place_is_found_though_it_runs_no_public_service(api, directory):
    landlord = create_organisation(
        actor=directory.staff, data={"name": "Canal Side Community Centre", "org_type": OrganisationType.CHARITY}
    )
    hall = services.create_location(
        actor=directory.staff,
        organisation=landlord,
        data={"name": "Community hall", "postcode": directory.open_location.postcode},
    )
    services.set_service_locations(
        actor=directory.staff, service=directory.public_service, locations=[directory.open_location, hall]
    )
    place = next(
        link["location"]
        for link in get_ok(api, f"services/{directory.public_service.uuid}")["service_at_locations"]
        if link["location_id"] == str(hall.uuid)
    )

    body = get_ok(api, f"organizations/{place['organization_id']}")

    assert body["name"] == "Canal Side Community Centre" and body["services"] == []
    assert "Canal Side Community Centre" in {item["name"] for item in every_item(api, "organizations")}
