"""An import batch from upload to outcome: keep the file, record the batch, then read, check and write it
all or nothing. The upload is deleted once the import has its outcome."""

import datetime
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.jobs import Progress, no_progress
from waymark.core.models import EthnicCodeSet, Organisation
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.monitoring.choices import ImportKind, ImportStatus
from waymark.monitoring.imports.activity import prepare_activity
from waymark.monitoring.imports.aggregated import prepare_aggregate
from waymark.monitoring.imports.errors import ErrorLog, UnreadableFile
from waymark.monitoring.imports.population import prepare_population
from waymark.monitoring.imports.reading import SUFFIXES
from waymark.monitoring.imports.writing import PreparedImport, insert_frame
from waymark.monitoring.models import (
    ImportBatch,
)


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


def invalid_codes_note(allow_invalid_codes: bool) -> str:
    """The note a batch carries from the start when its invalid codes are to be counted, not refused."""
    return _("Invalid ethnic codes will be counted, not refused.") if allow_invalid_codes else ""


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
        batch.upload_path = ""
        batch.save(update_fields=["upload_path"])


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
            old.status = ImportStatus.SUPERSEDED
            old.save(update_fields=["status"])
