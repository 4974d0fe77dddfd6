"""Population, activity and pre-aggregated imports: read, validate, map codes, aggregate, write.

Every import is an ``ImportBatch`` run as a background job (``start_*_import``) or, for the demo and the
benchmark, in this process (``import_path``). Files are CSV, XLSX or Parquet; column names are matched
without regard to case, spaces or underscores.

- Population (census shape): ``area_code``, ``ethnic_group_code``, ``age_band`` ("0-4" … "85+"), ``sex``,
  ``count`` (other columns such as ``area_name`` are ignored). Replaces that year's figures for the areas
  in the file.
- Activity records: ``person_id`` (pseudonymous), ``ethnic_code``, ``age`` or ``age_band``, ``sex``,
  ``area_code`` (may be blank: counted as a missing area), ``provider_code`` or ``provider_ods_code``
  (ODS, may be blank),
  ``service`` (optional, not kept), ``measure``, ``date`` (YYYY-MM-DD or DD/MM/YYYY). Aggregated on import;
  record-level rows are never stored and the upload is deleted once the import has its outcome (only a
  worker that died part-way leaves it, for "Run again": ``import_jobs``). Ten million records import in
  well under ten seconds: one streaming read holds each record as small integers (every column but the
  person id is read as categories, so each distinct text is checked once), and the counting is done
  over whole arrays (``waymark.monitoring.cells``); see ``bench/monitoring_import.py``.
- Pre-aggregated counts: ``month`` (YYYY-MM), ``area_code``, ``ethnic_code``, ``age_band``, ``sex``,
  ``measure``, ``events``, optionally ``people`` (distinct people in that month and cell, stored as given).

Nothing is written if any row is invalid: the batch lists the first 1,000 errors by row and field and
counts all of them by field and message. Activity and pre-aggregated re-imports replace only that
provider's figures for the months of the declared period and the measures in the file, in one
transaction. Distinct people are counted on a 64-bit hash of the person id (a collision among ten
million ids has a chance of about three in a million).
"""

import datetime
import hashlib
import io
import json
import logging
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.choices import AreaType
from waymark.core.jobs import Progress, job_task, no_progress, start_job
from waymark.core.models import Area, EthnicCodeSet, Job, Organisation
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.core.uploads import without_paths
from waymark.monitoring.cells import (
    count_cells,
    count_packed,
    first_records,
    pack,
    packed_type,
    run_starts,
    same_person_and_measure,
    sort_records,
    unpack,
)
from waymark.monitoring.choices import AGE_BANDS, AGE_UNKNOWN, ImportKind, ImportStatus, Measure, PeriodType, Sex
from waymark.monitoring.codes import CodeLookup, code_lookup
from waymark.monitoring.import_jobs import follow_job, invalid_codes_note, upload_kept
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
    PopulationFigure,
)

logger = logging.getLogger(__name__)

MAX_LISTED_ERRORS = 1000
SUFFIXES = {".csv", ".xlsx", ".parquet"}
FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers them

SEX_VALUES = {
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
    "2": Sex.FEMALE,
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "1": Sex.MALE,
    "": Sex.UNKNOWN,
    "U": Sex.UNKNOWN,
    "UNKNOWN": Sex.UNKNOWN,
    "NOT KNOWN": Sex.UNKNOWN,
    "X": Sex.UNKNOWN,
    "9": Sex.UNKNOWN,
    "0": Sex.UNKNOWN,
}
SEXES = [Sex.FEMALE.value, Sex.MALE.value, Sex.UNKNOWN.value]
AGE_BAND_LIST = [*AGE_BANDS, AGE_UNKNOWN]
MEASURES = [m.value for m in Measure]
MAX_AGE = 120


# Other names files use for the same column.
COLUMN_ALIASES = {
    "provider_ods_code": "provider_code",
    "ods_code": "provider_code",
    "ethnic_category": "ethnic_code",
    "ethnic_category_code": "ethnic_code",
    "ethnicity": "ethnic_code",
}


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why in plain words."""


# --- Errors ---------------------------------------------------------------------------------------------


@dataclass
class ErrorLog:
    """The first 1,000 errors in full, and every error counted by field and message."""

    listed: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, row: int | None, field_name: str, value: Any, message: str) -> None:
        self.counts[(field_name, message)] += 1
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append({"row": row, "field": field_name, "value": _shown(value), "message": message})

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> list[dict[str, Any]]:
        return [
            {"field": field_name, "message": message, "count": count}
            for (field_name, message), count in sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        ]


def _shown(value: Any) -> str:
    """A value as the error list shows it; NUL characters, which PostgreSQL cannot store, are dropped."""
    text = "" if value is None else str(value).replace("\x00", "")
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Check:
    """One validation rule over a prepared frame: ``failed`` is a boolean expression per row."""

    field: str
    message: str
    failed: pl.Expr


def collect_errors(frame: pl.DataFrame, raw: pl.DataFrame, checks: list[Check], log: ErrorLog) -> None:
    """Add every failed check to ``log``: counts for all, details (row, field, value) for the first 1,000.

    ``frame`` holds ``row`` plus the ``_err`` bit mask (bit i = checks[i] failed); ``raw`` holds the raw
    text of the rows with errors, keyed by ``row``.
    """
    failed = frame.filter(pl.col("_err") != 0)
    if failed.is_empty():
        return
    for index, check in enumerate(checks):
        count = failed.select(((pl.col("_err") & (1 << index)) != 0).sum()).item()
        if count:
            log.counts[(check.field, check.message)] += count
    raw_by_row = {row["row"]: row for row in raw.iter_rows(named=True)}
    for row, mask in failed.select("row", "_err").head(MAX_LISTED_ERRORS).iter_rows():
        for index, check in enumerate(checks):
            if mask & (1 << index) and len(log.listed) < MAX_LISTED_ERRORS:
                value = raw_by_row.get(row, {}).get(check.field)
                log.listed.append({"row": row, "field": check.field, "value": _shown(value), "message": check.message})


def error_mask(checks: list[Check]) -> pl.Expr:
    """A UInt32 bit mask of the failed checks (0 = the row is valid)."""
    bits = [
        pl.when(check.failed).then(pl.lit(1 << i, pl.UInt32)).otherwise(pl.lit(0, pl.UInt32))
        for i, check in enumerate(checks)
    ]
    return pl.sum_horizontal(bits).cast(pl.UInt32).alias("_err") if bits else pl.lit(0, pl.UInt32).alias("_err")


# --- Reading files ---------------------------------------------------------------------------------------


def _normalise_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def scan_table(path: Path, categorical: Collection[str] = ()) -> pl.LazyFrame:
    """A lazy frame of the file with every column as text and normalised column names, plus ``row``.

    Columns named in ``categorical`` (normalised names) are read as categories, each with categories of its
    own: a column with few distinct values is then held as small integers and each text is stored once.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy")
            names = frame.collect_schema().names()
        elif suffix == ".parquet":
            frame = pl.scan_parquet(path)
            names = frame.collect_schema().names()
            frame = frame.select(pl.all().cast(pl.String))
        elif suffix == ".xlsx":
            eager = pl.read_excel(path, engine="calamine", infer_schema_length=0)
            frame = eager.lazy()
            names = eager.columns
        else:
            raise UnreadableFile(_("Upload a CSV, XLSX or Parquet file."))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise _unreadable(exc) from exc
    renamed = {name: _normalise_name(name) for name in names}
    present = set(renamed.values())
    renamed = {
        name: COLUMN_ALIASES[new] if new in COLUMN_ALIASES and COLUMN_ALIASES[new] not in present else new
        for name, new in renamed.items()
    }
    if len(set(renamed.values())) != len(renamed):
        raise UnreadableFile(_("Two columns have the same name once case and spaces are ignored."))
    as_categories = {
        name: pl.Categorical(pl.Categories.random()) for name, new in renamed.items() if new in categorical
    }
    if as_categories and suffix == ".csv":
        # Parsed straight into categories: the texts of these columns are never held row by row.
        frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", schema_overrides=as_categories)
    elif as_categories:
        frame = frame.with_columns(pl.col(name).cast(dtype) for name, dtype in as_categories.items())
    frame = frame.rename(renamed).with_columns(pl.all().fill_null(""))
    return frame.with_row_index("row", offset=FIRST_DATA_ROW)


def _unreadable(exc: Exception) -> UnreadableFile:
    text = without_paths(str(exc)).replace("\x00", "").strip()
    reason = text.splitlines()[0][:200] if text else type(exc).__name__
    return UnreadableFile(_("The file could not be read as a table: %(reason)s") % {"reason": reason})


def collect(lazy: pl.LazyFrame, *, streaming: bool = False) -> pl.DataFrame:
    """Run a lazy read; a malformed file (ragged rows, bad encoding) becomes an UnreadableFile."""
    try:
        return lazy.collect(engine="streaming" if streaming else "auto")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _unreadable(exc) from exc


def _require_columns(names: Iterable[str], required: Iterable[str], log: ErrorLog) -> None:
    present = set(names)
    for column in required:
        if column not in present:
            log.add(None, column, "", _("The file has no %(column)s column.") % {"column": column})


def _text(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars()


def _upper(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_uppercase()


def _index_of(expr: pl.Expr, values: dict[str, int], dtype: Any = pl.Int32) -> pl.Expr:
    """Each value's index in ``values``, or null when it is not there."""
    return expr.replace_strict(values, default=None, return_dtype=dtype)


# --- Look-ups shared by all kinds --------------------------------------------------------------------------


@dataclass
class AreaLookup:
    """Area codes (upper case) → ids, and for each coarse area type each area's ancestor of that type.

    People are counted for local authorities and coarser areas only (and for all areas together):
    finer areas would give counts too small to publish and many more rows.
    """

    ids: dict[str, int]
    levels: dict[str, dict[int, int]]  # area type → {area id: id of itself or its ancestor of that type}

    @classmethod
    def load(cls) -> "AreaLookup":
        coarse = {AreaType.LOCAL_AUTHORITY, AreaType.REGION, AreaType.ICB, AreaType.SUB_ICB}
        rows = list(Area.objects.order_by("vintage").values_list("pk", "code", "area_type", "parent_id"))
        ids = {code.upper(): pk for pk, code, _type, _parent in rows}  # newest vintage wins
        by_id = {pk: (area_type, parent) for pk, _code, area_type, parent in rows}
        levels: dict[str, dict[int, int]] = {}
        for pk in by_id:
            current: int | None = pk
            while current is not None:
                area_type, parent = by_id[current]
                if area_type in coarse:
                    levels.setdefault(area_type, {})[pk] = current
                current = parent
        return cls(ids=ids, levels=levels)


def _measure_values() -> dict[str, int]:
    """Measure slugs and labels, upper case, → index in MEASURES."""
    values: dict[str, int] = {}
    for index, measure in enumerate(Measure):
        values[measure.value.upper()] = index
        values[str(measure.label).upper()] = index
        values[measure.value.replace("_", " ").upper()] = index
    return values


def _sex_values() -> dict[str, int]:
    return {text: SEXES.index(sex.value) for text, sex in SEX_VALUES.items()}


def _band_values() -> dict[str, int]:
    values = {band: index for index, band in enumerate(AGE_BANDS)}
    values.update({band.replace("-", " to "): index for index, band in enumerate(AGE_BANDS)})
    values["85 AND OVER"] = values["85+"]
    values[""] = len(AGE_BANDS)
    values["UNKNOWN"] = len(AGE_BANDS)
    return {key.upper(): value for key, value in values.items()}


def age_band_of(age: pl.Expr) -> pl.Expr:
    """Index in AGE_BAND_LIST of an integer age (null → unknown)."""
    return (
        pl.when(age.is_null())
        .then(pl.lit(len(AGE_BANDS)))
        .otherwise((age // 5).clip(0, len(AGE_BANDS) - 1))
        .cast(pl.UInt8)
    )


# --- Batches and jobs --------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "monitoring" / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store_upload(source: Any, suffix: str) -> tuple[Path, str, int]:
    """Put an uploaded file or a path into the upload folder and hash it.

    A path on the same file system is hard-linked rather than copied (a large extract then costs no copy);
    the import deletes only the link.
    """
    target = _upload_dir() / f"{uuid.uuid4()}{suffix}"
    if isinstance(source, (str, Path)):
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        with open(target, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")
        return target, digest.hexdigest(), target.stat().st_size
    digest = hashlib.sha256()
    size = 0
    with open(target, "wb") as out:
        for chunk in source.chunks():
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return target, digest.hexdigest(), size


def _file_name(source: Any) -> str:
    return Path(source).name if isinstance(source, (str, Path)) else Path(source.name).name


def _default_code_set(kind: str) -> EthnicCodeSet:
    return EthnicCodeSet.objects.get(slug=ONS_2021 if kind == ImportKind.POPULATION else NHS_ETHNIC_CATEGORY)


def check_period(period_start: datetime.date | None, period_end: datetime.date | None) -> None:
    """A period runs from the first day of a month to the last day of a month, so whole months are replaced."""
    errors = {}
    if period_start is None:
        errors["period_start"] = _("Enter the first day of the period.")
    elif period_start.day != 1:
        errors["period_start"] = _("The period must start on the first day of a month.")
    if period_end is None:
        errors["period_end"] = _("Enter the last day of the period.")
    elif (period_end + datetime.timedelta(days=1)).day != 1:
        errors["period_end"] = _("The period must end on the last day of a month.")
    if not errors and period_start and period_end and period_end < period_start:
        errors["period_end"] = _("The period must end after it starts.")
    if errors:
        raise ValidationError(errors)


def create_batch(
    *,
    kind: str,
    actor: Any,
    source: Any,
    provider: Organisation | None = None,
    code_set: EthnicCodeSet | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    population_year: int | None = None,
    allow_invalid_codes: bool = False,
) -> ImportBatch:
    """Check the request, keep the file until the import has read it, and record the batch."""
    name = _file_name(source)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError({"file": _("Upload a CSV, XLSX or Parquet file.")})
    if kind == ImportKind.POPULATION:
        if not population_year:
            raise ValidationError({"population_year": _("Enter the year the population counts describe.")})
    else:
        if provider is None:
            raise ValidationError({"provider": _("Choose the provider the file comes from.")})
        check_period(period_start, period_end)
    path, sha256, size = _store_upload(source, suffix)
    return ImportBatch.objects.create(
        kind=kind,
        provider=provider,
        code_set=code_set or _default_code_set(kind),
        file_name=name[:255],
        file_size=size,
        sha256=sha256,
        upload_path=str(path),
        period_start=period_start,
        period_end=period_end,
        population_year=population_year,
        measures=[],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        message=invalid_codes_note(allow_invalid_codes),
    )


def _start(batch: ImportBatch, actor: Any, label: str, allow_invalid_codes: bool = False) -> ImportBatch:
    job = start_job(
        run_import_task,
        name="monitoring_import",
        label=label,
        actor=actor,
        batch_uuid=str(batch.uuid),
        allow_invalid_codes=allow_invalid_codes,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return batch


def start_population_import(
    actor: Any, uploaded_file: Any, *, population_year: int, code_set: EthnicCodeSet | None = None
) -> ImportBatch:
    """Queue a population import; the batch's job shows progress. Raises ValidationError on a bad request."""
    batch = create_batch(
        kind=ImportKind.POPULATION,
        actor=actor,
        source=uploaded_file,
        code_set=code_set,
        population_year=population_year,
    )
    return _start(batch, actor, _("Import population: %(name)s") % {"name": batch.file_name})


def start_activity_import(
    actor: Any,
    uploaded_file: Any,
    provider: Organisation,
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    code_set: EthnicCodeSet | None = None,
    allow_invalid_codes: bool = False,
    aggregated: bool = False,
) -> ImportBatch:
    """Queue an activity import (record-level, or pre-aggregated counts when ``aggregated``)."""
    batch = create_batch(
        kind=ImportKind.AGGREGATE if aggregated else ImportKind.ACTIVITY,
        actor=actor,
        source=uploaded_file,
        provider=provider,
        code_set=code_set,
        period_start=period_start,
        period_end=period_end,
        allow_invalid_codes=allow_invalid_codes,
    )
    label = _("Import activity for %(provider)s: %(name)s") % {"provider": provider.name, "name": batch.file_name}
    return _start(batch, actor, label, allow_invalid_codes)


@job_task(can_run_again=upload_kept, follow=follow_job)
def run_import_task(
    *, job: Job, progress: Progress, batch_uuid: str, allow_invalid_codes: bool = False
) -> dict[str, Any]:
    """The background job: run one batch and report what it wrote."""
    batch = ImportBatch.objects.get(uuid=batch_uuid)
    run_import(batch, progress, allow_invalid_codes=allow_invalid_codes)
    return {"batch": str(batch.uuid), "status": batch.status, "errors": batch.error_total}


def import_path(
    path: Path, *, kind: str, actor: Any = None, progress: Progress | None = None, **options: Any
) -> ImportBatch:
    """Create and run a batch here and now (demo, benchmark, tests). Returns the finished batch."""
    allow_invalid_codes = options.pop("allow_invalid_codes", False)
    batch = create_batch(kind=kind, actor=actor, source=path, allow_invalid_codes=allow_invalid_codes, **options)
    run_import(batch, progress or no_progress, allow_invalid_codes=allow_invalid_codes)
    return batch


def run_import(batch: ImportBatch, progress: Progress, *, allow_invalid_codes: bool = False) -> ImportBatch:
    """Read, validate and (if every row is valid) write one batch; the upload is deleted once it has an outcome."""
    path = Path(batch.upload_path)
    try:
        return _read_check_and_write(batch, path, progress, allow_invalid_codes=allow_invalid_codes)
    finally:
        path.unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(upload_path="")
        batch.upload_path = ""


def _read_check_and_write(
    batch: ImportBatch, path: Path, progress: Progress, *, allow_invalid_codes: bool
) -> ImportBatch:
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["status"])
    log = ErrorLog()
    try:
        if batch.kind == ImportKind.POPULATION:
            prepared: PreparedImport = prepare_population(batch, path, log, progress)
        elif batch.kind == ImportKind.ACTIVITY:
            prepared = prepare_activity(batch, path, log, progress, allow_invalid_codes=allow_invalid_codes)
        else:
            prepared = prepare_aggregate(batch, path, log, progress, allow_invalid_codes=allow_invalid_codes)
    except UnreadableFile as exc:
        log.add(None, "file", batch.file_name, str(exc))
        prepared = PreparedImport(rows_read=0)
    except Exception:
        batch.status = ImportStatus.FAILED
        batch.message = _("The import stopped unexpectedly. Nothing was written.")
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "message", "finished_at"])
        raise
    batch.rows_read = prepared.rows_read
    batch.finished_at = timezone.now()
    if log:
        batch.status = ImportStatus.INVALID
        batch.errors = log.listed
        batch.error_summary = log.summary()
        batch.rows_invalid = prepared.rows_invalid or (1 if prepared.rows_read == 0 else 0)
        batch.message = _("Nothing was imported: %(count)s problems were found.") % {"count": f"{log.total:,}"}
        batch.save()
        return batch
    progress(3, 4, _("Saving the figures"))
    with transaction.atomic():
        replaced = prepared.replace_scope(batch)
        written = 0
        for model, fields, table in prepared.tables:
            frame = table.result() if isinstance(table, Future) else table
            written += insert_frame(model, fields, frame, batch.pk)
        batch.figures_written = written
        batch.status = ImportStatus.SUCCEEDED
        batch.measures = prepared.measures
        if prepared.note:
            batch.message = prepared.note
        batch.save()
        if replaced:
            batch.replaced.set(replaced)
            _mark_superseded(replaced)
    progress(4, 4, _("Imported %(count)s figures") % {"count": f"{written:,}"})
    return batch


def _mark_superseded(batches: Iterable[ImportBatch]) -> None:
    for old in batches:
        if not (old.population_figures.exists() or old.activity_counts.exists() or old.people_counts.exists()):
            ImportBatch.objects.filter(pk=old.pk).update(status=ImportStatus.SUPERSEDED)


@dataclass
class PreparedImport:
    """What a valid file will write: frames per model, and the rule for what it replaces."""

    rows_read: int
    rows_invalid: int = 0
    tables: list[tuple[type[Model], list[str], pl.DataFrame | Future[pl.DataFrame]]] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    replace_scope: Callable[[ImportBatch], list[ImportBatch]] = lambda batch: []
    note: str = ""


SQLITE_ROWS_A_STATEMENT = 100  # SQLite binds at most 32,766 values in one statement


def insert_frame(model: type[Model], fields: list[str], frame: pl.DataFrame, batch_id: int) -> int:
    """Insert a frame's rows for one batch fast: PostgreSQL COPY, or one executemany on SQLite.

    Rows go in the order of the model's first index, so the index grows at its end instead of being
    rewritten all over (a large import writes about a third faster). Returns the row count.
    """
    if frame.is_empty():
        return 0
    meta = model._meta
    columns = [str(getattr(meta.get_field(name), "column", name)) for name in fields]
    frame = frame.select([pl.col(name).alias(column) for name, column in zip(fields, columns, strict=True)])
    if meta.indexes:
        index_columns = [str(getattr(meta.get_field(name), "column", name)) for name in meta.indexes[0].fields]
        frame = frame.sort([column for column in index_columns if column in columns])
    quoted = ", ".join(connection.ops.quote_name(column) for column in [*columns, "batch_id"])
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.with_columns(pl.lit(batch_id).alias("batch_id")).write_csv(
            buffer, include_header=False, date_format="%Y-%m-%d"
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {meta.db_table} ({quoted}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(buffer.getvalue())
    else:
        # Straight to the sqlite3 driver (Django's cursor wrapper rewrites every row's parameters), many rows
        # a statement (half the time of one row a statement). The batch is the same for every row, so it is
        # written into the statement rather than bound each time.
        connection.ensure_connection()
        row = "(" + ", ".join(["?"] * len(columns)) + f", {int(batch_id)})"

        def insert(rows: int) -> str:
            return f"INSERT INTO {meta.db_table} ({quoted}) VALUES " + ", ".join([row] * rows)  # noqa: S608

        records = frame.with_columns(pl.col(pl.Date).cast(pl.String)).iter_rows()
        values = [value for record in records for value in record]
        step = SQLITE_ROWS_A_STATEMENT * len(columns)
        whole = len(values) // step * step
        if whole:
            connection.connection.executemany(
                insert(SQLITE_ROWS_A_STATEMENT), (values[start : start + step] for start in range(0, whole, step))
            )
        if whole < len(values):
            connection.connection.execute(insert((len(values) - whole) // len(columns)), values[whole:])
    return frame.height


# --- Population ----------------------------------------------------------------------------------------------

POPULATION_REQUIRED = ["area_code", "ethnic_group_code", "age_band", "sex", "count"]


def prepare_population(batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress) -> PreparedImport:
    """Validate a census-shaped file; on success it replaces that year's figures for the areas it covers."""
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path)
    names = lazy.collect_schema().names()
    _require_columns(names, POPULATION_REQUIRED, log)
    if log:
        return PreparedImport(rows_read=0)
    raw = collect(lazy.select(["row", *POPULATION_REQUIRED]))
    progress(1, 4, _("Checking %(count)s rows") % {"count": f"{raw.height:,}"})
    codes = code_lookup(batch.code_set_id)
    areas = AreaLookup.load()
    stated_codes = {code: group_id for code, group_id in codes.group_ids.items() if code in codes.stated}
    frame = raw.with_columns(
        _index_of(_upper("area_code"), areas.ids).alias("area_id"),
        _index_of(_upper("ethnic_group_code"), stated_codes).alias("ethnic_group_id"),
        _index_of(_upper("age_band"), _band_values(), pl.UInt8).alias("age_index"),
        _index_of(_upper("sex"), _sex_values(), pl.UInt8).alias("sex_index"),
        _text("count").str.to_integer(strict=False).alias("count_value"),
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
        Check("count", _("Count must be a whole number."), pl.col("count_value").is_null() & (_text("count") != "")),
        Check("count", _("Count is missing."), _text("count") == ""),
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


# --- Activity (record level) ----------------------------------------------------------------------------------

ACTIVITY_REQUIRED = ["person_id", "ethnic_code", "sex", "area_code", "measure", "date"]
CODE_KIND_STATED, CODE_KIND_NOT_STATED, CODE_KIND_NOT_KNOWN, CODE_KIND_INVALID = 0, 1, 2, 3
# Columns with few distinct values: read as categories, so each distinct text is checked and looked up once.
CATEGORY_COLUMNS = ("ethnic_code", "age", "age_band", "sex", "area_code", "provider_code", "measure", "date")


@dataclass
class CodeTable:
    """Codes of one code set as dense indexes, for vectorised look-ups."""

    index: dict[str, int]  # upper-case code → index
    group_ids: list[int | None]  # index → EthnicGroup id
    sub_ids: list[int | None]  # index → LocalSubCategory id
    kinds: list[int]  # index → CODE_KIND_*

    @classmethod
    def build(cls, lookup: CodeLookup) -> "CodeTable":
        index: dict[str, int] = {}
        group_ids: list[int | None] = []
        sub_ids: list[int | None] = []
        kinds: list[int] = []
        for code in lookup.all_codes:
            index[code] = len(group_ids)
            if code in lookup.sub_category_ids:
                group_id, sub_id = lookup.sub_category_ids[code]
            else:
                group_id, sub_id = lookup.group_ids[code], None
            group_ids.append(group_id)
            sub_ids.append(sub_id)
            kinds.append(
                CODE_KIND_STATED
                if code in lookup.stated
                else CODE_KIND_NOT_STATED
                if code in lookup.not_stated
                else CODE_KIND_NOT_KNOWN
            )
        if len(group_ids) >= 255:
            raise UnreadableFile(_("The code set has too many codes and sub-categories to import."))
        return cls(index=index, group_ids=group_ids, sub_ids=sub_ids, kinds=kinds)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class CategoryColumn:
    """A column read as categories: its distinct texts, and each record's position among them."""

    name: str
    texts: pl.Series
    positions: np.ndarray

    @classmethod
    def of(cls, series: pl.Series) -> "CategoryColumn":
        dtype = series.dtype
        assert isinstance(dtype, pl.Categorical) and dtype.categories is not None
        texts = dtype.categories.to_series().alias(series.name)
        return cls(name=series.name, texts=texts, positions=series.to_physical().to_numpy())

    @cached_property
    def used(self) -> np.ndarray:
        """Which distinct texts some record has (reading may add a blank text that none has)."""
        return np.bincount(self.positions, minlength=len(self.texts)) > 0

    def look_up(self, expr: pl.Expr) -> pl.Series:
        """``expr`` (written against this column's name) evaluated once for each distinct text."""
        return self.texts.to_frame().select(expr.alias("result")).to_series()

    def per_record(self, per_text: pl.Series | np.ndarray, missing: int = -1) -> np.ndarray:
        """Spread a value per distinct text out to every record (nulls become ``missing``)."""
        values = per_text.fill_null(missing).to_numpy() if isinstance(per_text, pl.Series) else per_text
        return values[self.positions]


def date_format_of(dates: CategoryColumn) -> str:
    """The date format most of the distinct dates use (a file keeps to one)."""
    parsed = [
        dates.look_up(_text(dates.name).str.to_date(fmt, strict=False)).is_not_null().sum() for fmt in DATE_FORMATS
    ]
    return DATE_FORMATS[parsed.index(max(parsed))]


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
                        "value": _shown(value),
                        "message": check.message,
                    }
                )
    return int(invalid.sum())


@dataclass
class ActivityRecords:
    """Valid records as small integer indexes, ready to count (record-level rows go no further)."""

    person: Future[np.ndarray]  # each record's person numbered 0, 1, 2 … (from a 64-bit hash of the id)
    code: np.ndarray  # index in CodeTable, or len(group_ids) where blank or not a code
    age: np.ndarray  # index in AGE_BAND_LIST
    sex: np.ndarray  # index in SEXES
    area: np.ndarray  # 1 + index in area_ids, or 0 where blank
    measure: np.ndarray  # index in MEASURES
    day: np.ndarray  # days since the start of the import period
    area_ids: list[int]  # Area ids in the file, in index order
    codes: CodeTable  # what the code indexes stand for
    areas: AreaLookup  # the areas each area belongs to

    def __len__(self) -> int:
        return len(self.day)


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
    _require_columns(names, ACTIVITY_REQUIRED, log)
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
        lazy.with_columns(_text("person_id").alias("person_id")).select(
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
    code_per_text = ethnic.look_up(_index_of(_upper("ethnic_code"), codes.index, pl.UInt8))
    code = ethnic.per_record(code_per_text, none_code).astype(np.uint8)
    age_column = column[age_field]
    if age_field == "age":
        age_number = _text("age").str.to_integer(strict=False)
        age_index = age_column.look_up(age_band_of(age_number))
        age_failed = age_column.look_up(
            (age_number.is_null() & (_text("age") != "")) | (age_number < 0) | (age_number > MAX_AGE)
        )
        age_message = _("Age must be a whole number of years from 0 to %(max)s.") % {"max": MAX_AGE}
    else:
        age_index = age_column.look_up(_index_of(_upper("age_band"), _band_values(), pl.UInt8))
        age_failed = age_index.is_null()
        age_message = _("Age band must be one of 0-4, 5-9 … 80-84, 85+ or blank.")
    sex_index = column["sex"].look_up(_index_of(_upper("sex"), _sex_values(), pl.UInt8))
    area_column = column["area_code"]
    area_id_per_text = area_column.look_up(_index_of(_upper("area_code"), areas.ids))
    area_blank = area_column.look_up(_text("area_code") == "")
    measure_index = column["measure"].look_up(_index_of(_upper("measure"), _measure_values(), pl.UInt8))
    dates = column["date"]
    date_format = date_format_of(dates)
    date_per_text = dates.look_up(_text("date").str.to_date(date_format, strict=False))
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
            else failed(code_per_text.is_null() & (ethnic.look_up(_text("ethnic_code")) != "")),
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
                failed(providers.look_up((_upper("provider_code") != provider_code) & (_text("provider_code") != ""))),
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


ACTIVITY_FIELDS = [
    "provider_id",
    "measure",
    "period_start",
    "area_id",
    "ethnic_group_id",
    "local_sub_category_id",
    "events",
    "by_age_sex",
]
QUALITY_FIELDS = [
    "provider_id",
    "measure",
    "period_start",
    "records",
    "valid_stated",
    "not_stated",
    "not_known",
    "invalid_code",
    "missing_area",
]
PEOPLE_FIELDS = [
    "provider_id",
    "measure",
    "period_type",
    "period_start",
    "area_id",
    "ethnic_group_id",
    "people",
    "by_age_sex",
]
# age index * 3 + sex index → the quoted JSON key of that cell, e.g. '"25-29|female"'
CELL_KEYS = {
    age * len(SEXES) + sex_index: json.dumps(f"{band}|{sex}")
    for age, band in enumerate(AGE_BAND_LIST)
    for sex_index, sex in enumerate(SEXES)
}


def collapse_age_sex(cells: pl.DataFrame, keys: list[str], count: str) -> pl.DataFrame:
    """One row per ``keys`` with the total ``count`` and ``by_age_sex``, a JSON map of the non-zero cells."""
    cell = (pl.col("age_index").cast(pl.Int64) * len(SEXES) + pl.col("sex_index").cast(pl.Int64)).replace_strict(
        CELL_KEYS, return_dtype=pl.String
    )
    return (
        cells.filter(pl.col(count) > 0)
        .with_columns(pl.concat_str([cell, pl.lit(":"), pl.col(count).cast(pl.String)]).alias("_pair"))
        .group_by(keys)
        .agg(pl.col(count).sum(), pl.col("_pair").str.join(","))
        .with_columns(pl.concat_str([pl.lit("{"), pl.col("_pair"), pl.lit("}")]).alias("by_age_sex"))
        .drop("_pair")
    )


AGE_SEX_CELLS = len(AGE_BAND_LIST) * len(SEXES)


PAIR_TEXTS_BELOW = 100  # counts below this have their '"band|sex":count' text made once, in _pair_texts


@cache
def _pair_texts() -> tuple[pl.Series, np.ndarray]:
    """The text of every age and sex cell with every small count, and each text's length."""
    texts = [f"{CELL_KEYS[cell]}:{count}" for cell in range(AGE_SEX_CELLS) for count in range(PAIR_TEXTS_BELOW)]
    return pl.Series(texts), np.array([len(text) for text in texts])


def by_age_sex(cells: np.ndarray, counts: np.ndarray) -> pl.DataFrame:
    """Counted cells packed with age band and sex last (``cells`` in increasing order), one row per the rest.

    Returns ``outer`` (the cell without age and sex), ``total`` and ``by_age_sex``, a JSON map of the
    non-zero age and sex cells: the same as ``collapse_age_sex`` gives. As the cells are in order, each
    map's pairs are next to each other: they are joined into one text and cut at the maps' ends, which is
    about twice as fast as joining them map by map.
    """
    schema = {"outer": pl.Int64, "total": pl.Int64, "by_age_sex": pl.String}
    if not len(cells):
        return pl.DataFrame(schema=schema)
    outer = cells // AGE_SEX_CELLS
    first = np.ones(len(cells), dtype=bool)
    first[1:] = outer[1:] != outer[:-1]
    starts, ends = np.flatnonzero(first), np.flatnonzero(np.append(first[1:], True))
    cell = cells % AGE_SEX_CELLS
    small = counts < PAIR_TEXTS_BELOW
    index = cell * PAIR_TEXTS_BELOW + np.where(small, counts, 0)
    texts, lengths = _pair_texts()
    pairs, pair_lengths = texts.gather(index), lengths[index]
    large = np.flatnonzero(~small)
    if len(large):
        large_texts = [f"{CELL_KEYS[c]}:{n}" for c, n in zip(cell[large].tolist(), counts[large].tolist(), strict=True)]
        pairs = pairs.scatter(large, large_texts)
        pair_lengths[large] = [len(text) for text in large_texts]
    text = pairs.str.join(",").item()  # ASCII only, so character and byte offsets agree
    offsets = np.concatenate(([0], np.cumsum(pair_lengths + 1)[:-1]))
    begins, finishes = offsets[starts].tolist(), (offsets[ends] + pair_lengths[ends]).tolist()
    return pl.DataFrame(
        {
            "outer": outer[starts],
            "total": np.add.reduceat(counts, starts),
            "by_age_sex": ["{" + text[begin:finish] + "}" for begin, finish in zip(begins, finishes, strict=True)],
        },
        schema=schema,
    )


def dense_numbers(values: pl.Series) -> np.ndarray:
    """Number the distinct values 0, 1, 2 … in order: person numbers sort in fewer bits than 64-bit hashes.

    Ranked in a lazy query, which lets go of the GIL while it works, so other work goes on meanwhile.
    """
    ranked = values.to_frame("value").lazy().select(pl.col("value").rank("dense")).collect()
    return ranked.to_series().to_numpy() - 1


def in_background[**P, R](function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """Start ``function`` on a thread of its own and return its future result."""
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(function, *args, **kwargs)
    finally:
        executor.shutdown(wait=False)  # the thread ends when the function returns


def _group_of(code_index: pl.Expr, codes: CodeTable) -> pl.Expr:
    return code_index.replace_strict(dict(enumerate(codes.group_ids)), default=None, return_dtype=pl.Int64)


def _gather(values: list[Any], index: str, dtype: Any = pl.Int64) -> pl.Expr:
    """``values[index]`` for each row, where ``values`` is a short Python list (None allowed)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(pl.col(index))


def aggregate_activity(batch: ImportBatch, records: ActivityRecords) -> PreparedImport:
    """Events by month and cell, data quality by month and measure, and distinct people per roll-up."""
    codes = records.codes
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    days = [
        batch.period_start + datetime.timedelta(days=offset)
        for offset in range((batch.period_end - batch.period_start).days + 1)
    ]
    # Distinct people take longest: counted on a thread of their own (NumPy and polars release the GIL),
    # they overlap the events and, in run_import, the writing of the events.
    people = in_background(count_people, batch, records, days)
    months = whole_periods(PeriodType.MONTH, batch.period_start, batch.period_end)
    month_of_day = np.array([months.index(day.replace(day=1)) for day in days], dtype=np.int32)
    month = month_of_day[records.day]
    provider = pl.lit(batch.provider.pk, pl.Int64).alias("provider_id")
    measure_name = _gather(MEASURES, "measure", pl.String).alias("measure")
    none_code = len(codes.group_ids)
    area_count = len(records.area_ids) + 1
    area_id = _gather([None, *records.area_ids], "area").alias("area_id")

    outer_sizes = [len(months), area_count, len(MEASURES), none_code + 1]
    collapsed = by_age_sex(
        *count_packed(
            *pack(
                [
                    (month, len(months)),
                    (records.area, area_count),
                    (records.measure, len(MEASURES)),
                    (records.code, none_code + 1),
                    (records.age, len(AGE_BAND_LIST)),
                    (records.sex, len(SEXES)),
                ]
            )
        )
    )
    cell_month, cell_area, cell_measure, cell_code = unpack(collapsed["outer"].to_numpy(), outer_sizes)
    events = collapsed.with_columns(month=cell_month, area=cell_area, measure=cell_measure, code=cell_code).select(
        provider,
        measure_name,
        _gather(months, "month", pl.Date).alias("period_start"),
        area_id,
        _gather([*codes.group_ids, None], "code").alias("ethnic_group_id"),
        _gather([*codes.sub_ids, None], "code").alias("local_sub_category_id"),
        pl.col("total").alias("events"),
        "by_age_sex",
    )

    kind = np.array([*codes.kinds, CODE_KIND_INVALID], dtype=np.uint8)[records.code]
    (q_month, q_measure, q_kind, q_no_area), q_counts = count_cells(
        [(month, len(months)), (records.measure, len(MEASURES)), (kind, 4), ((records.area == 0).astype(np.uint8), 2)]
    )
    by_kind = pl.DataFrame(
        {"month": q_month, "measure": q_measure, "kind": q_kind, "no_area": q_no_area, "records": q_counts}
    )
    records_of = pl.col("records")
    quality = (
        by_kind.group_by("month", "measure")
        .agg(
            records_of.sum().alias("records"),
            records_of.filter(pl.col("kind") == CODE_KIND_STATED).sum().alias("valid_stated"),
            records_of.filter(pl.col("kind") == CODE_KIND_NOT_STATED).sum().alias("not_stated"),
            records_of.filter(pl.col("kind") == CODE_KIND_NOT_KNOWN).sum().alias("not_known"),
            records_of.filter(pl.col("kind") == CODE_KIND_INVALID).sum().alias("invalid_code"),
            records_of.filter(pl.col("no_area") == 1).sum().alias("missing_area"),
        )
        .sort("month", "measure")
        .select(
            provider,
            measure_name,
            _gather(months, "month", pl.Date).alias("period_start"),
            *QUALITY_FIELDS[3:],
        )
    )
    measures = sorted(quality["measure"].unique().to_list(), key=MEASURES.index)
    return PreparedImport(
        rows_read=len(records),
        tables=[
            (ActivityCount, ACTIVITY_FIELDS, events),
            (DataQualityFigure, QUALITY_FIELDS, quality),
            (PeopleCount, PEOPLE_FIELDS, people),
        ],
        measures=measures,
        replace_scope=_activity_scope(measures),
        note=_partial_periods_note(batch.period_start, batch.period_end),
    )


def count_people(batch: ImportBatch, records: ActivityRecords, days: list[datetime.date]) -> pl.DataFrame:
    """Distinct people for every roll-up: month, quarter, year x all areas and each coarse area.

    Each person is counted once per roll-up, under the ethnic group (sub-categories count under their
    parent), age band and sex of their earliest record there. Quarter and year figures are written only
    for periods the import covers wholly. How: ``waymark.monitoring.cells``.
    """
    assert batch.period_start is not None and batch.period_end is not None
    codes, areas = records.codes, records.areas
    person = records.person.result()
    group_ids = list(dict.fromkeys(group_id for group_id in codes.group_ids if group_id is not None))
    no_group = len(group_ids)
    group_of_code = np.array(
        [group_ids.index(group_id) if group_id is not None else no_group for group_id in codes.group_ids] + [no_group],
        dtype=np.uint8,
    )
    sorted_records = sort_records(
        {
            "person": person,
            "measure": records.measure,
            "day": records.day,
            "group": group_of_code[records.code],
            "age": records.age,
            "sex": records.sex,
            "area": records.area,
        },
        {
            "person": int(person.max()) + 1,
            "measure": len(MEASURES),
            "day": len(days),
            "group": no_group + 1,
            "age": len(AGE_BAND_LIST),
            "sex": len(SEXES),
            "area": len(records.area_ids) + 1,
        },
    )
    same = same_person_and_measure(sorted_records)
    attributes, attribute_space = pack(
        [
            (sorted_records["measure"], len(MEASURES)),
            (sorted_records["group"], no_group + 1),
            (sorted_records["age"], len(AGE_BAND_LIST)),
            (sorted_records["sex"], len(SEXES)),
        ]
    )
    # Area levels: all areas together, then each coarse level with the area index of each record there.
    levels: list[tuple[list[int | None], np.ndarray | None]] = [([None], None)]
    for level in sorted(areas.levels):
        ancestor = areas.levels[level]
        ancestor_ids = sorted({ancestor[area] for area in records.area_ids if area in ancestor})
        if ancestor_ids:
            position = {area: index for index, area in enumerate(ancestor_ids)}
            area_of = np.array(
                [-1] + [position.get(ancestor.get(area, -1), -1) for area in records.area_ids], dtype=np.int32
            )
            levels.append((list(ancestor_ids), area_of[sorted_records["area"]]))

    def roll_up(period_type: PeriodType, level_ids: list[int | None], area: np.ndarray | None) -> pl.DataFrame:
        period_starts, period, starts = periods[period_type]
        space = len(period_starts) * len(level_ids) * attribute_space
        cell_type = packed_type(space)
        if area is None:
            keep = starts & (period >= 0)
            outer = period[keep].astype(cell_type)
        else:
            keep = first_records(starts, area, len(level_ids)) & (period >= 0) & (area >= 0)
            outer = period[keep].astype(cell_type) * len(level_ids) + area[keep]
        collapsed = by_age_sex(*count_packed(outer * attribute_space + attributes[keep], space))
        cell_period, cell_area, cell_measure, cell_group = unpack(
            collapsed["outer"].to_numpy(), [len(period_starts), len(level_ids), len(MEASURES), no_group + 1]
        )
        cells = collapsed.with_columns(period=cell_period, area=cell_area, measure=cell_measure, group=cell_group)
        return cells.select(
            pl.lit(batch.provider_id, pl.Int64).alias("provider_id"),
            _gather(MEASURES, "measure", pl.String).alias("measure"),
            pl.lit(str(period_type)).alias("period_type"),
            _gather(period_starts, "period", pl.Date).alias("period_start"),
            _gather(level_ids, "area").alias("area_id"),
            _gather([*group_ids, None], "group").alias("ethnic_group_id"),
            pl.col("total").alias("people"),
            "by_age_sex",
        )

    # Each period type's whole periods, every record's period index (-1 outside them) and where runs start.
    periods: dict[PeriodType, tuple[list[datetime.date], np.ndarray, np.ndarray]] = {}
    for period_type in (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR):
        period_starts = whole_periods(period_type, batch.period_start, batch.period_end)
        if period_starts:
            index_of_start = {start: index for index, start in enumerate(period_starts)}
            period_of_day = np.array(
                [index_of_start.get(_period_start_py(period_type, day), -1) for day in days], dtype=np.int32
            )
            period = period_of_day[sorted_records["day"]]
            periods[period_type] = (period_starts, period, run_starts(period, same))
    # The roll-ups are independent, and NumPy lets go of the GIL in its loops: two at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda job: roll_up(*job),
                [(period_type, level_ids, area) for period_type in periods for level_ids, area in levels],
            )
        )
    return pl.concat(results)


def _period_start_py(period_type: str, day: datetime.date) -> datetime.date:
    if period_type == PeriodType.MONTH:
        return day.replace(day=1)
    if period_type == PeriodType.QUARTER:
        return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return datetime.date(day.year - (day.month < 4), 4, 1)


def _period_end_py(period_type: str, start: datetime.date) -> datetime.date:
    months = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.YEAR: 12}[PeriodType(period_type)]
    month_index = start.year * 12 + start.month - 1 + months
    return datetime.date(month_index // 12, month_index % 12 + 1, 1) - datetime.timedelta(days=1)


def whole_periods(period_type: str, period_start: datetime.date, period_end: datetime.date) -> list[datetime.date]:
    """Starts of the periods of this type that lie wholly inside [period_start, period_end]."""
    starts = []
    start = _period_start_py(period_type, period_start)
    while start <= period_end:
        if start >= period_start and _period_end_py(period_type, start) <= period_end:
            starts.append(start)
        start = _period_end_py(period_type, start) + datetime.timedelta(days=1)
    return starts


def touched_periods(period_type: str, period_start: datetime.date, period_end: datetime.date) -> list[datetime.date]:
    """Starts of the periods of this type that overlap [period_start, period_end]."""
    starts = []
    start = _period_start_py(period_type, period_start)
    while start <= period_end:
        starts.append(start)
        start = _period_end_py(period_type, start) + datetime.timedelta(days=1)
    return starts


def _partial_periods_note(period_start: datetime.date, period_end: datetime.date) -> str:
    partial = [
        (period_type, start)
        for period_type in (PeriodType.QUARTER, PeriodType.YEAR)
        for start in touched_periods(period_type, period_start, period_end)
        if start not in whole_periods(period_type, period_start, period_end)
    ]
    if not partial:
        return ""
    names = ", ".join(f"{PeriodType(kind).label} from {start:%d %B %Y}" for kind, start in partial)
    return _(
        "The file covers only part of %(periods)s: distinct-people figures for those periods were not counted, "
        "and any earlier ones were removed because they included the months replaced."
    ) % {"periods": names}


def _activity_scope(measures: list[str]) -> Callable[[ImportBatch], list[ImportBatch]]:
    """Delete this provider's figures for the period's months (and overlapping people roll-ups) and measures."""

    def replace(new: ImportBatch) -> list[ImportBatch]:
        assert new.period_start is not None and new.period_end is not None
        common = {"provider_id": new.provider_id, "measure__in": measures}
        months = {"period_start__gte": new.period_start, "period_start__lte": new.period_end}
        querysets = [
            ActivityCount.objects.filter(**common, **months),
            DataQualityFigure.objects.filter(**common, **months),
            PeopleCount.objects.filter(**common, period_type=PeriodType.MONTH, **months),
        ]
        for period_type in (PeriodType.QUARTER, PeriodType.YEAR):
            starts = touched_periods(period_type, new.period_start, new.period_end)
            querysets.append(PeopleCount.objects.filter(**common, period_type=period_type, period_start__in=starts))
        batch_ids: set[int] = set()
        for queryset in querysets:
            batch_ids.update(queryset.values_list("batch_id", flat=True).distinct())
            queryset.delete()  # nothing refers to count rows, so Django deletes them in one statement
        return list(ImportBatch.objects.filter(pk__in=batch_ids - {new.pk}))

    return replace


# --- Pre-aggregated counts --------------------------------------------------------------------------------------

AGGREGATE_REQUIRED = ["month", "area_code", "ethnic_code", "age_band", "sex", "measure", "events"]


def prepare_aggregate(
    batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress, *, allow_invalid_codes: bool = False
) -> PreparedImport:
    """Validate a file of monthly counts; people counts, if given, are stored for that month and cell."""
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path)
    names = lazy.collect_schema().names()
    _require_columns(names, AGGREGATE_REQUIRED, log)
    if log:
        return PreparedImport(rows_read=0)
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    has_people = "people" in names
    raw = collect(lazy)
    codes = CodeTable.build(code_lookup(batch.code_set_id))
    areas = AreaLookup.load()
    month_text = _text("month")
    month = pl.coalesce(
        (month_text + "-01").str.to_date("%Y-%m-%d", strict=False), month_text.str.to_date("%Y-%m-%d", strict=False)
    ).dt.truncate("1mo")
    events = _text("events").str.to_integer(strict=False)
    people_text = _text("people") if has_people else pl.lit("")
    people = people_text.str.to_integer(strict=False)
    ethnic_index = _index_of(_upper("ethnic_code"), codes.index, pl.UInt8)
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
            _index_of(_upper("area_code"), areas.ids).is_null() & (_text("area_code") != ""),
        ),
        Check(
            "ethnic_code",
            _("Not a code in %(set)s or a local sub-category.") % {"set": batch.code_set.name},
            pl.lit(False) if allow_invalid_codes else (ethnic_index.is_null() & (_text("ethnic_code") != "")),
        ),
        Check(
            "age_band",
            _("Age band must be one of 0-4, 5-9 … 80-84, 85+ or blank."),
            _index_of(_upper("age_band"), _band_values()).is_null(),
        ),
        Check(
            "sex",
            _("Sex must be Female, Male, or blank when not known."),
            _index_of(_upper("sex"), _sex_values()).is_null(),
        ),
        Check(
            "measure",
            _("Measure must be one of: %(list)s.") % {"list": ", ".join(MEASURES)},
            _index_of(_upper("measure"), _measure_values()).is_null(),
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
        _index_of(_upper("area_code"), areas.ids).alias("area_id"),
        ethnic_index.alias("code_index"),
        _index_of(_upper("age_band"), _band_values(), pl.UInt8).alias("age_index"),
        _index_of(_upper("sex"), _sex_values(), pl.UInt8).alias("sex_index"),
        _index_of(_upper("measure"), _measure_values(), pl.UInt8).alias("measure_index"),
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
        "ethnic_group_id": _group_of(pl.col("code_index"), codes),
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
        replace_scope=_activity_scope(measures),
    )
