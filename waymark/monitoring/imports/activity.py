"""Record-level activity extracts: one streaming read, every record checked, and the valid records
turned into small integer indexes for ``counting``. Record-level rows are never stored.

Only the person id is read as text per record (and hashed at once); every other column is read as
categories, so each distinct value is checked and looked up once."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from waymark.core.jobs import Progress
from waymark.monitoring.codes import code_lookup
from waymark.monitoring.imports.counting import ActivityRecords, aggregate_activity, in_background
from waymark.monitoring.imports.errors import MAX_LISTED_ERRORS, ErrorLog, shown
from waymark.monitoring.imports.lookups import (
    MAX_AGE,
    MEASURES,
    AreaLookup,
    CodeTable,
    age_band_of,
    band_values,
    measure_values,
    sex_values,
)
from waymark.monitoring.imports.reading import (
    FIRST_DATA_ROW,
    CategoryColumn,
    collect,
    date_format_of,
    index_of,
    require_columns,
    scan_table,
    text_of,
    upper_text_of,
)
from waymark.monitoring.imports.writing import PreparedImport
from waymark.monitoring.models import (
    ImportBatch,
)

ACTIVITY_REQUIRED = ["person_id", "ethnic_code", "sex", "area_code", "measure", "date"]


# Columns with few distinct values: read as categories, so each distinct text is checked and looked up once.
CATEGORY_COLUMNS = ("ethnic_code", "age", "age_band", "sex", "area_code", "provider_code", "measure", "date")


@dataclass
class RecordCheck:
    """One validation rule, decided once per distinct text of ``column`` (or per record where it is None)."""

    field: str
    message: str
    column: CategoryColumn | None  # where the value shown with the error comes from
    failed: np.ndarray  # bool per distinct text of column, or per record

    def any_failed(self) -> bool:
        if self.column is None:
            return bool(self.failed.any())
        return bool((self.failed & self.column.used).any())

    def failed_records(self) -> np.ndarray:
        return self.failed if self.column is None else self.failed[self.column.positions]


def log_record_errors(checks: list[RecordCheck], log: ErrorLog) -> int:
    """Count every failed check and list the first 1,000 by row and field; returns the invalid records."""
    if not any(check.any_failed() for check in checks):
        return 0
    failures = [check.failed_records() for check in checks]
    invalid = np.zeros(len(failures[0]), dtype=bool)
    for check, failed in zip(checks, failures, strict=True):
        count = int(failed.sum())
        if count:
            log.counts[(check.field, check.message)] += count
            invalid |= failed
    for position in np.flatnonzero(invalid)[:MAX_LISTED_ERRORS]:
        for check, failed in zip(checks, failures, strict=True):
            if failed[position] and len(log.listed) < MAX_LISTED_ERRORS:
                column = check.column
                value = column.texts[int(column.positions[position])] if column is not None else ""
                log.listed.append(
                    {
                        "row": int(position) + FIRST_DATA_ROW,
                        "field": check.field,
                        "value": shown(value),
                        "message": check.message,
                    }
                )
    return int(invalid.sum())


def prepare_activity(
    batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress, *, allow_invalid_codes: bool = False
) -> PreparedImport:
    """Validate a record-level extract in one streaming read, then count events and people from indexes."""
    records = read_activity(batch, path, log, progress, allow_invalid_codes=allow_invalid_codes)
    if isinstance(records, PreparedImport):
        return records  # the problems found
    # What was read is gone by now: only the records' small indexes are held while counting.
    progress(2, 4, _("Counting events and people"))
    return aggregate_activity(batch, records)


def read_activity(
    batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress, *, allow_invalid_codes: bool = False
) -> "ActivityRecords | PreparedImport":
    """The valid records as small integer indexes, or what was read and found wrong.

    Only the person id is read as text per record (and hashed); every other column is read as categories,
    so each distinct value is checked and looked up once and records carry small integer indexes.
    """
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path, categorical=CATEGORY_COLUMNS)
    names = lazy.collect_schema().names()
    require_columns(names, ACTIVITY_REQUIRED, log)
    if "age" not in names and "age_band" not in names:
        log.add(None, "age", "", _("The file needs an age or an age_band column."))
    if log:
        return PreparedImport(rows_read=0)
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    codes = CodeTable.build(code_lookup(batch.code_set_id))
    areas = AreaLookup.load()
    provider_code = batch.provider.ods_code.strip().upper()
    age_field = "age" if "age" in names else "age_band"
    read = [
        name
        for name in ("ethnic_code", age_field, "sex", "area_code", "provider_code", "measure", "date")
        if name in names
    ]
    frame = collect(
        lazy.with_columns(text_of("person_id").alias("person_id")).select(
            pl.col("person_id").hash().alias("person"), (pl.col("person_id") == "").alias("no_person"), *read
        ),
        streaming=True,
    )
    progress(1, 4, _("Checking %(count)s rows") % {"count": f"{frame.height:,}"})
    column = {name: CategoryColumn.of(frame[name]) for name in read}
    no_person = frame["no_person"].to_numpy()
    # Numbering people takes a while and needs no checks: it starts now, on a thread of its own.
    person = in_background(dense_numbers, frame["person"])
    del frame

    none_code = len(codes.group_ids)
    ethnic = column["ethnic_code"]
    code_per_text = ethnic.look_up(index_of(upper_text_of("ethnic_code"), codes.index, pl.UInt8))
    code = ethnic.per_record(code_per_text, none_code).astype(np.uint8)
    age_column = column[age_field]
    if age_field == "age":
        age_number = text_of("age").str.to_integer(strict=False)
        age_index = age_column.look_up(age_band_of(age_number))
        age_failed = age_column.look_up(
            (age_number.is_null() & (text_of("age") != "")) | (age_number < 0) | (age_number > MAX_AGE)
        )
        age_message = _("Age must be a whole number of years from 0 to %(max)s.") % {"max": MAX_AGE}
    else:
        age_index = age_column.look_up(index_of(upper_text_of("age_band"), band_values(), pl.UInt8))
        age_failed = age_index.is_null()
        age_message = _("Age band must be one of 0-4, 5-9 … 80-84, 85+ or blank.")
    sex_index = column["sex"].look_up(index_of(upper_text_of("sex"), sex_values(), pl.UInt8))
    area_column = column["area_code"]
    area_id_per_text = area_column.look_up(index_of(upper_text_of("area_code"), areas.ids))
    area_blank = area_column.look_up(text_of("area_code") == "")
    measure_index = column["measure"].look_up(index_of(upper_text_of("measure"), measure_values(), pl.UInt8))
    dates = column["date"]
    date_format = date_format_of(dates)
    date_per_text = dates.look_up(text_of("date").str.to_date(date_format, strict=False))
    outside = (date_per_text < batch.period_start) | (date_per_text > batch.period_end)

    def failed(per_text: pl.Series) -> np.ndarray:
        return per_text.fill_null(False).to_numpy().astype(bool)

    checks = [
        RecordCheck("person_id", _("Person id is missing."), None, no_person),
        RecordCheck(
            "ethnic_code",
            _("Not a code in %(set)s or a local sub-category.") % {"set": batch.code_set.name},
            ethnic,
            np.zeros(len(ethnic.texts), dtype=bool)
            if allow_invalid_codes
            else failed(code_per_text.is_null() & (ethnic.look_up(text_of("ethnic_code")) != "")),
        ),
        RecordCheck(age_field, age_message, age_column, failed(age_failed)),
        RecordCheck(
            "sex",
            _("Sex must be Female, Male, or blank when not known."),
            column["sex"],
            failed(sex_index.is_null()),
        ),
        RecordCheck(
            "area_code",
            _("Unknown area code."),
            area_column,
            failed(area_id_per_text.is_null() & ~area_blank),
        ),
    ]
    if "provider_code" in column:
        providers = column["provider_code"]
        checks.append(
            RecordCheck(
                "provider_code",
                _("This row is for another provider (this import is for %(code)s).") % {"code": provider_code},
                providers,
                failed(
                    providers.look_up(
                        (upper_text_of("provider_code") != provider_code) & (text_of("provider_code") != "")
                    )
                ),
            )
        )
    checks += [
        RecordCheck(
            "measure",
            _("Measure must be one of: %(list)s.") % {"list": ", ".join(MEASURES)},
            column["measure"],
            failed(measure_index.is_null()),
        ),
        RecordCheck(
            "date",
            _("Date must be a date such as %(example)s.")
            % {"example": datetime.date(2024, 4, 30).strftime(date_format)},
            dates,
            failed(date_per_text.is_null()),
        ),
        RecordCheck("date", _("Date is outside the import period."), dates, failed(outside)),
    ]
    rows_read = len(no_person)
    if rows_read == 0:
        log.add(None, "file", batch.file_name, _("The file has no rows."))
        return PreparedImport(rows_read=0)
    rows_invalid = log_record_errors(checks, log)
    if log:
        return PreparedImport(rows_read=rows_read, rows_invalid=rows_invalid)

    area_ids = sorted(set(area_id_per_text.drop_nulls().to_list()))
    area_position = {area_id: position + 1 for position, area_id in enumerate(area_ids)}
    day_per_text = date_per_text.cast(pl.Int32) - (batch.period_start - datetime.date(1970, 1, 1)).days
    records = ActivityRecords(
        person=person,
        code=code,
        age=age_column.per_record(age_index).astype(np.uint8),
        sex=column["sex"].per_record(sex_index).astype(np.uint8),
        area=area_column.per_record(
            area_id_per_text.replace_strict(area_position, default=0, return_dtype=pl.Int32), missing=0
        ),
        measure=column["measure"].per_record(measure_index).astype(np.uint8),
        day=dates.per_record(day_per_text).astype(np.int32),
        area_ids=area_ids,
        codes=codes,
        areas=areas,
    )
    return records


def dense_numbers(values: pl.Series) -> np.ndarray:
    """Number the distinct values 0, 1, 2 … in order: person numbers sort in fewer bits than 64-bit hashes.

    Ranked in a lazy query, which lets go of the GIL while it works, so other work goes on meanwhile.
    """
    ranked = values.to_frame("value").lazy().select(pl.col("value").rank("dense")).collect()
    return ranked.to_series().to_numpy() - 1
