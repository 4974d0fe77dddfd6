"""Periodic jobs: declared in code, kept in ScheduledJob rows, queued by the scheduler when due.

Apps call ``register_periodic()`` (from their AppConfig.ready) with the import path of a task that
takes no arguments. ``manage.py run_scheduler`` calls ``sync_schedule()`` once and then
``queue_due_jobs()`` every tick. Any number of schedulers may run: each due run is claimed with a
compare-and-set update, so only one of them queues it.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from waymark.core.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """A task the scheduler queues every ``every``."""

    name: str
    task_path: str
    every: timedelta


_registry: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task_path: str, every: timedelta) -> None:
    """Declare that the task at ``task_path`` runs every ``every``. Registering a name again replaces it."""
    if every < timedelta(seconds=1):
        raise ValueError(f"Periodic job {name!r} must run at most once a second, not every {every}.")
    _registry[name] = PeriodicJob(name=name, task_path=task_path, every=every)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def sync_schedule(now: datetime | None = None) -> None:
    """Make the ScheduledJob rows match the registry: add new jobs (due at once), follow interval
    changes, and disable rows whose job is no longer registered."""
    now = now or timezone.now()
    for job in periodic_jobs():
        interval = int(job.every.total_seconds())
        row, created = ScheduledJob.objects.get_or_create(
            name=job.name,
            defaults={"task_path": job.task_path, "interval_seconds": interval, "enabled": True, "next_run_at": now},
        )
        if created:
            continue
        changes: dict[str, Any] = {}
        if row.task_path != job.task_path:
            changes["task_path"] = job.task_path
        if not row.enabled:
            changes["enabled"] = True
        if row.interval_seconds != interval:
            changes["interval_seconds"] = interval
            # The next run follows the new interval from the last run, so a shortened interval takes effect now.
            changes["next_run_at"] = (row.last_run_at or now) + job.every
        if changes:
            ScheduledJob.objects.filter(pk=row.pk).update(**changes)
    ScheduledJob.objects.filter(enabled=True).exclude(name__in=_registry).update(enabled=False)


def claim_run(row: ScheduledJob, now: datetime) -> bool:
    """Move the row's next run on by its interval, only if ``next_run_at`` still holds the value read.

    When two schedulers read the same due row, only the first update matches: the other gets False.
    """
    claimed = ScheduledJob.objects.filter(pk=row.pk, enabled=True, next_run_at=row.next_run_at).update(
        next_run_at=now + timedelta(seconds=row.interval_seconds), last_run_at=now
    )
    return bool(claimed)


def queue_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue every enabled job whose next run is due, and return their names.

    Claim and enqueue share one transaction: with the database task backend a failed enqueue
    leaves the run due for the next tick.
    """
    now = now or timezone.now()
    queued = []
    for row in ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now):
        try:
            with transaction.atomic():
                if not claim_run(row, now):
                    continue
                periodic_task = import_string(row.task_path)
                if not isinstance(periodic_task, Task):
                    raise TypeError(f"{row.task_path} is not a task (decorate it with @task).")
                periodic_task.enqueue()
        except Exception:
            logger.exception("Could not queue periodic job %s (%s).", row.name, row.task_path)
            continue
        queued.append(row.name)
    return queued


register_periodic("enforce_retention", "waymark.core.tasks.enforce_retention", timedelta(days=1))
register_periodic("purge_finished_tasks", "waymark.core.tasks.purge_finished_tasks", timedelta(days=1))
register_periodic("clear_expired_sessions", "waymark.core.tasks.clear_expired_sessions", timedelta(days=1))
register_periodic("reap_stale_jobs", "waymark.core.tasks.reap_stale_jobs", timedelta(minutes=1))
register_periodic("retry_email_deliveries", "waymark.core.tasks.retry_email_deliveries", timedelta(minutes=1))
