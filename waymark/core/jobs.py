"""Background jobs a person starts and watches: a Job row that records progress and outcome.

A job function is written once, decorated with ``@job_task``, and then either
queued for the task worker (``start_job``, from a page) or run in this process
(``run_job_now``, from a management command). Either way the Job row shows the
same progress, result and error, and the work is attributed to whoever started it.

While a job runs, its worker records a heartbeat. A worker that dies (killed, out of
memory, the machine restarted) leaves its job "running"; ``reap_stale_jobs`` (scheduled
every minute) marks a job whose heartbeat is stale as failed, so its page stops waiting.
A kind of job that is safe to run twice declares ``can_run_again`` and may then be put
back in the queue with its stored input (``run_again``); ``follow`` lets the record a job
works on (an import batch) follow the job's state when the job machinery changes it.
"""

import contextlib
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.tasks import Task, TaskResultStatus
from django.tasks import task as define_task
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from waymark.core.audit import acting_as
from waymark.core.choices import JobStatus
from waymark.core.models import Job

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = Job._meta.get_field("message").max_length or 500
WORKER_STOPPED = (
    "The worker stopped while this was running, so it did not finish. Nothing it was part-way through was kept."
)


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
            job.heartbeat_at = timezone.now()
            job.save(update_fields=["progress_current", "progress_total", "message", "heartbeat_at"])
            self._last_saved = now


@contextlib.contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """Record the job's heartbeat every JOB_HEARTBEAT_SECONDS while the block runs, from a thread of its own,
    so a long step that reports no progress (a big sort, say) does not look like a dead worker."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    # SQLite may be locked by the job's own write; the next beat, or a progress report, will do.
                    logger.warning("Could not record the heartbeat of job %s.", job.uuid)
        finally:
            connections.close_all()  # this thread's own connections only

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.uuid}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


JobFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind:
    """What the job machinery needs to know about one kind of job, declared with ``@job_task``.

    ``can_run_again(job)`` is given only for work that is safe to do twice, and says whether the stored
    input is still there; ``follow(job)`` is called after the machinery changed the job's status (it
    failed, was reaped, or was queued again), so a record the job works on can follow it.
    """

    can_run_again: Callable[[Job], bool] | None = None
    follow: Callable[[Job], None] | None = None


_kinds: dict[str, JobKind] = {}


def _kind(job: Job) -> JobKind:
    return _kinds.get(job.task_path, JobKind())


def _follow(job: Job) -> None:
    follow = _kind(job).follow
    if follow is not None:
        follow(job)


def _execute(func: JobFunction, job_uuid: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Run ``func`` for the job, recording start, result or failure. A finished job is left alone."""
    job = Job.objects.select_related("created_by").get(uuid=job_uuid)
    if job.is_finished:
        logger.info("Job %s (%s) has already finished; not running it again.", job.uuid, job.name)
        return job.result
    job.status = JobStatus.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    try:
        with acting_as(job.created_by), heartbeat(job):
            result = func(job=job, progress=JobProgress(job), **kwargs)
    except Exception as exc:
        job.status = JobStatus.FAILED
        job.message = (str(exc) or type(exc).__name__)[:MESSAGE_LENGTH]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        logger.exception("Job %s (%s) failed.", job.uuid, job.name)
        _follow(job)
        raise
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.finished_at = timezone.now()
    if job.progress_total and job.progress_current < job.progress_total:
        job.progress_current = job.progress_total
    job.save(update_fields=["status", "result", "finished_at", "progress_current", "progress_total", "message"])
    return job.result


def job_task(
    func: JobFunction | None = None,
    *,
    can_run_again: Callable[[Job], bool] | None = None,
    follow: Callable[[Job], None] | None = None,
) -> Any:
    """Turn ``func(*, job, progress, **kwargs) -> dict | None`` into a task taking ``job_uuid`` plus kwargs.

    The task is registered under ``func``'s own module and name, so the worker finds it by import path.
    Used bare, or with the ``JobKind`` hooks: ``@job_task(can_run_again=..., follow=...)``.
    """

    def decorate(func: JobFunction) -> Task:
        @functools.wraps(func)
        def run(job_uuid: str, **kwargs: Any) -> dict[str, Any]:
            return _execute(func, job_uuid, kwargs)

        defined = define_task(run)
        _kinds[defined.module_path] = JobKind(can_run_again=can_run_again, follow=follow)
        return defined

    return decorate(func) if func is not None else decorate


def _create_job(*, task: Task, name: str, label: str, actor: Any, kwargs: dict[str, Any]) -> Job:
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    return Job.objects.create(
        name=name,
        label=label[: Job._meta.get_field("label").max_length],
        created_by=created_by,
        task_path=task.module_path,
        task_kwargs=kwargs,
    )


def _enqueue_on_commit(task: Task, job: Job) -> None:
    def enqueue() -> None:
        result = task.enqueue(job_uuid=str(job.uuid), **job.task_kwargs)
        job.task_result_id = result.id
        # Only this column: with an immediate backend the task has already updated the row.
        Job.objects.filter(pk=job.pk).update(task_result_id=result.id)

    transaction.on_commit(enqueue)


def start_job(task: Task, *, name: str, label: str, actor: Any, **kwargs: Any) -> Job:
    """Create a Job and queue its task once the surrounding transaction commits. Kwargs must be JSON-safe."""
    job = _create_job(task=task, name=name, label=label, actor=actor, kwargs=kwargs)
    _enqueue_on_commit(task, job)
    return job


def run_job_now(task: Task, *, name: str, label: str, actor: Any, **kwargs: Any) -> Job:
    """Create a Job and run its task here (management commands). A failure is recorded on the Job, not raised."""
    job = _create_job(task=task, name=name, label=label, actor=actor, kwargs=kwargs)
    # _execute has already logged the failure and recorded it on the Job row.
    with contextlib.suppress(Exception):
        task.call(job_uuid=str(job.uuid), **kwargs)
    job.refresh_from_db()
    return job


def reap_stale_jobs(now: datetime | None = None) -> int:
    """Mark failed every running job whose heartbeat is older than JOB_STALE_SECONDS: its worker has gone.

    The job's task result is marked failed too, and the kind's ``follow`` hook runs (an import batch then
    shows failed). Each job is claimed with a compare-and-set, so two reapers never both act on one.
    Returns how many jobs were reaped.
    """
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    reaped = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before):
        with transaction.atomic():
            claimed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at).update(
                status=JobStatus.FAILED, message=WORKER_STOPPED, finished_at=now
            )
            if not claimed:
                continue
            if job.task_result_id:
                DBTaskResult.objects.filter(id=job.task_result_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="", traceback=WORKER_STOPPED
                )
            job.refresh_from_db()
            _follow(job)
        logger.warning("Job %s (%s) lost its worker; marked failed.", job.uuid, job.name)
        reaped += 1
    return reaped


class CannotRunAgain(Exception):
    """The job is not a failed job of a kind that is safe to run twice, or its stored input has gone."""


def can_run_again(job: Job) -> bool:
    """Whether the job failed, is of a kind safe to run twice, and still has the input it needs."""
    check = _kind(job).can_run_again
    return job.status == JobStatus.FAILED and check is not None and check(job)


def run_again(job: Job, *, actor: Any) -> Job:
    """Put a failed job back in the queue with its stored input, on the same Job row (its pages stay valid)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not can_run_again(locked):
            raise CannotRunAgain(f"“{locked.label}” cannot be run again.")
        locked.status = JobStatus.QUEUED
        locked.message = ""
        locked.result = {}
        locked.progress_current = locked.progress_total = 0
        locked.started_at = locked.heartbeat_at = locked.finished_at = None
        locked.save()
        _follow(locked)
        _enqueue_on_commit(import_string(locked.task_path), locked)
    logger.info("Job %s (%s) queued again by user %s.", locked.uuid, locked.name, getattr(actor, "pk", None))
    return locked
