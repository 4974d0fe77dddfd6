"""Generated bad files never break the HSDS import: no exception escapes and a refused file writes nothing."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waymark.core.models import Organisation
from waymark.core.tests.bad_input import FUZZ_SETTINGS, bad_files, json_values, zip_of
from waymark.directory.hsds.importing import import_hsds_json, import_tabular_package, read_json_file
from waymark.directory.models import Location, Service

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = ["id", "name", "description", "status", "minimum_age", "maximum_age", "email", "url", "organization"]


def counts() -> tuple[int, int, int]:
    return Service.objects.count(), Location.objects.count(), Organisation.objects.count()


services = st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(SERVICE_FIELDS, json_values)), max_size=4).map(
    lambda contents: {"contents": contents}
)


@FUZZ_SETTINGS
@given(
    raw=st.one_of(
        st.binary(max_size=2_000), json_values.map(json.dumps).map(str.encode), services.map(json.dumps).map(str.encode)
    )
)
def test_a_bad_json_file_is_reported_not_raised(raw):
    before = counts()
    data, unreadable = read_json_file(raw)
    report = unreadable or import_hsds_json(data, actor=None)
    if report.errors:
        assert counts() == before
    json.dumps(report.as_dict())  # the report can be kept as the job's result


@FUZZ_SETTINGS
@given(
    tables=st.dictionaries(
        st.sampled_from(["services.csv", "organizations.csv", "locations.csv", "datapackage.json", "other.txt"]),
        bad_files([*SERVICE_FIELDS, "organization_id", "latitude", "longitude"]),
        max_size=4,
    ),
)
def test_a_bad_tabular_package_is_reported_not_raised(tables):
    before = counts()
    report = import_tabular_package(zip_of(tables), actor=None)
    if report.errors:
        assert counts() == before
    json.dumps(report.as_dict())


def test_a_nul_character_which_postgresql_cannot_store_is_refused_at_the_edge():
    data, unreadable = read_json_file(b'{"contents": [{"id": "x", "name": "Open\\u0000Door"}]}')
    assert data is None
    assert [str(problem) for problem in unreadable.errors] == [
        "the file: holds an invisible NUL character (\\u0000); remove it and try again"
    ]
    package = zip_of({"services.csv": b"id,name,status\nx,Open\x00Door,active\n"})
    report = import_tabular_package(package, actor=None)
    assert "services.csv row 2, column name: holds an invisible NUL character; remove it" in [
        str(problem) for problem in report.errors
    ]
    assert "\\u0000" not in json.dumps(report.as_dict())


@pytest.mark.parametrize(
    "services_csv",
    [
        b"id,name,status\nx,Open\rDoor,active\n",  # a carriage return alone inside a cell
        b"id,name,status\nx," + b"a" * 200_000 + b",active\n",  # a cell longer than Python's csv module reads
    ],
    ids=["carriage return in a cell", "cell over the csv field limit"],
)
def test_a_table_that_cannot_be_read_as_csv_is_reported_not_raised(services_csv):
    report = import_tabular_package(zip_of({"services.csv": services_csv}), actor=None)
    assert report.errors
    assert Service.objects.count() == 0
    json.dumps(report.as_dict())
