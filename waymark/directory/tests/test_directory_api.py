"""The public Open Referral UK API: /api/v1/directory/, /services and /services/{id} (the rest of the
profile: test_api_profile)."""

import copy
import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.models import Community
from waymark.core.roles import Role
from waymark.directory import services
from waymark.directory.hsds.export import export_queryset, export_service
from waymark.directory.hsds.schema import ORUK_SERVICE_LIST_SCHEMA, load_standard, service_schema_errors
from waymark.directory.models import Service, Taxonomy
from waymark.directory.tests.hsds_fixtures import make_directory
from waymark.directory.tests.test_hsds import private_strings

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/directory/"
SERVICES = "/api/v1/directory/services"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def directory():
    return make_directory()


@pytest.fixture
def api():
    return APIClient()


def names(api, **params):
    response = api.get(SERVICES, params)
    assert response.status_code == 200, response.json()
    return [service["name"] for service in response.json()["contents"]]


def test_information_endpoint_names_the_version_profile_and_schema(api):
    response = api.get(ROOT)
    assert response.status_code == 200
    assert response.json() == {
        "version": "3.0",
        "profile": "https://openreferraluk.org/",
        "openapi_url": "http://testserver/api/v1/schema/?format=json",
        "publisher": {"name": settings.DIRECTORY_PUBLISHER_NAME, "url": settings.SITE_URL + "/"},
    }
    assert response["Access-Control-Allow-Origin"] == "*"
    assert api.get(response.json()["openapi_url"]).status_code == 200


def test_service_list_is_an_open_referral_uk_page_of_public_services(api, directory):
    response = api.get(SERVICES)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert body["total_items"] == 2
    assert (body["total_pages"], body["page_number"], body["size"]) == (1, 1, 2)
    assert (body["first_page"], body["last_page"], body["empty"]) == (True, True, False)
    assert [service["name"] for service in body["contents"]] == ["Open Door Drop-in", "Women's safe space"]
    list_schema = Draft202012Validator(load_standard(ORUK_SERVICE_LIST_SCHEMA))
    for service in body["contents"]:
        assert service_schema_errors(service) == []
        assert list(list_schema.iter_errors(service)) == []
        assert service == export_service(
            export_queryset(Service.objects.all(), public=True).get(uuid=service["id"]),
            public=True,
        )


def test_paths_work_with_and_without_a_trailing_slash(api, directory):
    assert api.get(SERVICES).json() == api.get(SERVICES + "/").json()
    detail = f"{SERVICES}/{directory.public_service.uuid}"
    assert api.get(detail).status_code == 200
    assert api.get(detail).json() == api.get(detail + "/").json()
    assert api.get(detail).json()["name"] == "Open Door Drop-in"


@pytest.mark.parametrize("which", ["unpublished", "unknown", "malformed"])
def test_a_service_the_public_may_not_see_is_not_found(api, directory, which):
    service_id = {
        "unpublished": directory.unpublished_service.uuid,
        "unknown": uuid.uuid4(),
        "malformed": "not-an-id",
    }[which]
    response = api.get(f"{SERVICES}/{service_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no public service with this id.", "errors": {}}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_open_to_any_origin_without_credentials(api, directory):
    response = api.get(SERVICES, HTTP_ORIGIN="https://another-directory.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = api.options(
        SERVICES, HTTP_ORIGIN="https://another-directory.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, OPTIONS"
    assert api.post(SERVICES, {}).status_code == 405


def test_the_same_public_answer_for_signed_in_staff(client, directory):
    verified_login(client, make_persona(Role.STAFF))
    body = client.get(SERVICES).json()
    assert body["total_items"] == 2
    assert client.get(f"{SERVICES}/{directory.unpublished_service.uuid}").status_code == 404


def test_no_private_data_in_any_answer(api, directory):
    answers = [api.get(SERVICES).content.decode(), api.get(SERVICES, {"per_page": 1, "page": 2}).content.decode()]
    answers += [api.get(f"{SERVICES}/{service.uuid}").content.decode() for service in directory.services]
    text = "\n".join(answers)
    for secret in private_strings(directory):
        assert secret not in text, secret
    assert "funding" not in json.loads(answers[0])["contents"][0]


def test_pages(api, directory):
    first = api.get(SERVICES, {"per_page": 1}).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (2, 2, 1)
    assert (first["first_page"], first["last_page"]) == (True, False)
    second = api.get(SERVICES, {"per_page": 1, "page": 2}).json()
    assert (second["page_number"], second["first_page"], second["last_page"]) == (2, False, True)
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    beyond = api.get(SERVICES, {"per_page": 1, "page": 5})
    assert beyond.status_code == 404
    assert beyond.json()["detail"] == "There is no page 5: there are 2 pages of 1."
    capped = api.get(SERVICES, {"per_page": 1000}).json()
    assert capped["size"] == 2 and capped["total_pages"] == 1


def test_search_and_open_referral_uk_filters(api, directory):
    advocacy = directory.services[1].categories.get()
    assert names(api, search="language") == ["Open Door Drop-in"]
    assert names(api, taxonomy_term_id=directory.parent_need.uuid) == ["Open Door Drop-in"]
    assert names(api, taxonomy_term_id=advocacy.uuid) == ["Women's safe space"]
    assert names(api, taxonomy_term_id=uuid.uuid4()) == []
    assert len(names(api, taxonomy_id=Taxonomy.objects.get(name="Waymark needs").uuid)) == 2
    assert names(api, taxonomy_id=uuid.uuid4()) == []
    assert names(api, minimum_age=70) == ["Women's safe space"]
    assert names(api, maximum_age=10) == ["Women's safe space"]
    assert names(api, minimum_age=30, maximum_age=40) == ["Open Door Drop-in", "Women's safe space"]
    assert names(api, day="Monday") == names(api, day="MO") == ["Open Door Drop-in"]
    assert names(api, day="sunday") == []
    assert names(api, day="WE", start_time="18:00") == ["Open Door Drop-in"]
    assert names(api, start_time="20:30") == []
    assert names(api, end_time="08:30") == []
    assert names(api, end_time="09:30") == ["Open Door Drop-in"]
    runner = directory.services[1].organisation
    assert names(api, organization_id=runner.uuid) == sorted(
        service.name for service in Service.objects.public().filter(organisation=runner)
    )
    assert "Women's safe space" in names(api, organization_id=runner.uuid)
    assert names(api, organization_id=uuid.uuid4()) == []


def test_waymark_filters(api, directory):
    community = Community.objects.order_by("name").first()
    assert names(api, language="urd") == names(api, language="URD") == ["Open Door Drop-in"]
    assert names(api, language="zzz") == []
    assert names(api, community=community.pk) == ["Open Door Drop-in"]
    assert names(api, ward=directory.ward.code) == ["Open Door Drop-in"]  # the refuge's ward is never found
    assert names(api, referral="professional") == ["Women's safe space"]
    assert names(api, free="true") == ["Open Door Drop-in"]
    assert names(api, postcode="ZY2 3CC") == ["Open Door Drop-in", "Women's safe space"]
    services.replace_schedules(
        actor=directory.staff,
        service=directory.services[1],
        schedules=[
            {"weekday": day, "opens_at": datetime.time(0, 0), "closes_at": datetime.time(23, 59, 59), "notes": ""}
            for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
        ],
    )
    assert "Women's safe space" in names(api, open_now="true")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"per_page": "many"}, "per_page"),
        ({"day": "Funday"}, "day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "14:00", "end_time": "09:00"}, "end_time"),
        ({"minimum_age": "old"}, "minimum_age"),
        ({"taxonomy_term_id": "needs"}, "taxonomy_term_id"),
        ({"referral": "friend"}, "referral"),
    ],
)
def test_a_wrong_parameter_is_named_in_a_400(api, directory, params, field):
    response = api.get(SERVICES, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_throttled_at_the_anonymous_rate(api, directory, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert [api.get(ROOT).status_code for _ in range(3)] == [200, 200, 429]


def test_answers_match_the_documented_openapi_schema(api, directory, tmp_path):
    """Every field the API sends is documented, with the documented type: nothing more, nothing missing."""
    schema_file = tmp_path / "openapi.json"
    call_command("spectacular", file=str(schema_file), format="openapi-json")
    document = json.loads(schema_file.read_text())
    strict = copy.deepcopy(document)
    for component in strict["components"]["schemas"].values():
        if component.get("type") == "object" and "properties" in component:
            component["additionalProperties"] = False

    def validator(name):
        return Draft202012Validator({**strict, "$ref": f"#/components/schemas/{name}"})

    page = api.get(SERVICES).json()
    assert list(validator("HsdsServicePage").iter_errors(page)) == []
    detail = api.get(f"{SERVICES}/{directory.public_service.uuid}").json()
    assert list(validator("HsdsService").iter_errors(detail)) == []
    assert list(validator("DirectoryInfo").iter_errors(api.get(ROOT).json())) == []
    paths = document["paths"]
    assert {"/api/v1/directory/", "/api/v1/directory/services", "/api/v1/directory/services/{id}"} <= set(paths)
    assert "/api/v1/directory/services/" not in paths


def test_a_page_costs_the_same_few_queries_however_many_services_it_holds(api, directory):
    with CaptureQueriesContext(connection) as small:
        api.get(SERVICES)
    for number in range(5):
        service = services.create_service(
            actor=directory.staff,
            organisation=directory.organisations[number % 2],
            data={"name": f"Extra service {number}", "description": "More help.", "phone": "0", "published": True},
        )
        services.set_service_locations(
            actor=directory.staff, service=service, locations=[directory.open_location, directory.district_location]
        )
        services.replace_contacts(actor=directory.staff, service=service, contacts=[{"title": "Desk", "phone": "1"}])
    with CaptureQueriesContext(connection) as large:
        body = api.get(SERVICES).json()
    assert body["size"] == 7
    assert len(large.captured_queries) == len(small.captured_queries)
