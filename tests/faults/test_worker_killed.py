"""A task worker killed with SIGKILL half-way through an import: nothing partial is kept, the reaper fails the
job and its batch, and after a restart the import either runs again to the end or stays failed."""

import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waymark.accounts.factories import make_persona
from waymark.core.choices import JobStatus
from waymark.core.jobs import WORKER_STOPPED, reap_stale_jobs, run_again
from waymark.core.roles import Role
from waymark.monitoring.choices import ImportStatus
from waymark.monitoring.factories import LsoaFactory, MsoaFactory, ProviderFactory, activity_record, write_table
from waymark.monitoring.models import ActivityCount, DataQualityFigure, ImportBatch, PeopleCount
from waymark.monitoring.services.imports import start_activity_import

pytestmark = pytest.mark.django_db(transaction=True)


def figures(batch: ImportBatch) -> int:
    return sum(model.objects.filter(batch=batch).count() for model in (ActivityCount, PeopleCount, DataQualityFigure))


def queue_import(tmp_path) -> ImportBatch:
    """An activity import queued for the worker, as the upload page queues it."""
    lsoa = LsoaFactory(parent=MsoaFactory())
    rows = [activity_record(person_id=f"P{n}", area_code=lsoa.code, date=f"2024-{5 + n % 6:02d}-10") for n in range(40)]
    content = write_table(rows, tmp_path / "extract.csv").read_bytes()
    batch = start_activity_import(
        actor=make_persona(Role.ADMIN),
        uploaded_file=SimpleUploadedFile("extract.csv", content, content_type="text/csv"),
        provider=ProviderFactory(ods_code="RXX"),
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
    )
    batch.refresh_from_db()
    assert batch.job.task_result_id  # queued in the database for a worker (autocommit: on_commit ran at once)
    return batch


def kill_inside_the_write(start_worker, batch: ImportBatch) -> None:
    worker = start_worker("inside-import-write")
    worker.wait_for("HALTED")  # the worker has inserted figures inside its transaction and stopped there
    assert figures(batch) == 0  # not committed, so nobody sees them
    worker.kill()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING and batch.job.status == JobStatus.RUNNING
    assert figures(batch) == 0  # the killed transaction was rolled back, not half-kept


def reap() -> int:
    """The scheduled reaper, as it runs once the dead worker's heartbeat has gone stale."""
    return reap_stale_jobs(now=timezone.now() + timedelta(seconds=settings.JOB_STALE_SECONDS + 1))


def test_an_import_killed_half_way_leaves_no_figures_and_its_batch_fails_once_reaped(start_worker, tmp_path):
    batch = queue_import(tmp_path)
    kill_inside_the_write(start_worker, batch)

    assert reap() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.message == WORKER_STOPPED
    assert batch.job.status == JobStatus.FAILED and batch.job.message == WORKER_STOPPED
    task_result = DBTaskResult.objects.get(id=batch.job.task_result_id)
    assert task_result.status == TaskResultStatus.FAILED
    assert figures(batch) == 0


def test_a_worker_killed_mid_task_and_restarted_never_leaves_the_task_half_done(start_worker, tmp_path):
    batch = queue_import(tmp_path)
    kill_inside_the_write(start_worker, batch)

    start_worker().finish()  # a restarted worker does not pick up the task it cannot know the state of
    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING and figures(batch) == 0

    reap()  # so it is marked failed, with nothing written ...
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and figures(batch) == 0

    run_again(batch.job, actor=batch.uploaded_by)  # ... or, run again, finished by the restarted worker
    start_worker().finish()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED and batch.job.status == JobStatus.SUCCEEDED
    assert batch.figures_written > 0 and figures(batch) == batch.figures_written  # written once, in full
    assert batch.upload_path == ""
