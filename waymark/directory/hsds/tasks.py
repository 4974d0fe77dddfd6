"""The background job that imports an uploaded HSDS file."""

from typing import Any

from django.core.files.storage import default_storage

from waymark.core.jobs import JobProgress, job_task
from waymark.core.models import Job
from waymark.directory.hsds.importing import import_hsds_json, import_tabular_package, read_json_file


class ImportRejected(Exception):
    """The file had problems, so nothing was imported; the job's result lists them."""


IMPORT_JOB_NAME = "hsds_import"


def _upload_kept(job: Job) -> bool:
    """An import writes all or nothing, so it may be run again while its upload is still stored."""
    path = job.task_kwargs.get("path")
    return bool(path) and default_storage.exists(path)


@job_task(can_run_again=_upload_kept)
def import_uploaded_file(*, job: Job, progress: JobProgress, path: str) -> dict[str, Any]:
    """Background job: import the HSDS file saved at ``path`` in the default storage (a .zip tabular
    package, else JSON), then delete the file. A rejected file fails the job, with every problem in
    its result. Only a worker that dies part-way leaves the file, for "Run again"."""
    try:
        with default_storage.open(path, "rb") as upload:
            raw = upload.read()
        if path.endswith(".zip"):
            report = import_tabular_package(raw, actor=job.created_by, progress=progress)
        else:
            data, unreadable = read_json_file(raw)
            report = unreadable or import_hsds_json(data, actor=job.created_by, progress=progress)
    finally:
        default_storage.delete(path)  # it may hold staff-only data: keep it no longer than the import
    if report.errors:
        job.result = report.as_dict()
        job.save(update_fields=["result"])
        count = report.problem_count
        raise ImportRejected(
            f"Nothing was imported: the file has {count:,} problem{'s' if count != 1 else ''} to put right first."
        )
    return report.as_dict()
