"""Pre-aggregated counts: monthly events (and, optionally, distinct people) by area, ethnic code, age
band, sex and measure, as a provider already counted them."""

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from waymark.core.jobs import Progress
from waymark.monitoring.choices import PeriodType
from waymark.monitoring.codes import code_lookup
from waymark.monitoring.imports.counting import ACTIVITY_FIELDS, PEOPLE_FIELDS, QUALITY_FIELDS, collapse_age_sex
from waymark.monitoring.imports.errors import MAX_LISTED_ERRORS, Check, ErrorLog, collect_errors, error_mask
from waymark.monitoring.imports.lookups import (
    CODE_KIND_INVALID,
    CODE_KIND_NOT_KNOWN,
    CODE_KIND_NOT_STATED,
    CODE_KIND_STATED,
    MEASURES,
    AreaLookup,
    CodeTable,
    band_values,
    group_of,
    measure_values,
    sex_values,
)
from waymark.monitoring.imports.periods import activity_scope
from waymark.monitoring.imports.reading import collect, index_of, require_columns, scan_table, text_of, upper_text_of
from waymark.monitoring.imports.writing import PreparedImport
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
)

AGGREGATE_REQUIRED = ["month", "area_code", "ethnic_code", "age_band", "sex", "measure", "events"]


def prepare_aggregate(
    batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress, *, allow_invalid_codes: bool = False
) -> PreparedImport:
    """Validate a file of monthly counts; people counts, if given, are stored for that month and cell."""
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path)
    names = lazy.collect_schema().names()
    require_columns(names, AGGREGATE_REQUIRED, log)
    if log:
        return PreparedImport(rows_read=0)
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    has_people = "people" in names
    raw = collect(lazy)
    codes = CodeTable.build(code_lookup(batch.code_set_id))
    areas = AreaLookup.load()
    month_text = text_of("month")
    month = pl.coalesce(
        (month_text + "-01").str.to_date("%Y-%m-%d", strict=False), month_text.str.to_date("%Y-%m-%d", strict=False)
    ).dt.truncate("1mo")
    events = text_of("events").str.to_integer(strict=False)
    people_text = text_of("people") if has_people else pl.lit("")
    people = people_text.str.to_integer(strict=False)
    ethnic_index = index_of(upper_text_of("ethnic_code"), codes.index, pl.UInt8)
    checks = [
        Check("month", _("Month must look like 2024-04."), month.is_null()),
        Check(
            "month",
            _("Month is outside the import period."),
            month.is_not_null() & ((month < batch.period_start) | (month > batch.period_end)),
        ),
        Check(
            "area_code",
            _("Unknown area code."),
            index_of(upper_text_of("area_code"), areas.ids).is_null() & (text_of("area_code") != ""),
        ),
        Check(
            "ethnic_code",
            _("Not a code in %(set)s or a local sub-category.") % {"set": batch.code_set.name},
            pl.lit(False) if allow_invalid_codes else (ethnic_index.is_null() & (text_of("ethnic_code") != "")),
        ),
        Check(
            "age_band",
            _("Age band must be one of 0-4, 5-9 … 80-84, 85+ or blank."),
            index_of(upper_text_of("age_band"), band_values()).is_null(),
        ),
        Check(
            "sex",
            _("Sex must be Female, Male, or blank when not known."),
            index_of(upper_text_of("sex"), sex_values()).is_null(),
        ),
        Check(
            "measure",
            _("Measure must be one of: %(list)s.") % {"list": ", ".join(MEASURES)},
            index_of(upper_text_of("measure"), measure_values()).is_null(),
        ),
        Check("events", _("Events must be a whole number, 0 or more."), events.is_null() | (events < 0)),
        Check(
            "people",
            _("People must be blank or a whole number, 0 or more."),
            (people_text != "") & (people.is_null() | (people < 0)),
        ),
        Check(
            "people",
            _("People cannot be more than events."),
            people.is_not_null() & (events >= 0) & (people > events),
        ),
    ]
    frame = raw.with_columns(
        month.alias("month_value"),
        index_of(upper_text_of("area_code"), areas.ids).alias("area_id"),
        ethnic_index.alias("code_index"),
        index_of(upper_text_of("age_band"), band_values(), pl.UInt8).alias("age_index"),
        index_of(upper_text_of("sex"), sex_values(), pl.UInt8).alias("sex_index"),
        index_of(upper_text_of("measure"), measure_values(), pl.UInt8).alias("measure_index"),
        events.alias("events_value"),
        people.alias("people_value"),
        error_mask(checks),
    )
    invalid = frame.filter(pl.col("_err") != 0)
    if not invalid.is_empty():
        collect_errors(
            frame, raw.filter(pl.col("row").is_in(invalid["row"].head(MAX_LISTED_ERRORS).implode())), checks, log
        )
        return PreparedImport(rows_read=raw.height, rows_invalid=invalid.height)
    key = ["month_value", "area_id", "code_index", "age_index", "sex_index", "measure_index"]
    duplicate = frame.filter(pl.len().over(key) > 1).sort("row")
    for row in duplicate["row"]:
        log.add(row, "events", "", _("Another row has the same month, area, ethnic code, age band, sex and measure."))
    if log:
        return PreparedImport(rows_read=raw.height, rows_invalid=duplicate.height)
    progress(2, 4, _("Preparing the figures"))
    kinds = pl.col("code_index").replace_strict(
        dict(enumerate(codes.kinds)), default=CODE_KIND_INVALID, return_dtype=pl.UInt8
    )
    frame = frame.with_columns(kinds.alias("code_kind"), pl.col("month_value").alias("period_start"))
    labels = {
        "provider_id": pl.lit(batch.provider.pk),
        "measure": pl.col("measure_index").replace_strict(dict(enumerate(MEASURES)), return_dtype=pl.String),
        "ethnic_group_id": group_of(pl.col("code_index"), codes),
    }
    counts = collapse_age_sex(
        frame.drop("events").rename({"events_value": "events"}),
        ["period_start", "area_id", "measure_index", "code_index"],
        "events",
    ).select(
        labels["provider_id"].alias("provider_id"),
        labels["measure"].alias("measure"),
        "period_start",
        "area_id",
        labels["ethnic_group_id"].alias("ethnic_group_id"),
        pl.col("code_index")
        .replace_strict(dict(enumerate(codes.sub_ids)), default=None, return_dtype=pl.Int64)
        .alias("local_sub_category_id"),
        "events",
        "by_age_sex",
    )
    # A file's people counts must count each person once per month and area; sub-categories join their parent.
    people_rows = collapse_age_sex(
        frame.filter(pl.col("people_value").is_not_null())
        .with_columns(labels["ethnic_group_id"].alias("ethnic_group_id"))
        .drop("people", strict=False)
        .rename({"people_value": "people"}),
        ["period_start", "area_id", "measure_index", "ethnic_group_id"],
        "people",
    ).select(
        labels["provider_id"].alias("provider_id"),
        labels["measure"].alias("measure"),
        pl.lit(str(PeriodType.MONTH)).alias("period_type"),
        "period_start",
        "area_id",
        "ethnic_group_id",
        "people",
        "by_age_sex",
    )
    quality = (
        frame.group_by("period_start", "measure_index")
        .agg(
            pl.col("events_value").sum().alias("records"),
            pl.col("events_value").filter(pl.col("code_kind") == CODE_KIND_STATED).sum().alias("valid_stated"),
            pl.col("events_value").filter(pl.col("code_kind") == CODE_KIND_NOT_STATED).sum().alias("not_stated"),
            pl.col("events_value").filter(pl.col("code_kind") == CODE_KIND_NOT_KNOWN).sum().alias("not_known"),
            pl.col("events_value").filter(pl.col("code_kind") == CODE_KIND_INVALID).sum().alias("invalid_code"),
            pl.col("events_value").filter(pl.col("area_id").is_null()).sum().alias("missing_area"),
        )
        .select(
            labels["provider_id"].alias("provider_id"),
            labels["measure"].alias("measure"),
            "period_start",
            "records",
            "valid_stated",
            "not_stated",
            "not_known",
            "invalid_code",
            "missing_area",
        )
    )
    measures = sorted(quality["measure"].unique().to_list(), key=MEASURES.index)
    return PreparedImport(
        rows_read=raw.height,
        tables=[
            (ActivityCount, ACTIVITY_FIELDS, counts),
            (DataQualityFigure, QUALITY_FIELDS, quality),
            (PeopleCount, PEOPLE_FIELDS, people_rows),
        ],
        measures=measures,
        replace_scope=activity_scope(measures),
    )
