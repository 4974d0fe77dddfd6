"""Test factories for monitoring: providers, nested areas, batches and the count rows pages read."""

import datetime
from pathlib import Path
from typing import Any

import factory
import openpyxl
import polars as pl

from waymark.core.choices import AreaType, OrganisationType
from waymark.core.factories import AreaFactory, OrganisationFactory
from waymark.core.models import EthnicCodeSet, EthnicGroup
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.monitoring.choices import ImportKind, ImportStatus, Measure, PeriodType, Sex
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    LocalSubCategory,
    PeopleCount,
    PopulationFigure,
)


def ethnic_group(code: str, code_set: str = NHS_ETHNIC_CATEGORY) -> EthnicGroup:
    """A reference ethnic group by code (the migrations load both code sets)."""
    return EthnicGroup.objects.get(code_set__slug=code_set, code=code)


class ProviderFactory(OrganisationFactory):
    """An NHS trust with an ODS code."""

    org_type = OrganisationType.NHS_TRUST
    name = factory.Sequence(lambda n: f"Test NHS Foundation Trust {n}")
    ods_code = factory.Sequence(lambda n: f"T{n:02d}")


class RegionFactory(AreaFactory):
    area_type = AreaType.REGION
    code = factory.Sequence(lambda n: f"E12{n:06d}")
    name = factory.Sequence(lambda n: f"Region {n}")
    vintage = 2021


class LocalAuthorityFactory(AreaFactory):
    area_type = AreaType.LOCAL_AUTHORITY
    code = factory.Sequence(lambda n: f"E09{n:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    vintage = 2021
    parent = factory.SubFactory(RegionFactory)


class MsoaFactory(AreaFactory):
    area_type = AreaType.MSOA
    code = factory.Sequence(lambda n: f"E02{n:06d}")
    name = factory.Sequence(lambda n: f"MSOA {n}")
    vintage = 2021
    parent = factory.SubFactory(LocalAuthorityFactory)


class LsoaFactory(AreaFactory):
    area_type = AreaType.LSOA
    code = factory.Sequence(lambda n: f"E01{n:06d}")
    name = factory.Sequence(lambda n: f"LSOA {n}")
    vintage = 2021
    parent = factory.SubFactory(MsoaFactory)


class LocalSubCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalSubCategory

    parent = factory.LazyFunction(lambda: ethnic_group("N"))
    code = factory.Sequence(lambda n: f"N{n}")
    label = factory.Sequence(lambda n: f"Sub-category {n}")


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A finished activity batch (no file behind it)."""

    class Meta:
        model = ImportBatch

    kind = ImportKind.ACTIVITY
    status = ImportStatus.SUCCEEDED
    provider = factory.SubFactory(ProviderFactory)
    code_set = factory.LazyFunction(lambda: EthnicCodeSet.objects.get(slug=NHS_ETHNIC_CATEGORY))
    file_name = factory.Sequence(lambda n: f"extract-{n}.csv")
    sha256 = "0" * 64
    period_start = datetime.date(2024, 4, 1)
    period_end = datetime.date(2025, 3, 31)
    measures = factory.LazyFunction(lambda: [Measure.MHA_DETENTION.value])


class PopulationBatchFactory(ImportBatchFactory):
    kind = ImportKind.POPULATION
    provider: Any = None
    code_set = factory.LazyFunction(lambda: EthnicCodeSet.objects.get(slug=ONS_2021))
    period_start: Any = None
    period_end: Any = None
    population_year = 2021
    measures = factory.LazyFunction(list)


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    batch = factory.SubFactory(PopulationBatchFactory)
    year = 2021
    area = factory.SubFactory(LocalAuthorityFactory)
    ethnic_group = factory.LazyFunction(lambda: ethnic_group("13", ONS_2021))
    age_band = "25-29"
    sex = Sex.FEMALE
    count = 1000


class ActivityCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityCount

    batch = factory.SubFactory(ImportBatchFactory)
    provider = factory.SelfAttribute("batch.provider")
    measure = Measure.MHA_DETENTION
    period_start = datetime.date(2024, 4, 1)
    area = factory.SubFactory(LocalAuthorityFactory)
    ethnic_group = factory.LazyFunction(lambda: ethnic_group("A"))
    events = 10
    by_age_sex = factory.LazyAttribute(lambda count: {f"25-29|{Sex.FEMALE.value}": count.events})


class PeopleCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeopleCount

    batch = factory.SubFactory(ImportBatchFactory)
    provider = factory.SelfAttribute("batch.provider")
    measure = Measure.MHA_DETENTION
    period_type = PeriodType.YEAR
    period_start = datetime.date(2024, 4, 1)
    area = factory.SubFactory(LocalAuthorityFactory)
    ethnic_group = factory.LazyFunction(lambda: ethnic_group("A"))
    people = 8
    by_age_sex = factory.LazyAttribute(lambda count: {f"25-29|{Sex.FEMALE.value}": count.people})


class DataQualityFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataQualityFigure

    batch = factory.SubFactory(ImportBatchFactory)
    provider = factory.SelfAttribute("batch.provider")
    measure = Measure.MHA_DETENTION
    period_start = datetime.date(2024, 4, 1)
    records = 100
    valid_stated = 92
    not_stated = 4
    not_known = 3
    invalid_code = 1
    missing_area = 2


def activity_record(**fields: Any) -> dict[str, str]:
    """One record-level row as the import reads it, with valid defaults."""
    row = {
        "person_id": "P1",
        "ethnic_code": "A",
        "age": "34",
        "sex": "F",
        "area_code": "",
        "provider_code": "",
        "service": "CMHT",
        "measure": "mha_detention",
        "date": "2024-05-10",
    }
    row.update({key: str(value) for key, value in fields.items()})
    return row


def write_table(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write rows as CSV, XLSX or Parquet by the path's suffix (every column as text)."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append(list(row))
        workbook.save(path)
    elif path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)
    return path
