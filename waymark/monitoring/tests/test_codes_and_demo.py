"""The default grouping's mappings, the synthetic generator's realism, and the demo hook."""

import datetime
import io

import polars as pl
import pytest
from django.core.management import call_command
from django.db.models import Sum

from waymark.core.models import EthnicGroup
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.monitoring.choices import ImportKind, ImportStatus, Measure, PeriodType
from waymark.monitoring.codes import mapping_for
from waymark.monitoring.demo import financial_years
from waymark.monitoring.generator import ExtractSpec, generate_chunks
from waymark.monitoring.models import (
    ActivityCount,
    AnalysisGrouping,
    DataQualityFigure,
    ImportBatch,
    LocalSubCategory,
    PeopleCount,
    PopulationFigure,
)


@pytest.mark.django_db
def test_default_grouping_maps_every_stated_code_of_both_sets_and_never_not_stated():
    grouping = AnalysisGrouping.objects.get(is_default=True)
    assert grouping.groups.count() == 16
    assert grouping.default_reference.label == "White British"
    mapping_set, mapping = mapping_for(grouping)
    assert "16 NHS ethnic categories" in str(mapping_set)
    stated = EthnicGroup.objects.filter(is_stated=True)
    assert set(mapping) == set(stated.values_list("pk", flat=True))
    not_stated = EthnicGroup.objects.filter(code_set__slug=NHS_ETHNIC_CATEGORY, code__in=["Z", "99"])
    assert not set(mapping) & set(not_stated.values_list("pk", flat=True))

    def group_of(code_set: str, code: str) -> str:
        source = EthnicGroup.objects.get(code_set__slug=code_set, code=code)
        return grouping.groups.get(pk=mapping[source.pk]).label

    assert group_of(ONS_2021, "16") == group_of(ONS_2021, "15") == "Any other White background"  # Roma, Traveller
    assert group_of(ONS_2021, "18") == "Any other ethnic group"  # Arab
    assert group_of(ONS_2021, "7") == group_of(NHS_ETHNIC_CATEGORY, "M") == "Caribbean"


def test_generator_shows_disproportionality_and_imperfect_coding():
    spec = ExtractSpec(
        provider_code="RXX",
        area_codes=["E01000001", "E01000002"],
        group_weights={"A": 60.0, "M": 10.0, "N": 10.0, "H": 20.0},
        start=datetime.date(2024, 4, 1),
        end=datetime.date(2025, 3, 31),
        rows=200_000,
        chunk_rows=70_000,
        completeness=0.9,
        sub_categories=[("N", "NSO", 0.4)],
    )
    frame = pl.concat(list(generate_chunks(spec)))
    assert frame.height == 200_000
    coded = frame["ethnic_code"].is_in(["A", "M", "N", "H", "NSO"]).mean()
    assert 0.88 <= coded <= 0.92
    detained = frame.filter(pl.col("measure") == "mha_detention")
    per_head = {code: detained.filter(pl.col("ethnic_code") == code).height / spec.group_weights[code] for code in "AM"}
    assert 3 <= per_head["M"] / per_head["A"] <= 5
    dates = frame["date"].str.to_date()
    assert dates.min() >= spec.start and dates.max() <= spec.end
    assert frame.filter(pl.col("ethnic_code") == "NSO").height > 0
    # The same seed gives the same extract.
    assert frame.head(1000).equals(pl.concat(list(generate_chunks(spec))).head(1000))


def test_financial_years_are_the_last_complete_ones():
    assert financial_years(datetime.date(2026, 11, 22), 3) == [2023, 2024, 2025]
    assert financial_years(datetime.date(2026, 3, 31), 2) == [2023, 2024]


@pytest.mark.django_db
def test_small_demo_loads_population_and_two_trusts_through_the_import(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())

    batches = ImportBatch.objects.all()
    assert batches.filter(kind=ImportKind.POPULATION, status=ImportStatus.SUCCEEDED).count() == 1
    activity = batches.filter(kind=ImportKind.ACTIVITY, status=ImportStatus.SUCCEEDED)
    assert activity.values("provider").distinct().count() == 2
    assert activity.count() == 6
    assert PopulationFigure.objects.aggregate(total=Sum("count"))["total"] > 20_000
    quality = DataQualityFigure.objects.aggregate(records=Sum("records"), stated=Sum("valid_stated"))
    assert 0.88 <= quality["stated"] / quality["records"] <= 0.93
    assert ActivityCount.objects.filter(local_sub_category__in=LocalSubCategory.objects.all()).exists()
    assert PeopleCount.objects.filter(period_type=PeriodType.YEAR, measure=Measure.MHA_DETENTION).exists()
