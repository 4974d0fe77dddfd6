"""Population imports (census shape): one year's counts by area, ethnic group, age band and sex,
replacing that year's figures for the areas in the file."""

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from waymark.core.jobs import Progress
from waymark.monitoring.choices import AGE_BANDS, Sex
from waymark.monitoring.codes import code_lookup
from waymark.monitoring.imports.errors import MAX_LISTED_ERRORS, Check, ErrorLog, collect_errors, error_mask
from waymark.monitoring.imports.lookups import AGE_BAND_LIST, SEXES, AreaLookup, band_values, sex_values
from waymark.monitoring.imports.reading import collect, index_of, require_columns, scan_table, text_of, upper_text_of
from waymark.monitoring.imports.writing import PreparedImport
from waymark.monitoring.models import (
    ImportBatch,
    PopulationFigure,
)

POPULATION_REQUIRED = ["area_code", "ethnic_group_code", "age_band", "sex", "count"]


def prepare_population(batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress) -> PreparedImport:
    """Validate a census-shaped file; on success it replaces that year's figures for the areas it covers."""
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path)
    names = lazy.collect_schema().names()
    require_columns(names, POPULATION_REQUIRED, log)
    if log:
        return PreparedImport(rows_read=0)
    raw = collect(lazy.select(["row", *POPULATION_REQUIRED]))
    progress(1, 4, _("Checking %(count)s rows") % {"count": f"{raw.height:,}"})
    codes = code_lookup(batch.code_set_id)
    areas = AreaLookup.load()
    stated_codes = {code: group_id for code, group_id in codes.group_ids.items() if code in codes.stated}
    frame = raw.with_columns(
        index_of(upper_text_of("area_code"), areas.ids).alias("area_id"),
        index_of(upper_text_of("ethnic_group_code"), stated_codes).alias("ethnic_group_id"),
        index_of(upper_text_of("age_band"), band_values(), pl.UInt8).alias("age_index"),
        index_of(upper_text_of("sex"), sex_values(), pl.UInt8).alias("sex_index"),
        text_of("count").str.to_integer(strict=False).alias("count_value"),
    )
    checks = [
        Check("area_code", _("Unknown area code."), pl.col("area_id").is_null()),
        Check(
            "ethnic_group_code",
            _("Not a code in %(set)s.") % {"set": batch.code_set.name},
            pl.col("ethnic_group_id").is_null(),
        ),
        Check(
            "age_band",
            _("Age band must be one of 0-4, 5-9 … 80-84, 85+."),
            pl.col("age_index").is_null() | (pl.col("age_index") == len(AGE_BANDS)),
        ),
        Check(
            "sex",
            _("Sex must be Female or Male."),
            pl.col("sex_index").is_null() | (pl.col("sex_index") == SEXES.index(Sex.UNKNOWN)),
        ),
        Check("count", _("Count must be a whole number."), pl.col("count_value").is_null() & (text_of("count") != "")),
        Check("count", _("Count is missing."), text_of("count") == ""),
        Check("count", _("Counts cannot be negative."), pl.col("count_value") < 0),
    ]
    frame = frame.with_columns(error_mask(checks))
    key = ["area_id", "ethnic_group_id", "age_index", "sex_index"]
    duplicate = frame.filter(pl.col("_err") == 0).filter(pl.len().over(key) > 1)
    for row in duplicate.sort("row").select("row").to_series():
        log.add(row, "count", "", _("Another row has the same area, ethnic group, age band and sex."))
    collect_errors(
        frame,
        raw.filter(pl.col("row").is_in(frame.filter(pl.col("_err") != 0)["row"].head(MAX_LISTED_ERRORS).implode())),
        checks,
        log,
    )
    invalid = frame.filter(pl.col("_err") != 0).height + duplicate.height
    if log:
        return PreparedImport(rows_read=raw.height, rows_invalid=invalid)
    progress(2, 4, _("Preparing the figures"))
    figures = frame.select(
        pl.lit(batch.population_year).alias("year"),
        "area_id",
        "ethnic_group_id",
        pl.col("age_index").replace_strict(dict(enumerate(AGE_BAND_LIST)), return_dtype=pl.String).alias("age_band"),
        pl.col("sex_index").replace_strict(dict(enumerate(SEXES)), return_dtype=pl.String).alias("sex"),
        pl.col("count_value").alias("count"),
    )
    area_ids = figures["area_id"].unique().to_list()

    def replace(new: ImportBatch) -> list[ImportBatch]:
        old = PopulationFigure.objects.filter(year=new.population_year or 0, area_id__in=area_ids)
        replaced = list(ImportBatch.objects.filter(pk__in=old.values("batch_id")).distinct())
        old.delete()
        return replaced

    return PreparedImport(
        rows_read=raw.height,
        tables=[(PopulationFigure, ["year", "area_id", "ethnic_group_id", "age_band", "sex", "count"], figures)],
        replace_scope=replace,
    )
