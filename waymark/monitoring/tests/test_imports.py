"""Imports: round trips, what a re-import replaces, and bad input named by row and field."""

import datetime
import random
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from waymark.core.choices import JobStatus
from waymark.core.reference_data import ONS_2021
from waymark.monitoring.choices import AGE_BAND_LIST, ImportKind, ImportStatus, Measure, PeriodType
from waymark.monitoring.factories import (
    LocalSubCategoryFactory,
    LsoaFactory,
    MsoaFactory,
    ProviderFactory,
    activity_record,
    ethnic_group,
    write_table,
)
from waymark.monitoring.imports.batches import import_path
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
    PopulationFigure,
    age_sex_array,
)
from waymark.monitoring.services.imports import start_activity_import, start_population_import

pytestmark = pytest.mark.django_db

YEAR_START = datetime.date(2024, 4, 1)
YEAR_END = datetime.date(2025, 3, 31)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def world():
    """A borough with two LSOAs in one MSOA, and a provider."""
    msoa = MsoaFactory()
    first, second = LsoaFactory(parent=msoa), LsoaFactory(parent=msoa)
    borough = msoa.parent
    return {
        "provider": ProviderFactory(ods_code="RXX"),
        "borough": borough,
        "region": borough.parent,
        "lsoas": [first, second],
    }


def import_activity(tmp_path, world, rows, name="extract.csv", start=YEAR_START, end=YEAR_END, **options):
    path = write_table(rows, tmp_path / name)
    return import_path(
        path, kind=ImportKind.ACTIVITY, provider=world["provider"], period_start=start, period_end=end, **options
    )


def events(**filters) -> int:
    return ActivityCount.objects.filter(**filters).aggregate(total=Sum("events"))["total"] or 0


def people(**filters) -> int:
    return PeopleCount.objects.filter(**filters).aggregate(total=Sum("people"))["total"] or 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_activity_round_trip_counts_events_people_and_quality(tmp_path, world, suffix):
    lsoa_a, lsoa_b = (area.code for area in world["lsoas"])
    rows = [
        # One person detained twice in May (first record coded M in LSOA a), then once in June.
        activity_record(person_id="p1", ethnic_code="M", age=34, area_code=lsoa_a, date="2024-05-02"),
        activity_record(person_id="p1", ethnic_code="Z", age=34, area_code=lsoa_b, date="2024-05-20"),
        activity_record(person_id="p1", ethnic_code="M", age=35, area_code=lsoa_a, date="2024-06-01"),
        activity_record(person_id="p2", ethnic_code="a", age=70, sex="Male", area_code=lsoa_b, date="2024-05-09"),
        activity_record(person_id="p3", ethnic_code="99", age="", sex="", area_code="", measure="Restraint"),
    ]
    batch = import_activity(tmp_path, world, rows, name=f"extract{suffix}")

    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == 5
    assert batch.measures == [Measure.MHA_DETENTION, Measure.RESTRAINT]
    assert len(batch.sha256) == 64
    assert not list(Path(tmp_path, "var", "monitoring", "uploads").iterdir())  # the upload is deleted
    assert Path(tmp_path, f"extract{suffix}").exists()  # but not the file it was imported from
    may = datetime.date(2024, 5, 1)
    assert events(measure=Measure.MHA_DETENTION, period_start=may) == 3
    assert events(measure=Measure.MHA_DETENTION, ethnic_group=ethnic_group("M")) == 2
    restrained = ActivityCount.objects.get(measure=Measure.RESTRAINT)
    assert (restrained.area, restrained.events, restrained.by_age_sex) == (None, 1, {"unknown|unknown": 1})
    may_a = ActivityCount.objects.get(period_start=may, ethnic_group=ethnic_group("A"))
    assert may_a.by_age_sex == {"70-74|male": 1}

    detained = {"measure": Measure.MHA_DETENTION, "provider": world["provider"]}
    # Distinct people: p1 once in May although detained twice, under the group of the first record.
    assert people(**detained, period_type=PeriodType.MONTH, period_start=may, area=None) == 2
    assert (
        people(**detained, period_type=PeriodType.MONTH, period_start=may, area=None, ethnic_group=ethnic_group("M"))
        == 1
    )
    assert people(**detained, period_type=PeriodType.YEAR, area=None) == 2
    year_m = PeopleCount.objects.get(**detained, period_type=PeriodType.YEAR, area=None, ethnic_group=ethnic_group("M"))
    assert year_m.by_age_sex == {"30-34|female": 1}  # p1's first record, although p1 turned 35 in June
    assert age_sex_array([year_m.by_age_sex])[AGE_BAND_LIST.index("30-34"), 0] == 1
    assert people(**detained, period_type=PeriodType.YEAR, area=world["borough"]) == 2
    assert people(**detained, period_type=PeriodType.YEAR, area=world["region"]) == 2
    assert people(**detained, period_type=PeriodType.QUARTER, period_start=datetime.date(2024, 4, 1), area=None) == 2
    # No LSOA-level people counts: roll-ups are local authority or coarser.
    assert not PeopleCount.objects.filter(area__in=world["lsoas"]).exists()

    quality = DataQualityFigure.objects.get(measure=Measure.MHA_DETENTION, period_start=may)
    assert (quality.records, quality.valid_stated, quality.not_stated, quality.not_known) == (3, 2, 1, 0)
    restraint = DataQualityFigure.objects.get(measure=Measure.RESTRAINT)
    assert (restraint.not_known, restraint.missing_area) == (1, 1)


def test_distinct_people_match_a_count_by_hand(tmp_path, world):
    """Every people figure is a plain count of each person's earliest record in that roll-up."""
    rng = random.Random(11)
    lsoas = [area.code for area in world["lsoas"]]
    rows, seen = [], set()
    for _ in range(600):
        person, measure = f"p{rng.randrange(60)}", rng.choice(["mha_detention", "cto"])
        day = YEAR_START + datetime.timedelta(days=rng.randrange(365))
        if (person, measure, day) in seen:
            continue  # one record a day per person and measure: "earliest" is never a tie
        seen.add((person, measure, day))
        rows.append(
            activity_record(
                person_id=person,
                measure=measure,
                date=day.isoformat(),
                area_code=rng.choice([*lsoas, ""]),
                ethnic_code=rng.choice(["M", "A", "N", "Z"]),
                age=rng.choice(["20", "41"]),
                sex=rng.choice(["F", "M"]),
            )
        )
    batch = import_activity(tmp_path, world, rows)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors

    def period_start(kind: str, day: datetime.date) -> datetime.date:
        if kind == PeriodType.MONTH:
            return day.replace(day=1)
        if kind == PeriodType.QUARTER:
            return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return datetime.date(day.year - (day.month < 4), 4, 1)  # financial year

    expected: Counter = Counter()
    for kind in PeriodType:
        for area in (None, world["borough"], world["region"]):
            earliest: dict[tuple, tuple] = {}
            for row in rows:
                if area is not None and not row["area_code"]:
                    continue
                day = datetime.date.fromisoformat(row["date"])
                key = (row["person_id"], row["measure"], period_start(kind, day))
                earliest[key] = min(earliest.get(key, (day, row["ethnic_code"])), (day, row["ethnic_code"]))
            for (_person, measure, start), (_day, code) in earliest.items():
                expected[(str(kind), start, area and area.pk, measure, ethnic_group(code).pk)] += 1
    found = Counter(
        {
            (count.period_type, count.period_start, count.area_id, count.measure, count.ethnic_group_id): count.people
            for count in PeopleCount.objects.all()
        }
    )
    assert found == expected


def test_a_file_on_another_file_system_is_copied_and_left_in_place(tmp_path, world, monkeypatch):
    def cannot_link(source, target):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr("waymark.monitoring.imports.batches.os.link", cannot_link)
    batch = import_activity(tmp_path, world, [activity_record(), activity_record(person_id="P2")])

    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert batch.rows_read == 2 and events() == 2
    assert Path(tmp_path, "extract.csv").exists()
    assert not list(Path(tmp_path, "var", "monitoring", "uploads").iterdir())


def test_other_column_names_are_understood(tmp_path, world):
    row = activity_record(provider_code="RXX")
    row["Provider ODS code"] = row.pop("provider_code")
    row["Ethnic Category"] = row.pop("ethnic_code")
    batch = import_activity(tmp_path, world, [row])
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors


def test_local_sub_category_counts_under_its_parent(tmp_path, world):
    somali = LocalSubCategoryFactory(parent=ethnic_group("N"), code="NSO", label="Somali")
    batch = import_activity(tmp_path, world, [activity_record(ethnic_code="nso")])
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    count = ActivityCount.objects.get()
    assert (count.ethnic_group, count.local_sub_category) == (ethnic_group("N"), somali)
    assert DataQualityFigure.objects.get().valid_stated == 1


def test_reimport_replaces_only_that_provider_period_and_measures(tmp_path, world):
    lsoa = world["lsoas"][0].code
    year_rows = [
        activity_record(person_id=f"p{month}", area_code=lsoa, date=f"2024-{month:02d}-10", measure=measure)
        for month in (4, 5, 6)
        for measure in ("mha_detention", "restraint")
    ]
    first = import_activity(tmp_path, world, year_rows, name="year.csv")
    other_provider = import_path(
        write_table([activity_record(provider_code="ROTHER", date="2024-05-03")], tmp_path / "other.csv"),
        kind=ImportKind.ACTIVITY,
        provider=ProviderFactory(ods_code="ROTHER"),
        period_start=YEAR_START,
        period_end=YEAR_END,
    )
    assert first.status == other_provider.status == ImportStatus.SUCCEEDED
    may = datetime.date(2024, 5, 1)
    corrected = [
        activity_record(person_id=f"q{n}", area_code=lsoa, date="2024-05-15", measure="mha_detention") for n in range(4)
    ]
    second = import_activity(tmp_path, world, corrected, name="may.csv", start=may, end=datetime.date(2024, 5, 31))

    assert second.status == ImportStatus.SUCCEEDED, second.errors
    provider = world["provider"]
    assert events(provider=provider, measure=Measure.MHA_DETENTION, period_start=may) == 4
    assert events(provider=provider, measure=Measure.MHA_DETENTION) == 6  # April and June kept
    assert events(provider=provider, measure=Measure.RESTRAINT) == 3  # not in the new file: untouched
    assert events(provider=other_provider.provider) == 1  # another provider: untouched
    assert list(second.replaced.all()) == [first]
    first.refresh_from_db()
    assert first.status == ImportStatus.SUCCEEDED  # it still holds April, June and restraint
    # The year and quarter that included the old May figures no longer claim a distinct-people count.
    detained = {"provider": provider, "measure": Measure.MHA_DETENTION}
    assert not PeopleCount.objects.filter(**detained, period_type=PeriodType.YEAR).exists()
    assert not PeopleCount.objects.filter(**detained, period_type=PeriodType.QUARTER, period_start=YEAR_START).exists()
    assert PeopleCount.objects.filter(provider=provider, measure=Measure.RESTRAINT, period_type=PeriodType.YEAR)
    assert "only part of" in second.message

    # Importing the whole file again takes over everything the first batch held: it is superseded.
    third = import_activity(tmp_path, world, year_rows, name="again.csv")
    first.refresh_from_db()
    assert first.status == ImportStatus.SUPERSEDED
    assert set(third.replaced.all()) == {first, second}


def test_bad_rows_are_named_by_row_and_field_and_nothing_is_written(tmp_path, world):
    rows = [
        activity_record(),
        activity_record(ethnic_code="Q7"),  # row 3
        activity_record(date="2024-13-01"),  # row 4
        activity_record(date="2023-01-05"),  # row 5: outside the period
        activity_record(age="-3", sex="unsure"),  # row 6
        activity_record(area_code="E01999999", provider_code="RZZ", measure="detained", person_id=" "),  # row 7
    ]
    batch = import_activity(tmp_path, world, rows)

    assert batch.status == ImportStatus.INVALID
    assert not ActivityCount.objects.exists() and not DataQualityFigure.objects.exists()
    found = {(error["row"], error["field"]) for error in batch.errors}
    assert found == {
        (3, "ethnic_code"),
        (4, "date"),
        (5, "date"),
        (6, "age"),
        (6, "sex"),
        (7, "area_code"),
        (7, "provider_code"),
        (7, "measure"),
        (7, "person_id"),
    }
    outside = next(error for error in batch.errors if error["row"] == 5)
    assert outside["value"] == "2023-01-05" and "outside" in outside["message"]
    assert batch.rows_invalid == 5
    assert batch.error_total == 9


def test_only_the_first_thousand_errors_are_listed_but_all_are_counted(tmp_path, world):
    rows = [activity_record(ethnic_code="??", date="1999-01-01") for _ in range(700)]
    batch = import_activity(tmp_path, world, rows)
    assert len(batch.errors) == 1000
    assert batch.error_total == 1400
    assert {(item["field"], item["count"]) for item in batch.error_summary} == {("ethnic_code", 700), ("date", 700)}


def test_invalid_codes_can_be_counted_instead_of_refused(tmp_path, world):
    rows = [activity_record(ethnic_code="Q7"), activity_record(ethnic_code=""), activity_record()]
    batch = import_activity(tmp_path, world, rows, allow_invalid_codes=True)
    assert batch.status == ImportStatus.SUCCEEDED
    quality = DataQualityFigure.objects.get()
    assert (quality.records, quality.valid_stated, quality.invalid_code) == (3, 1, 2)


def test_missing_columns_and_unreadable_files_are_reported(tmp_path, world):
    path = write_table([{"person_id": "p1", "date": "2024-05-01"}], tmp_path / "thin.csv")
    batch = import_path(
        path, kind=ImportKind.ACTIVITY, provider=world["provider"], period_start=YEAR_START, period_end=YEAR_END
    )
    assert batch.status == ImportStatus.INVALID
    assert {"ethnic_code", "measure", "age"} <= {error["field"] for error in batch.errors}

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    batch = import_path(
        broken, kind=ImportKind.ACTIVITY, provider=world["provider"], period_start=YEAR_START, period_end=YEAR_END
    )
    assert batch.status == ImportStatus.INVALID
    assert batch.errors[0]["field"] == "file" and "could not be read" in batch.errors[0]["message"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.xlsx", b"PK\x03\x04 a damaged workbook"), ("broken.parquet", b"PAR1 cut short PAR1")],
)
def test_an_unreadable_file_is_reported_without_the_servers_paths(tmp_path, world, name, content):
    broken = tmp_path / name
    broken.write_bytes(content)
    batch = import_path(
        broken, kind=ImportKind.ACTIVITY, provider=world["provider"], period_start=YEAR_START, period_end=YEAR_END
    )
    message = batch.errors[0]["message"]
    assert message.startswith("The file could not be read as a table: ")
    assert str(tmp_path) not in message and "/" not in message


def test_a_period_must_be_whole_months(tmp_path, world):
    path = write_table([activity_record()], tmp_path / "x.csv")
    with pytest.raises(ValidationError) as caught:
        import_path(
            path,
            kind=ImportKind.ACTIVITY,
            provider=world["provider"],
            period_start=datetime.date(2024, 4, 2),
            period_end=datetime.date(2024, 4, 29),
        )
    assert set(caught.value.message_dict) == {"period_start", "period_end"}


def population_rows(world, count="120"):
    return [
        {"area_code": lsoa.code, "ethnic_group_code": code, "age_band": band, "sex": sex, "count": count}
        for lsoa in world["lsoas"]
        for code in ("7", "13")
        for band in ("20-24", "85+")
        for sex in ("Female", "Male")
    ]


def test_population_round_trip_and_reimport(tmp_path, world):
    path = write_table(population_rows(world), tmp_path / "census.csv")
    batch = import_path(path, kind=ImportKind.POPULATION, population_year=2021)
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert PopulationFigure.objects.count() == 16
    caribbean = PopulationFigure.objects.filter(ethnic_group=ethnic_group("7", ONS_2021))
    assert caribbean.aggregate(total=Sum("count"))["total"] == 8 * 120

    again = import_path(
        write_table(population_rows(world, "7"), tmp_path / "v2.csv"), kind=ImportKind.POPULATION, population_year=2021
    )
    assert again.status == ImportStatus.SUCCEEDED
    assert PopulationFigure.objects.aggregate(total=Sum("count"))["total"] == 16 * 7
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUPERSEDED and list(again.replaced.all()) == [batch]


def test_population_bad_rows(tmp_path, world):
    rows = population_rows(world)
    rows[0]["count"] = "-4"
    rows[1]["count"] = ""
    rows[2]["area_code"] = "E01999999"
    rows[3]["ethnic_group_code"] = "Z"
    rows[4]["age_band"] = "20-29"
    rows[5] = dict(rows[6])  # a duplicate of the next row
    batch = import_path(write_table(rows, tmp_path / "census.csv"), kind=ImportKind.POPULATION, population_year=2021)
    assert batch.status == ImportStatus.INVALID
    assert not PopulationFigure.objects.exists()
    found = {(error["row"], error["field"], error["message"]) for error in batch.errors}
    assert (2, "count", "Counts cannot be negative.") in found
    assert (3, "count", "Count is missing.") in found
    assert {(row, field) for row, field, _message in found} >= {
        (4, "area_code"),
        (5, "ethnic_group_code"),
        (6, "age_band"),
    }
    assert {row for row, field, _message in found if "same area" in _message} == {7, 8}


def test_aggregate_import_round_trip_and_checks(tmp_path, world):
    lsoa = world["lsoas"][0].code
    rows = [
        {
            "month": "2024-05",
            "area_code": lsoa,
            "ethnic_code": "N",
            "age_band": "25-29",
            "sex": "F",
            "measure": "cto",
            "events": "6",
            "people": "4",
        },
        {
            "month": "2024-05",
            "area_code": "",
            "ethnic_code": "Z",
            "age_band": "",
            "sex": "",
            "measure": "cto",
            "events": "2",
            "people": "",
        },
    ]
    batch = import_path(
        write_table(rows, tmp_path / "counts.csv"),
        kind=ImportKind.AGGREGATE,
        provider=world["provider"],
        period_start=YEAR_START,
        period_end=YEAR_END,
    )
    assert batch.status == ImportStatus.SUCCEEDED, batch.errors
    assert events(measure=Measure.CTO) == 8
    assert people(measure=Measure.CTO, period_type=PeriodType.MONTH) == 4
    assert ActivityCount.objects.get(ethnic_group=ethnic_group("N")).by_age_sex == {"25-29|female": 6}
    quality = DataQualityFigure.objects.get()
    assert (quality.records, quality.valid_stated, quality.not_stated, quality.missing_area) == (8, 6, 2, 2)

    rows[0].update(events="-1", people="3")
    rows[1].update(events="2", people="5", month="2023-01")
    bad = import_path(
        write_table(rows, tmp_path / "bad.csv"),
        kind=ImportKind.AGGREGATE,
        provider=world["provider"],
        period_start=YEAR_START,
        period_end=YEAR_END,
    )
    assert bad.status == ImportStatus.INVALID
    assert {(e["row"], e["field"]) for e in bad.errors} == {(2, "events"), (3, "people"), (3, "month")}
    assert events(measure=Measure.CTO) == 8


def test_uploads_run_as_background_jobs(tmp_path, world, admin_user, django_capture_on_commit_callbacks):
    content = write_table([activity_record()], tmp_path / "x.csv").read_bytes()
    upload = SimpleUploadedFile("may.csv", content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_activity_import(
            actor=admin_user,
            uploaded_file=upload,
            provider=world["provider"],
            period_start=YEAR_START,
            period_end=YEAR_END,
        )
    batch.refresh_from_db()
    assert batch.job.status == JobStatus.SUCCEEDED
    assert batch.status == ImportStatus.SUCCEEDED and batch.uploaded_by == admin_user
    assert batch.job.result["batch"] == str(batch.uuid)
    assert batch.upload_path == "" and events() == 1

    census = write_table(population_rows(world), tmp_path / "p.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        population = start_population_import(
            actor=admin_user, uploaded_file=SimpleUploadedFile("p.csv", census), population_year=2021
        )
    population.refresh_from_db()
    assert population.status == ImportStatus.SUCCEEDED
    assert ImportBatch.objects.count() == 2
