"""Open Referral UK exchange: HSDS JSON and tabular exports, imports, and the pages that run them."""

import csv
import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import JobStatus
from waymark.core.factories import zip_bomb
from waymark.core.models import Job, Organisation
from waymark.core.roles import Role
from waymark.directory.hsds.export import export_json
from waymark.directory.hsds.importing import import_hsds_json, import_tabular_package, read_json_file
from waymark.directory.hsds.schema import HSDS_DATAPACKAGE, derived_id, load_standard, service_schema_errors
from waymark.directory.hsds.tabular import export_tabular_package
from waymark.directory.hsds.tasks import IMPORT_JOB_NAME
from waymark.directory.models import (
    Contact,
    FundingSource,
    HolidayException,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from waymark.directory.tests.hsds_fixtures import (
    DISTRICT_POSTCODE,
    DISTRICT_STREET,
    HIDDEN_POSTCODE,
    HIDDEN_STREET,
    POINTS,
    SECRET_AMOUNT,
    SECRET_NOTE,
    make_directory,
)

pytestmark = pytest.mark.django_db

COUNTED = (Organisation, Service, Location, ServiceAtLocation, Contact, Schedule, HolidayException, FundingSource)


@pytest.fixture
def directory():
    return make_directory()


def canonical(value):
    """JSON with sorted keys and every list of records sorted by id, so order does not matter."""

    def sort(item):
        if isinstance(item, dict):
            return {key: sort(child) for key, child in item.items()}
        if isinstance(item, list):
            items = [sort(child) for child in item]
            if all(isinstance(child, dict) and "id" in child for child in items):
                items.sort(key=lambda child: child["id"])
            return items
        return item

    return json.dumps(sort(value), sort_keys=True, indent=1)


def counts():
    """How many of each record there are (of needs: the ones services use; the rest are not exported)."""
    numbers = {model.__name__: model.objects.count() for model in COUNTED}
    numbers["needs in use"] = TaxonomyTerm.objects.filter(services__isnull=False).distinct().count()
    numbers["taxonomies in use"] = Taxonomy.objects.filter(terms__services__isnull=False).distinct().count()
    return numbers


def empty_the_directory():
    """Delete every directory record and organisation, children before what they point at."""
    for model in (FundingSource, Contact, Schedule, HolidayException, ServiceAtLocation, Service, Location):
        model.objects.all().delete()
    while TaxonomyTerm.objects.exists():
        TaxonomyTerm.objects.filter(children__isnull=True).delete()
    Taxonomy.objects.all().delete()
    Organisation.objects.all().delete()


def unzip(package: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rezip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def private_strings(directory):
    hidden, district = directory.hidden_location, directory.district_location
    return [
        SECRET_NOTE,
        str(SECRET_AMOUNT),
        HIDDEN_STREET,
        HIDDEN_POSTCODE,
        DISTRICT_STREET,
        DISTRICT_POSTCODE,
        hidden.name,
        district.name,
        "Staff Only Person",
        "020 7946 0199",
        directory.unpublished_service.name,
        *(str(number) for postcode in (HIDDEN_POSTCODE, DISTRICT_POSTCODE) for number in POINTS[postcode]),
        *(str(float(number)) for postcode in (HIDDEN_POSTCODE, DISTRICT_POSTCODE) for number in POINTS[postcode]),
    ]


# --- Export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("public", [True, False])
def test_every_exported_service_is_valid_open_referral_uk(directory, public):
    exported = export_json(Service.objects.all(), public=public)
    assert exported["contents"]
    for service in exported["contents"]:
        assert service_schema_errors(service) == [], service["name"]


def test_exported_service_is_fully_nested_with_hsds_names(directory):
    exported = export_json(Service.objects.all(), public=False)
    service = next(item for item in exported["contents"] if item["name"] == "Open Door Drop-in")
    assert service["id"] == str(directory.public_service.uuid)
    assert service["status"] == "active"
    assert (service["minimum_age"], service["maximum_age"]) == (18, 65)
    assert service["organization"]["name"] == "Canal Side Wellbeing"
    assert service["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    assert {language["code"] for language in service["languages"]} == {"urd", "pol"}
    weekly = [schedule for schedule in service["schedules"] if schedule.get("freq") == "WEEKLY"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO", "09:00", "17:00"),
        ("WE", "13:00", "20:00"),
    ]
    terms = {
        a["taxonomy_term"]["code"]
        for a in service["attributes"]
        if a["taxonomy_term"].get("taxonomy") == "Waymark needs"
    }
    assert terms == {"counselling", "counselling-in-own-language"}
    location = next(
        link["location"] for link in service["service_at_locations"] if link["location"]["name"] == "Canal Side Centre"
    )
    assert location["addresses"][0]["postal_code"] == "ZY2 3CC"
    assert location["accessibility"][0]["description"] == "Step-free access"
    assert service["cost_options"][0]["amount"] == 0
    assert service["funding"][0]["source"] == "Rivertown Council"


def test_public_export_never_shows_private_data(directory):
    exported = export_json(Service.objects.all(), public=True)
    text = json.dumps(exported)
    for secret in private_strings(directory):
        assert secret not in text, secret
    assert {service["name"] for service in exported["contents"]} == {"Open Door Drop-in", "Women's safe space"}
    locations = [link["location"] for service in exported["contents"] for link in service["service_at_locations"]]
    district = [loc for loc in locations if loc["id"] == str(directory.district_location.uuid)]
    assert district and all(loc["addresses"][0]["postal_code"] == "ZX1" for loc in district)
    assert all("latitude" not in loc and loc["addresses"][0]["address_1"] == "" for loc in district)
    hidden = [loc for loc in locations if loc["id"] == str(directory.hidden_location.uuid)]
    assert hidden == [
        {
            "id": str(directory.hidden_location.uuid),
            "location_type": "physical",
            "organization_id": str(directory.hidden_location.organisation.uuid),
            "name": "Contact to arrange",
            "accessibility": [],
        }
    ]


def test_public_tabular_package_never_shows_private_data(directory):
    files = unzip(export_tabular_package(Service.objects.all(), public=True))
    assert "funding.csv" not in files
    everything = "\n".join(files.values())
    for secret in private_strings(directory):
        assert secret not in everything, secret


def test_staff_export_has_funding_but_never_internal_notes(directory):
    text = json.dumps(export_json(Service.objects.all(), public=False))
    package = "\n".join(unzip(export_tabular_package(Service.objects.all(), public=False)).values())
    for exported in (text, package):
        assert str(SECRET_AMOUNT) in exported
        assert HIDDEN_STREET in exported
        assert SECRET_NOTE not in exported


def test_tabular_package_has_one_csv_per_table_with_the_hsds_columns(directory):
    files = unzip(export_tabular_package(Service.objects.all(), public=False))
    descriptor = json.loads(files.pop("datapackage.json"))
    standard = {resource["name"]: resource for resource in load_standard(HSDS_DATAPACKAGE)["resources"]}
    assert sorted(resource["path"] for resource in descriptor["resources"]) == sorted(files)
    for resource in descriptor["resources"]:
        assert resource == standard[resource["name"]]
        header = next(csv.reader(io.StringIO(files[resource["path"]])))
        assert header == [column["name"] for column in resource["schema"]["fields"]]
    services = list(csv.DictReader(io.StringIO(files["services.csv"])))
    assert len(services) == 3
    assert {row["status"] for row in services} == {"active", "temporarily closed"}


# --- Import ----------------------------------------------------------------------------------------


def test_json_round_trip_into_an_empty_database_creates_every_record(directory):
    exported = export_json(Service.objects.all(), public=False)
    before = counts()
    empty_the_directory()
    assert Service.objects.count() == Organisation.objects.count() == 0

    report = import_hsds_json(json.loads(json.dumps(exported)), actor=directory.staff)

    assert report.errors == []
    assert counts() == before
    assert report.created["services"] == 3
    assert canonical(export_json(Service.objects.all(), public=False)) == canonical(exported)


def test_tabular_round_trip_into_an_empty_database_creates_every_record(directory):
    exported = export_json(Service.objects.all(), public=False)
    package = export_tabular_package(Service.objects.all(), public=False)
    before = counts()
    empty_the_directory()

    report = import_tabular_package(package, actor=directory.staff)

    assert report.errors == []
    assert counts() == before
    assert canonical(export_json(Service.objects.all(), public=False)) == canonical(exported)


FORMULA_NAME = '=HYPERLINK("http://x","y")'
MARKDOWN_LIST = "- Drop in on Tuesdays\n- Bring a friend if you like"
ORGANISATION_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_typed_formulas_are_neutralised_in_the_tabular_package_and_come_back_exactly_on_import(directory):
    service = Service.objects.get(name="Open Door Drop-in")
    service.name, service.description = FORMULA_NAME, MARKDOWN_LIST
    service.save()
    service.organisation.name = ORGANISATION_FORMULA
    service.organisation.save()
    files = unzip(export_tabular_package(Service.objects.all(), public=False))  # all of it, to re-import
    services = {row["id"]: row for row in csv.DictReader(io.StringIO(files["services.csv"]))}
    organisations = {row["id"]: row for row in csv.DictReader(io.StringIO(files["organizations.csv"]))}
    exported = services[str(service.uuid)]
    assert (exported["name"], exported["description"]) == ("'" + FORMULA_NAME, "'" + MARKDOWN_LIST)
    assert organisations[exported["organization_id"]]["name"] == "'" + ORGANISATION_FORMULA
    empty_the_directory()

    report = import_tabular_package(rezip(files), actor=directory.staff)

    assert report.errors == []
    imported = Service.objects.get(uuid=service.uuid)
    assert (imported.name, imported.description) == (FORMULA_NAME, MARKDOWN_LIST)
    assert imported.organisation.name == ORGANISATION_FORMULA


def test_importing_the_same_export_again_changes_nothing(directory):
    exported = export_json(Service.objects.all(), public=False)
    before = counts()
    report = import_hsds_json(exported, actor=directory.staff)
    assert report.errors == []
    assert counts() == before
    assert "services" not in report.created
    assert canonical(export_json(Service.objects.all(), public=False)) == canonical(exported)


def test_json_import_lists_every_problem_at_once_and_writes_nothing(directory):
    exported = export_json(Service.objects.all(), public=False)
    first, _planned, third = exported["contents"]
    first["minimum_age"] = 12.5
    first["languages"][0].update(code="xxx", name="Klingon")
    first["schedules"][0]["opens_at"] = "25:00"
    first["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "ZQ9 9QQ"
    del first["service_at_locations"][0]["location"]["latitude"]
    del first["service_at_locations"][0]["location"]["longitude"]
    third["status"] = "open"
    third["email"] = "not an address"
    empty_the_directory()

    report = import_hsds_json(exported, actor=directory.staff)

    assert [str(problem) for problem in report.errors] == [
        "service 1 ('Open Door Drop-in'), field minimum_age: must be a whole number",
        "service 1 ('Open Door Drop-in'), language 1 ('Klingon'), field code: "
        "'xxx' is not a language Waymark knows (give its ISO 639-3 code, like 'urd')",
        "service 1 ('Open Door Drop-in'), location 1 ('Canal Side Centre'), address 1, field postal_code: "
        "'ZQ9 9QQ' is not in Waymark's postcode list: check it, or give the latitude and longitude",
        "service 1 ('Open Door Drop-in'), opening hours 1, field opens_at: '25:00' is not a time written like 09:30",
        "service 3 ('Women's safe space'), field email: must be an e-mail address",
        "service 3 ('Women's safe space'), field status: "
        "'open' is not one of active, inactive, defunct, temporarily closed",
    ]
    assert Service.objects.count() == Organisation.objects.count() == Location.objects.count() == 0
    grouped = dict(report.grouped_errors())
    assert grouped["service 1 ('Open Door Drop-in')"] == ["field minimum_age: must be a whole number"]


def test_tabular_import_names_the_file_row_and_column_of_every_problem(directory):
    files = unzip(export_tabular_package(Service.objects.all(), public=False))
    services = list(csv.DictReader(io.StringIO(files["services.csv"])))
    schedules = list(csv.DictReader(io.StringIO(files["schedules.csv"])))
    row_of = {row["name"]: number for number, row in enumerate(services, start=2)}  # row 1 is the header
    by_name = {row["name"]: row for row in services}
    by_name["Women's safe space"]["status"] = "open"
    by_name["Planned peer group"]["minimum_age"] = "twelve"
    by_name["Planned peer group"]["name"] = ""
    open_door = str(directory.public_service.uuid)
    hours = [number for number, row in enumerate(schedules) if row["service_id"] == open_door and row["freq"]]
    schedules[hours[0]]["opens_at"] = "25:00"
    schedules[hours[1]]["service_id"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    for name, rows in (("services.csv", services), ("schedules.csv", schedules)):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        files[name] = out.getvalue()
    empty_the_directory()

    report = import_tabular_package(rezip(files), actor=directory.staff)

    safe_space, planned = row_of["Women's safe space"], row_of["Planned peer group"]
    assert sorted(str(problem) for problem in report.errors) == sorted(
        [
            f"schedules.csv row {hours[0] + 2}, column opens_at: '25:00' is not a time written like 09:30",
            f"schedules.csv row {hours[1] + 2}, column service_id: "
            "no row in services.csv has the id '3f2504e0-4f89-41d3-9a0c-0305e82c3301'",
            f"services.csv row {safe_space}, column status: "
            "'open' is not one of active, inactive, defunct, temporarily closed",
            f"services.csv row {planned}, column minimum_age: 'twelve' is not a number",
            f"services.csv row {planned}, column name: is missing",
        ]
    )
    assert Service.objects.count() == Organisation.objects.count() == 0


def test_rules_are_checked_even_on_a_service_the_schemas_reject(directory):
    exported = export_json(Service.objects.filter(pk=directory.public_service.pk), public=False)
    service = exported["contents"][0]
    service["status"] = "open"
    service["minimum_age"] = 70
    service["contacts"] = "call us"

    report = import_hsds_json(exported, actor=directory.staff)

    assert [str(problem) for problem in report.errors] == [
        "service 1 ('Open Door Drop-in'), field status: "
        "'open' is not one of active, inactive, defunct, temporarily closed",
        "service 1 ('Open Door Drop-in'), field contacts: must be a list",
        "service 1 ('Open Door Drop-in'), field maximum_age: "
        "The oldest age must be the same as or more than the youngest age.",
    ]


def test_an_import_that_is_not_hsds_says_so():
    bad_json, report = read_json_file(b'{"contents": [}')
    assert bad_json is None
    assert str(report.errors[0]).startswith("the file: is not valid JSON")
    assert [str(p) for p in import_hsds_json({"hello": 1}, actor=None).errors] == [
        "the file: is not HSDS services: expected a list of services or a page with 'contents'"
    ]
    assert [str(p) for p in import_tabular_package(b"not a zip", actor=None).errors] == ["the file: is not a ZIP file"]
    assert [str(p) for p in import_tabular_package(rezip({"readme.txt": "hi"}), actor=None).errors] == [
        "the file: has no services to import (no rows in services.csv)"
    ]


def test_import_matches_an_organisation_by_name_and_warns_of_likely_duplicates(directory):
    exported = export_json(Service.objects.filter(pk=directory.public_service.pk), public=False)
    service = exported["contents"][0]
    service["id"] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    service["organization"]["id"] = service["organization_id"] = "9a1b2c3d-4f89-41d3-9a0c-0305e82c3302"
    service["organization"]["name"] = "The Canal Side Wellbeing Ltd"
    service["funding"] = []
    service["organization"]["funding"] = []
    for link in service["service_at_locations"]:
        link["id"] = derived_id(link["id"], "copy")
    for record in service["contacts"] + service["schedules"]:
        record["id"] = derived_id(record["id"], "copy")
    organisations = Organisation.objects.count()

    report = import_hsds_json(exported, actor=directory.staff)

    assert report.errors == []
    assert Organisation.objects.count() == organisations
    assert report.matched_organisations == [
        "'The Canal Side Wellbeing Ltd' in the file is 'Canal Side Wellbeing', already in Waymark: "
        "its services were added to it"
    ]
    assert Service.objects.get(uuid=service["id"]).organisation == directory.public_service.organisation
    assert [str(warning) for warning in report.warnings] == [
        "service 1 ('Open Door Drop-in'): may be the same as 'Open Door Drop-in' already in Waymark "
        "(a similar name or the same postcode); check it is not listed twice"
    ]


def test_a_service_from_another_directory_comes_in_unpublished_with_what_hsds_tells(directory):
    ids = [str(uuid.uuid4()) for _ in range(12)]
    service = {
        "id": ids[0],
        "name": "Hope Café",
        "description": "Hot food and a friendly ear.",
        "status": "active",
        "url": "https://hope.example/cafe",
        "organization": {"id": ids[1], "name": "Hope Trust", "description": "A local trust."},
        "service_at_locations": [
            {
                "id": ids[2],
                "location": {
                    "id": ids[3],
                    "location_type": "physical",
                    "name": "Hope Hall",
                    "latitude": 51.5,
                    "longitude": -0.1,
                    "addresses": [
                        {
                            "id": ids[4],
                            "address_1": "5 High Street",
                            "city": "Rivertown",
                            "state_province": "",
                            "postal_code": "zy23cc",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "schedules": [
            {"id": ids[5], "freq": "WEEKLY", "byday": "TU,TH", "opens_at": "10:00:00Z", "closes_at": "12:30"},
            {"id": ids[6], "freq": "MONTHLY", "bymonthday": "1"},
        ],
        "languages": [{"id": ids[7], "name": "Polish"}],
        "attributes": [
            {
                "id": ids[8],
                "taxonomy_term_id": ids[9],
                "taxonomy_term": {"id": ids[9], "name": "Food banks", "description": "", "taxonomy": "Local needs"},
            }
        ],
        "funding": [{"id": ids[10], "source": "Lottery grant"}],
    }

    report = import_hsds_json([service], actor=directory.staff)

    assert report.errors == []
    imported = Service.objects.get(uuid=ids[0])
    assert (imported.published, imported.organisation.name) == (False, "Hope Trust")
    hours = [(s.weekday, s.opens_at.isoformat(), s.closes_at.isoformat()) for s in imported.schedules.all()]
    assert hours == [("TH", "10:00:00", "12:30:00"), ("TU", "10:00:00", "12:30:00")]
    assert [language.code for language in imported.languages.all()] == ["pol"]
    assert imported.categories.get().taxonomy.name == "Local needs"
    location = imported.locations.get()
    assert (location.postcode, location.visibility, float(location.latitude)) == ("ZY2 3CC", "full", 51.5)
    assert FundingSource.objects.get(uuid=ids[10]).funding_type == "grant"
    assert [str(warning) for warning in report.warnings] == [
        "service 1 ('Hope Café'), organisation ('Hope Trust'): "
        "has no organisation type; recorded as 'Unincorporated community group': check it",
        "service 1 ('Hope Café'), opening hours 2: "
        "was not imported: Waymark keeps weekly opening hours and holiday dates only",
        "service 1 ('Hope Café'), funding 1 ('Lottery grant'): has no funding type; recorded as 'Grant': check it",
    ]


# --- Pages -----------------------------------------------------------------------------------------


def test_import_page_is_for_people_who_may_import(client, directory):
    url = reverse("directory:hsds_import")
    assert client.get(url).status_code == 302
    verified_login(client, make_persona(Role.RESPONDER))
    assert client.get(url).status_code == 403
    verified_login(client, make_persona(Role.STAFF))
    response = client.get(url)
    assert response.status_code == 200
    assert "Check and import" in response.text


def test_uploaded_file_is_imported_by_a_job_whose_page_shows_the_report(
    client, directory, settings, django_capture_on_commit_callbacks
):
    exported = export_json(Service.objects.all(), public=False)
    Service.objects.filter(pk=directory.unpublished_service.pk).delete()
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "directory.json"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:hsds_import"), {"file": upload})

    job = Job.objects.get(name=IMPORT_JOB_NAME)
    assert response.status_code == 302
    assert response.url == reverse("directory:hsds_import_job", args=[job.uuid])
    assert job.status == JobStatus.SUCCEEDED
    assert job.created_by == staff
    assert Service.objects.filter(uuid=directory.unpublished_service.uuid).exists()
    assert not any((Path(settings.MEDIA_ROOT) / "imports").glob("*"))  # the upload is not kept
    page = client.get(response.url)
    assert "Import finished" in page.text
    assert "Services" in page.text


def test_a_rejected_file_fails_the_job_and_its_page_lists_every_problem(
    client, directory, django_capture_on_commit_callbacks
):
    exported = export_json(Service.objects.all(), public=False)
    exported["contents"][0]["minimum_age"] = -3
    exported["contents"][2]["status"] = "open"
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "directory.json"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:hsds_import"), {"file": upload})

    job = Job.objects.get(name=IMPORT_JOB_NAME)
    assert job.status == JobStatus.FAILED
    assert job.message == "Nothing was imported: the file has 2 problems to put right first."
    page = client.get(response.url)
    assert "Nothing was imported" in page.text
    assert "Service 1 (&#x27;Open Door Drop-in&#x27;)" in page.text
    assert "Field minimum_age: must be an age from 0 to 150" in page.text
    assert "Field status: &#x27;open&#x27; is not one of active, inactive, defunct, temporarily closed" in page.text


def test_a_file_that_is_neither_json_nor_zip_is_refused_on_the_form(client, directory):
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(b"name,phone\n")
    upload.name = "services.csv"
    response = client.post(reverse("directory:hsds_import"), {"file": upload})
    assert response.status_code == 200
    assert "Upload a JSON file, a ZIP file." in response.text
    assert not Job.objects.exists()


def test_a_zip_bomb_is_refused_on_the_form_naming_the_limit(client, directory, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "hsds": {**settings.UPLOAD_LIMITS["hsds"]}}
    settings.UPLOAD_LIMITS["hsds"]["max_uncompressed_bytes"] = 8 * 1024 * 1024
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(zip_bomb(32 * 1024 * 1024))
    upload.name = "package.zip"

    response = client.post(reverse("directory:hsds_import"), {"file": upload})

    assert response.status_code == 200
    assert "Unzipped, the file would be 32 MB; at most 8 MB is allowed." in response.text
    assert not Job.objects.exists()


def test_a_zip_bomb_that_reaches_the_import_is_refused_before_it_is_read(directory, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "hsds": {**settings.UPLOAD_LIMITS["hsds"]}}
    settings.UPLOAD_LIMITS["hsds"]["max_uncompressed_bytes"] = 8 * 1024 * 1024

    report = import_tabular_package(zip_bomb(32 * 1024 * 1024), actor=None)

    assert [str(problem) for problem in report.errors] == [
        "Unzipped, the file would be 32 MB; at most 8 MB is allowed. Split it into smaller files."
    ]


def test_a_table_longer_than_the_row_limit_stops_being_read_and_says_so(directory, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "hsds": {**settings.UPLOAD_LIMITS["hsds"]}}
    settings.UPLOAD_LIMITS["hsds"]["max_rows"] = 3
    files = unzip(export_tabular_package(Service.objects.all(), public=False))
    header, *rows = files["services.csv"].splitlines()
    files["services.csv"] = "\n".join([header, *(rows * 4)])

    report = import_tabular_package(rezip(files), actor=None)

    assert "services.csv: has more than 3 rows; import at most 3 at a time (reading stopped here)" in [
        str(problem) for problem in report.errors
    ]


def test_the_job_lists_the_first_thousand_problems_and_counts_the_rest(
    client, directory, django_capture_on_commit_callbacks
):
    exported = export_json(Service.objects.all(), public=False)
    service = exported["contents"][0]
    exported["contents"] = [{**service, "id": str(uuid.uuid4()), "minimum_age": -1} for _ in range(1_200)]
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "directory.json"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:hsds_import"), {"file": upload})

    job = Job.objects.get(name=IMPORT_JOB_NAME)
    assert job.message == "Nothing was imported: the file has 1,200 problems to put right first."
    assert len(job.result["errors"]) == 1_000
    page = client.get(response.url).text
    assert "The first 1000 are listed below; 200 more are not listed." in page


@pytest.mark.parametrize("name", ["directory:hsds_export", "directory:hsds_export_package"])
def test_anyone_may_download_the_public_export(client, directory, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(unzip(response.content).values()) if name.endswith("package") else response.content.decode()
    assert "Open Door Drop-in" in text
    for secret in private_strings(directory):
        assert secret not in text, secret


@pytest.mark.parametrize("name", ["directory:hsds_export", "directory:hsds_export_package"])
def test_the_staff_export_needs_a_working_role(client, directory, name):
    url = reverse(name) + "?scope=staff"
    assert client.get(url).status_code == 302
    verified_login(client, make_persona(Role.MEMBER))
    assert client.get(url).status_code == 403
    verified_login(client, make_persona(Role.STAFF))
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = "\n".join(unzip(response.content).values()) if name.endswith("package") else response.content.decode()
    assert str(SECRET_AMOUNT) in text
    assert directory.unpublished_service.name in text
    assert SECRET_NOTE not in text


def test_an_import_whose_worker_died_stops_polling_and_runs_again_from_its_kept_upload(
    client, directory, django_capture_on_commit_callbacks
):
    from waymark.core.jobs import reap_stale_jobs

    exported = export_json(Service.objects.all(), public=False)
    Service.objects.filter(pk=directory.unpublished_service.pk).delete()
    verified_login(client, make_persona(Role.STAFF))
    upload = io.BytesIO(json.dumps(exported).encode())
    upload.name = "directory.json"
    with django_capture_on_commit_callbacks(execute=False):  # queued, but no worker takes it
        response = client.post(reverse("directory:hsds_import"), {"file": upload})
    job = Job.objects.get(name=IMPORT_JOB_NAME)
    job.status, job.heartbeat_at = JobStatus.RUNNING, job.created_at
    job.save()
    assert 'hx-trigger="every 2s"' in client.get(response.url).text

    assert reap_stale_jobs(now=job.created_at + timedelta(hours=1)) == 1
    page = client.get(response.url).text
    assert "hx-trigger" not in page and "The worker stopped while this was running" in page and "Run again" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:job_run_again", args=[job.uuid]), {"next": response.url})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert Service.objects.filter(uuid=directory.unpublished_service.uuid).exists()
    assert "Import finished" in client.get(response.url).text
