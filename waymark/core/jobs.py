"""Background jobs a person starts and watches: a Job row that records progress and outcome.

A job function is written once, decorated with ``@job_task``, and then either
queued for the task worker (``start_job``, from a page) or run in this process
(``run_job_now``, from a management command). Either way the Job row shows the
same progress, result and error, and the work is attributed to whoever started it.
"""

import contextlib
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.tasks import Task
from django.tasks import task as define_task
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.core.choices import JobStatus
from waymark.core.models import Job

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = Job._meta.get_field("message").max_length or 500


Progress = Callable[[int, int, str], None]  # (current, total, message): a JobProgress, or no_progress


def no_progress(current: int, total: int, message: str = "") -> None:
    """Progress for work run in this process (demo, benchmark, tests) without a job to report to."""


class JobProgress:
    """Records how far a job has got. Writes are throttled so a tight loop does not hammer the database."""

    min_interval = 0.5  # seconds between saves when nothing else forces one

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last_saved = 0.0

    def __call__(self, current: int, total: int, message: str = "") -> None:
        job = self.job
        message = message[:MESSAGE_LENGTH]
        message_changed = bool(message) and message != job.message
        job.progress_current = max(0, current)
        job.progress_total = max(0, total)
        if message:
            job.message = message
        now = time.monotonic()
        if message_changed or current >= total or now - self._last_saved >= self.min_interval:
            job.save(update_fields=["progress_current", "progress_total", "message"])
            self._last_saved = now


JobFunction = Callable[..., dict[str, Any] | None]


def _execute(func: JobFunction, job_uuid: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Run ``func`` for the job, recording start, result or failure. A finished job is left alone."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    if job.is_finished:
        logger.info("Job %s (%s) has already finished; not running it again.", job.uuid, job.name)
        return job.result
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with acting_as(job.created_by):
            result = func(job=job, progress=JobProgress(job), **kwargs)
    except Exception as exc:
        job.status = JobStatus.FAILED
        job.message = (str(exc) or type(exc).__name__)[:MESSAGE_LENGTH]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        logger.exception("Job %s (%s) failed.", job.uuid, job.name)
        raise
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.finished_at = timezone.now()
    if job.progress_total and job.progress_current < job.progress_total:
        job.progress_current = job.progress_total
    job.save(update_fields=["status", "result", "finished_at", "progress_current", "progress_total", "message"])
    return job.result


def job_task(func: JobFunction) -> Task:
    """Turn ``func(*, job, progress, **kwargs) -> dict | None`` into a task taking ``job_uuid`` plus kwargs.

    The task is registered under ``func``'s own module and name, so the worker finds it by import path.
    """

    @functools.wraps(func)
    def run(job_uuid: str, **kwargs: Any) -> dict[str, Any]:
        return _execute(func, job_uuid, kwargs)

    return define_task(run)


def _create_job(*, name: str, label: str, actor: Any) -> Job:
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    return Job.objects.create(name=name, label=label[: Job._meta.get_field("label").max_length], created_by=created_by)


def start_job(task: Task, *, name: str, label: str, actor: Any, **kwargs: Any) -> Job:
    """Create a Job and queue its task once the surrounding transaction commits. Kwargs must be JSON-safe."""
    job = _create_job(name=name, label=label, actor=actor)

    def enqueue() -> None:
        result = task.enqueue(job_uuid=str(job.uuid), **kwargs)
        job.task_result_id = result.id
        # Only this column: with an immediate backend the task has already updated the row.
        Job.objects.filter(pk=job.pk).update(task_result_id=result.id)

    transaction.on_commit(enqueue)
    return job


def run_job_now(task: Task, *, name: str, label: str, actor: Any, **kwargs: Any) -> Job:
    """Create a Job and run its task here (management commands). A failure is recorded on the Job, not raised."""
    job = _create_job(name=name, label=label, actor=actor)
    # _execute has already logged the failure and recorded it on the Job row.
    with contextlib.suppress(Exception):
        task.call(job_uuid=str(job.uuid), **kwargs)
    job.refresh_from_db()
    return job
