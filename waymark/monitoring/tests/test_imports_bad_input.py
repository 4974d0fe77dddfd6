"""Generated bad files never break the monitoring imports: no exception escapes the import, the batch is
marked invalid with its problems, and nothing is written."""

import datetime
import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waymark.core.models import Area
from waymark.core.tests.bad_input import FUZZ_SETTINGS, bad_files
from waymark.monitoring.choices import ImportKind, ImportStatus
from waymark.monitoring.factories import LsoaFactory, ProviderFactory
from waymark.monitoring.imports.batches import import_path
from waymark.monitoring.models import ActivityCount, PeopleCount, PopulationFigure

pytestmark = pytest.mark.django_db

POPULATION_COLUMNS = ["area_code", "ethnic_group_code", "age_band", "sex", "count"]
ACTIVITY_COLUMNS = [
    "person_id",
    "ethnic_code",
    "age",
    "age_band",
    "sex",
    "area_code",
    "provider_code",
    "measure",
    "date",
]
AGGREGATE_COLUMNS = ["month", "area_code", "ethnic_code", "age_band", "sex", "measure", "events", "people"]


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def counts() -> tuple[int, int, int]:
    return PopulationFigure.objects.count(), ActivityCount.objects.count(), PeopleCount.objects.count()


def check(batch, before) -> None:
    assert batch.status in (ImportStatus.SUCCEEDED, ImportStatus.INVALID), batch.message
    if batch.status == ImportStatus.INVALID:
        assert counts() == before
        assert batch.errors
    json.dumps(batch.errors)


@FUZZ_SETTINGS
@given(data=bad_files(POPULATION_COLUMNS), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_a_bad_population_file_is_refused_whole(tmp_path, data, suffix):
    if not Area.objects.filter(code="E01000001").exists():
        LsoaFactory(code="E01000001")
    path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    before = counts()
    check(import_path(path, kind=ImportKind.POPULATION, population_year=2021), before)


@FUZZ_SETTINGS
@given(
    data=bad_files(ACTIVITY_COLUMNS + AGGREGATE_COLUMNS),
    suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]),
    kind=st.sampled_from([ImportKind.ACTIVITY, ImportKind.AGGREGATE]),
)
def test_a_bad_activity_file_is_refused_whole(tmp_path, data, suffix, kind):
    path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    before = counts()
    batch = import_path(
        path,
        kind=kind,
        provider=ProviderFactory(),
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
    )
    check(batch, before)


def test_a_nul_character_in_a_refused_value_is_not_kept_in_the_error_list(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(b"area_code,ethnic_group_code,age_band,sex,count\nE01000001,A\x00,20-24,F,-5\n")
    batch = import_path(path, kind=ImportKind.POPULATION, population_year=2021)
    assert batch.status == ImportStatus.INVALID
    assert "\\u0000" not in json.dumps(batch.errors)
