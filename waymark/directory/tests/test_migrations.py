"""Data migrations of the directory."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.module_loading import import_string

from waymark.core.choices import JobStatus
from waymark.core.jobs import can_run_again
from waymark.core.models import Job
from waymark.directory.hsds.tasks import IMPORT_JOB_NAME

pytestmark = pytest.mark.django_db

task_moved = importlib.import_module("waymark.directory.migrations.0006_hsds_import_task_moved")


def test_an_import_job_started_before_the_hsds_package_still_runs_again():
    path = default_storage.save("imports/services.json", ContentFile(b"[]"))
    job = Job.objects.create(
        name=IMPORT_JOB_NAME,
        label="Import services.json",
        status=JobStatus.FAILED,
        task_path=task_moved.OLD_PATH,
        task_kwargs={"path": path},
    )
    try:
        task_moved.forwards(apps, None)

        job.refresh_from_db()
        assert job.task_path == task_moved.NEW_PATH
        import_string(job.task_path)  # the worker finds the task
        assert can_run_again(job)
    finally:
        default_storage.delete(path)
