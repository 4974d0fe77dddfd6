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
  record-level rows are never stored and the upload is deleted once read.
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
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.choices import AreaType
from waymark.core.jobs import job_task, start_job
from waymark.core.models import Area, EthnicCodeSet, Job, Organisation
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.monitoring.choices import AGE_BANDS, AGE_UNKNOWN, ImportKind, ImportStatus, Measure, PeriodType, Sex
from waymark.monitoring.codes import CodeLookup, code_lookup
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
    PopulationFigure,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
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
    text = "" if value is None else str(value)
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


def scan_table(path: Path) -> pl.LazyFrame:
    """A lazy frame of the file with every column as text and normalised column names, plus ``row``."""
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
        raise UnreadableFile(
            _("The file could not be read as a table: %(reason)s") % {"reason": str(exc)[:200]}
        ) from exc
    renamed = {name: _normalise_name(name) for name in names}
    present = set(renamed.values())
    renamed = {
        name: COLUMN_ALIASES[new] if new in COLUMN_ALIASES and COLUMN_ALIASES[new] not in present else new
        for name, new in renamed.items()
    }
    if len(set(renamed.values())) != len(renamed):
        raise UnreadableFile(_("Two columns have the same name once case and spaces are ignored."))
    frame = frame.rename(renamed).with_columns(pl.all().fill_null(""))
    return frame.with_row_index("row", offset=FIRST_DATA_ROW)


def _unreadable(exc: Exception) -> UnreadableFile:
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
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
    """Copy an uploaded file or a path into the upload folder, hashing as it goes."""
    digest = hashlib.sha256()
    target = _upload_dir() / f"{uuid.uuid4()}{suffix}"
    size = 0
    with open(target, "wb") as out:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as handle:
                chunks: Iterable[bytes] = iter(lambda: handle.read(1 << 20), b"")
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        else:
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
        message=_("Invalid ethnic codes will be counted, not refused.") if allow_invalid_codes else "",
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


@job_task
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
    run_import(batch, progress or _no_progress, allow_invalid_codes=allow_invalid_codes)
    return batch


def _no_progress(current: int, total: int, message: str = "") -> None:
    """Progress for imports run in this process without a job to report to."""


def run_import(batch: ImportBatch, progress: Progress, *, allow_invalid_codes: bool = False) -> ImportBatch:
    """Read, validate and (if every row is valid) write one batch; the upload is deleted either way."""
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["status"])
    log = ErrorLog()
    path = Path(batch.upload_path)
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
        batch.save(update_fields=["status", "message", "finished_at", "upload_path"])
        raise
    finally:
        path.unlink(missing_ok=True)
        batch.upload_path = ""
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
        for model, fields, frame in prepared.tables:
            written += insert_frame(model, fields, frame.with_columns(pl.lit(batch.pk).alias("batch_id")))
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
    tables: list[tuple[type[Model], list[str], pl.DataFrame]] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    replace_scope: Callable[[ImportBatch], list[ImportBatch]] = lambda batch: []
    note: str = ""


def insert_frame(model: type[Model], fields: list[str], frame: pl.DataFrame) -> int:
    """Insert a frame's rows fast: PostgreSQL COPY, or one executemany on SQLite. Returns the row count."""
    if frame.is_empty():
        return 0
    meta = model._meta
    names = [*fields, "batch_id"]
    columns = [str(getattr(meta.get_field(name), "column", name)) for name in names]
    frame = frame.select([pl.col(name).alias(column) for name, column in zip(names, columns, strict=True)])
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, date_format="%Y-%m-%d")
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {meta.db_table} ({quoted}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(buffer.getvalue())
    else:
        # Straight to the sqlite3 driver: Django's cursor wrapper rewrites every row's parameters.
        connection.ensure_connection()
        placeholders = ", ".join(["?"] * len(columns))
        sql = f"INSERT INTO {meta.db_table} ({quoted}) VALUES ({placeholders})"  # noqa: S608 (names from models)
        connection.connection.executemany(sql, frame.with_columns(pl.col(pl.Date).cast(pl.String)).iter_rows())
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
NO_GROUP = 255  # packed index for "no valid ethnic group"
DAY_OFFSET = 100_000  # added to days since 1970 so dates long before 1970 still pack as positive numbers


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
        if len(group_ids) >= NO_GROUP:
            raise UnreadableFile(_("The code set has too many codes and sub-categories to import."))
        return cls(index=index, group_ids=group_ids, sub_ids=sub_ids, kinds=kinds)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def date_format_of(lazy: pl.LazyFrame, column: str) -> str:
    """The date format most of the first thousand rows use (a file keeps to one; parsing one is faster)."""
    sample = collect(lazy.select(_text(column)).head(1000))[column]
    parsed = [sample.str.to_date(fmt, strict=False).is_not_null().sum() for fmt in DATE_FORMATS]
    return DATE_FORMATS[parsed.index(max(parsed))]


def prepare_activity(
    batch: ImportBatch, path: Path, log: ErrorLog, progress: Progress, *, allow_invalid_codes: bool = False
) -> PreparedImport:
    """Validate and aggregate a record-level extract in one streaming pass, then count people per roll-up."""
    progress(0, 4, _("Reading the file"))
    lazy = scan_table(path)
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

    ethnic_index = _index_of(_upper("ethnic_code"), codes.index, pl.UInt8)
    if "age" in names:
        age_number = _text("age").str.to_integer(strict=False)
        age_index = age_band_of(age_number)
        age_failed = (age_number.is_null() & (_text("age") != "")) | (age_number < 0) | (age_number > MAX_AGE)
        age_field, age_message = "age", _("Age must be a whole number of years from 0 to %(max)s.") % {"max": MAX_AGE}
    else:
        age_index = _index_of(_upper("age_band"), _band_values(), pl.UInt8)
        age_failed = age_index.is_null()
        age_field, age_message = "age_band", _("Age band must be one of 0-4, 5-9 … 80-84, 85+ or blank.")
    date_format = date_format_of(lazy, "date")
    # Look every value up once; the checks below read the looked-up columns.
    looked_up = lazy.select(
        "row",
        pl.col("person_id").str.strip_chars().hash().alias("person"),
        (_text("person_id") == "").alias("_no_person"),
        ethnic_index.alias("code_index"),
        (_text("ethnic_code") == "").alias("_no_code"),
        age_index.alias("age_index"),
        age_failed.alias("_age_failed"),
        _index_of(_upper("sex"), _sex_values(), pl.UInt8).alias("sex_index"),
        _index_of(_upper("area_code"), areas.ids).alias("area_id"),
        (_text("area_code") == "").alias("_no_area"),
        (
            (_upper("provider_code") != provider_code) & (_text("provider_code") != "")
            if "provider_code" in names
            else pl.lit(False)
        ).alias("_other_provider"),
        _index_of(_upper("measure"), _measure_values(), pl.UInt8).alias("measure_index"),
        _text("date").str.to_date(date_format, strict=False).alias("date"),
    )
    date = pl.col("date")
    checks = [
        Check("person_id", _("Person id is missing."), pl.col("_no_person")),
        Check(
            "ethnic_code",
            _("Not a code in %(set)s or a local sub-category.") % {"set": batch.code_set.name},
            pl.lit(False) if allow_invalid_codes else (pl.col("code_index").is_null() & ~pl.col("_no_code")),
        ),
        Check(age_field, age_message, pl.col("_age_failed")),
        Check("sex", _("Sex must be Female, Male, or blank when not known."), pl.col("sex_index").is_null()),
        Check("area_code", _("Unknown area code."), pl.col("area_id").is_null() & ~pl.col("_no_area")),
        Check(
            "provider_code",
            _("This row is for another provider (this import is for %(code)s).") % {"code": provider_code},
            pl.col("_other_provider"),
        ),
        Check(
            "measure",
            _("Measure must be one of: %(list)s.") % {"list": ", ".join(MEASURES)},
            pl.col("measure_index").is_null(),
        ),
        Check(
            "date",
            _("Date must be a date such as %(example)s.")
            % {"example": datetime.date(2024, 4, 30).strftime(date_format)},
            date.is_null(),
        ),
        Check(
            "date",
            _("Date is outside the import period."),
            date.is_not_null() & ((date < batch.period_start) | (date > batch.period_end)),
        ),
    ]
    prepared = looked_up.select(
        "row", "person", "code_index", "age_index", "sex_index", "area_id", "measure_index", "date", error_mask(checks)
    )
    frame = collect(prepared, streaming=True)
    progress(1, 4, _("Checked %(count)s rows") % {"count": f"{frame.height:,}"})
    invalid_rows = frame.filter(pl.col("_err") != 0)
    if not invalid_rows.is_empty():
        wanted = invalid_rows["row"].head(MAX_LISTED_ERRORS)
        raw = collect(lazy.filter(pl.col("row").is_in(wanted.implode())), streaming=True)
        collect_errors(frame, raw, checks, log)
        return PreparedImport(rows_read=frame.height, rows_invalid=invalid_rows.height)
    if frame.is_empty():
        log.add(None, "file", batch.file_name, _("The file has no rows."))
        return PreparedImport(rows_read=0)
    progress(2, 4, _("Counting events and people"))
    return aggregate_activity(batch, frame.drop("row", "_err"), codes, areas)


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


def _group_of(code_index: pl.Expr, codes: CodeTable) -> pl.Expr:
    return code_index.replace_strict(dict(enumerate(codes.group_ids)), default=None, return_dtype=pl.Int64)


def aggregate_activity(batch: ImportBatch, frame: pl.DataFrame, codes: CodeTable, areas: AreaLookup) -> PreparedImport:
    """Events by month and cell, data quality by month and measure, and distinct people per roll-up."""
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    kinds = pl.col("code_index").replace_strict(
        dict(enumerate(codes.kinds)), default=CODE_KIND_INVALID, return_dtype=pl.UInt8
    )
    frame = frame.with_columns(pl.col("date").dt.truncate("1mo").alias("month"), kinds.alias("code_kind"))

    # Events add up and people are counted within one measure and financial year at most, so each
    # (measure, year) slice is aggregated on its own: the same result in a tenth of the memory.
    slices = frame.with_columns(financial_year_start(pl.col("month")).alias("_year")).partition_by(
        "measure_index", "_year"
    )
    cells = pl.concat(
        [
            part.group_by("month", "area_id", "measure_index", "code_index", "age_index", "sex_index").agg(
                pl.len().alias("events")
            )
            for part in slices
        ]
    )
    events = collapse_age_sex(cells, ["month", "area_id", "measure_index", "code_index"], "events").select(
        pl.lit(batch.provider.pk).alias("provider_id"),
        pl.col("measure_index").replace_strict(dict(enumerate(MEASURES)), return_dtype=pl.String).alias("measure"),
        pl.col("month").alias("period_start"),
        "area_id",
        _group_of(pl.col("code_index"), codes).alias("ethnic_group_id"),
        pl.col("code_index")
        .replace_strict(dict(enumerate(codes.sub_ids)), default=None, return_dtype=pl.Int64)
        .alias("local_sub_category_id"),
        "events",
        "by_age_sex",
    )

    quality = frame.group_by("month", "measure_index").agg(
        pl.len().alias("records"),
        (pl.col("code_kind") == CODE_KIND_STATED).sum().alias("valid_stated"),
        (pl.col("code_kind") == CODE_KIND_NOT_STATED).sum().alias("not_stated"),
        (pl.col("code_kind") == CODE_KIND_NOT_KNOWN).sum().alias("not_known"),
        (pl.col("code_kind") == CODE_KIND_INVALID).sum().alias("invalid_code"),
        pl.col("area_id").is_null().sum().alias("missing_area"),
    )
    quality = quality.select(
        pl.lit(batch.provider.pk).alias("provider_id"),
        pl.col("measure_index").replace_strict(dict(enumerate(MEASURES)), return_dtype=pl.String).alias("measure"),
        pl.col("month").alias("period_start"),
        "records",
        "valid_stated",
        "not_stated",
        "not_known",
        "invalid_code",
        "missing_area",
    )
    # People are attributed to the group of their code (sub-categories roll up to their parent).
    group_index = {group_id: i for i, group_id in enumerate(dict.fromkeys(g for g in codes.group_ids if g is not None))}
    code_to_group_index = {i: group_index[g] if g is not None else NO_GROUP for i, g in enumerate(codes.group_ids)}
    people = pl.concat(
        [count_people(part, code_to_group_index, areas, batch.period_start, batch.period_end) for part in slices]
    )
    del slices
    group_ids = {index: group_id for group_id, index in group_index.items()}
    people = collapse_age_sex(
        people, ["period_type", "period_start", "area_id", "measure_index", "group_index"], "people"
    ).select(
        pl.lit(batch.provider.pk).alias("provider_id"),
        pl.col("measure_index").replace_strict(dict(enumerate(MEASURES)), return_dtype=pl.String).alias("measure"),
        "period_type",
        "period_start",
        "area_id",
        pl.col("group_index").replace_strict(group_ids, default=None, return_dtype=pl.Int64).alias("ethnic_group_id"),
        "people",
        "by_age_sex",
    )
    measures = sorted(quality["measure"].unique().to_list(), key=MEASURES.index)
    return PreparedImport(
        rows_read=frame.height,
        tables=[
            (ActivityCount, ACTIVITY_FIELDS, events),
            (DataQualityFigure, QUALITY_FIELDS, quality),
            (PeopleCount, PEOPLE_FIELDS, people),
        ],
        measures=measures,
        replace_scope=_activity_scope(measures),
        note=_partial_periods_note(batch.period_start, batch.period_end),
    )


def quarter_start(month: pl.Expr) -> pl.Expr:
    return month.dt.truncate("3mo")


def financial_year_start(month: pl.Expr) -> pl.Expr:
    """1 April of the financial year a month falls in."""
    year = month.dt.year() - (month.dt.month() < 4).cast(pl.Int32)
    return pl.date(year, 4, 1)


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


def count_people(
    frame: pl.DataFrame,
    code_to_group_index: dict[int, int],
    areas: AreaLookup,
    period_start: datetime.date,
    period_end: datetime.date,
) -> pl.DataFrame:
    """Distinct people for every roll-up: month, quarter, year x all areas and each coarse area.

    Each person is counted once per roll-up, under the ethnic group, age band and sex of their earliest
    record there: the date and those three are packed into one integer so a cheap ``min`` finds them,
    and quarters and years are reduced from the months' minima. Quarter and year figures are written
    only for periods the import covers wholly.
    """
    day = pl.col("date").cast(pl.Int32).cast(pl.Int64) + DAY_OFFSET
    group = pl.col("code_index").replace_strict(code_to_group_index, default=NO_GROUP, return_dtype=pl.Int64)
    packed = day * (1 << 24) + group * (1 << 16) + pl.col("age_index").cast(pl.Int64) * (1 << 8) + pl.col("sex_index")
    base = frame.select(
        "person",
        "measure_index",
        "area_id",
        pl.col("date").dt.truncate("1mo").alias("period_start"),
        packed.alias("packed"),
    )
    complete = {
        PeriodType.QUARTER: whole_periods(PeriodType.QUARTER, period_start, period_end),
        PeriodType.YEAR: whole_periods(PeriodType.YEAR, period_start, period_end),
    }
    coarser = {PeriodType.QUARTER: quarter_start, PeriodType.YEAR: financial_year_start}
    results = []
    for level in [None, *sorted(areas.levels)]:
        if level is None:
            data = base.with_columns(pl.lit(None, pl.Int64).alias("area"))
        else:
            ancestor = pl.col("area_id").replace_strict(areas.levels[level], default=None, return_dtype=pl.Int64)
            data = base.with_columns(ancestor.alias("area")).filter(pl.col("area").is_not_null())
        keys = ["person", "measure_index", "area", "period_start"]
        reduced = data.group_by(keys).agg(pl.col("packed").min())
        for kind in (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR):
            if kind in coarser:
                reduced = (
                    reduced.with_columns(coarser[kind](pl.col("period_start")).alias("period_start"))
                    .filter(pl.col("period_start").is_in(complete[kind]))
                    .group_by(keys)
                    .agg(pl.col("packed").min())
                )
            results.append(
                reduced.group_by(
                    "period_start",
                    pl.col("area").alias("area_id"),
                    "measure_index",
                    ((pl.col("packed") // (1 << 16)) % 256).alias("group_index"),
                    ((pl.col("packed") // (1 << 8)) % 256).cast(pl.UInt8).alias("age_index"),
                    (pl.col("packed") % 256).cast(pl.UInt8).alias("sex_index"),
                )
                .agg(pl.len().cast(pl.Int64).alias("people"))
                .with_columns(pl.lit(str(kind)).alias("period_type"))
            )
    return pl.concat(results, how="diagonal_relaxed")


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
