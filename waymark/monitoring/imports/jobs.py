"""The background job that runs an import, how its batch follows the job, and when it may be run again.

The job machinery calls ``follow_job`` when it changes the job's status itself: the job failed, its worker
was found dead by the reaper, or someone pressed "Run again". An import is safe to run twice (it writes
all or nothing, and a re-import replaces what it covers), so it may be run again while its upload is kept:
the upload is deleted once the import has an outcome, and only a worker that died part-way leaves it.
An upload nobody ran again is deleted a week after its import stopped (``discard_stopped_uploads``).
"""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from waymark.core.choices import JobStatus
from waymark.core.jobs import Progress, job_task
from waymark.core.models import Job
from waymark.monitoring.choices import ImportStatus
from waymark.monitoring.imports.batches import invalid_codes_note, run_import
from waymark.monitoring.models import ImportBatch

UNFINISHED = [ImportStatus.QUEUED, ImportStatus.RUNNING]
STOPPED_UPLOAD_KEPT = timedelta(days=7)  # record-level data: kept for "Run again" no longer than this


@transaction.atomic
def follow_job(job: Job) -> None:
    """A stopped job fails its unfinished batch (nothing was written); a job queued again makes it wait again.

    Only a batch still in the state the change starts from is changed, and it is locked while it changes.
    """
    if job.status == JobStatus.FAILED:
        for batch in ImportBatch.objects.select_for_update().filter(job=job, status__in=UNFINISHED):
            batch.status, batch.message, batch.finished_at = ImportStatus.FAILED, job.message[:500], job.finished_at
            batch.save(update_fields=["status", "message", "finished_at"])
    elif job.status == JobStatus.QUEUED:
        note = invalid_codes_note(bool(job.task_kwargs.get("allow_invalid_codes")))
        for batch in ImportBatch.objects.select_for_update().filter(job=job, status=ImportStatus.FAILED):
            batch.status, batch.message, batch.finished_at = ImportStatus.QUEUED, note, None
            batch.save(update_fields=["status", "message", "finished_at"])


def upload_kept(job: Job) -> bool:
    """Whether the batch's upload is still there to be read again."""
    batch = ImportBatch.objects.filter(job=job).only("upload_path").first()
    return batch is not None and bool(batch.upload_path) and Path(batch.upload_path).is_file()


@job_task(can_run_again=upload_kept, follow=follow_job)
def run_import_task(
    *, job: Job, progress: Progress, batch_uuid: str, allow_invalid_codes: bool = False
) -> dict[str, Any]:
    """The background job: run one batch and report what it wrote."""
    batch = ImportBatch.objects.get(uuid=batch_uuid)
    run_import(batch, progress, allow_invalid_codes=allow_invalid_codes)
    return {"batch": str(batch.uuid), "status": batch.status, "errors": batch.error_total}


def discard_stopped_uploads(now: datetime | None = None) -> int:
    """Delete the uploads of imports that stopped over a week ago and were not run again; returns how many."""
    cutoff = (now or timezone.now()) - STOPPED_UPLOAD_KEPT
    stopped = ImportBatch.objects.filter(status=ImportStatus.FAILED, finished_at__lt=cutoff).exclude(upload_path="")
    discarded = 0
    for batch in stopped.only("pk", "upload_path"):
        Path(batch.upload_path).unlink(missing_ok=True)
        batch.upload_path = ""
        batch.save(update_fields=["upload_path"])
        discarded += 1
    return discarded


@task
def discard_stopped_uploads_task() -> int:
    """Delete uploads of stopped imports kept past their week (scheduled daily)."""
    return discard_stopped_uploads()
