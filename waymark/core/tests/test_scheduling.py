"""The scheduler: the code's schedule kept in rows, and each due run queued exactly once."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waymark.core import scheduling
from waymark.core.choices import JobStatus
from waymark.core.models import Job, ScheduledJob, Sector
from waymark.core.tasks import purge_finished_tasks

pytestmark = pytest.mark.django_db

TASK_PATH = "waymark.core.tests.test_scheduling.count_a_run"


@task
def count_a_run() -> None:
    """Leaves a Sector row per run, so a test can count runs."""
    Sector.objects.create(slug=f"scheduled-run-{uuid.uuid4().hex}", name="Scheduled run")


def runs() -> int:
    return Sector.objects.filter(name="Scheduled run").count()


@pytest.fixture
def registry(monkeypatch):
    """A registry holding only what the test registers."""
    monkeypatch.setattr(scheduling, "_registry", {})
    return scheduling


def test_sync_adds_new_jobs_due_now_and_disables_unregistered_ones(registry):
    now = timezone.now()
    ScheduledJob.objects.create(name="retired", task_path=TASK_PATH, interval_seconds=60, next_run_at=now)
    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))

    registry.sync_schedule(now=now)

    row = ScheduledJob.objects.get(name="count")
    assert (row.task_path, row.interval_seconds, row.enabled, row.next_run_at) == (TASK_PATH, 3600, True, now)
    assert not ScheduledJob.objects.get(name="retired").enabled


def test_sync_follows_a_changed_interval(registry):
    now = timezone.now()
    registry.register_periodic("count", TASK_PATH, timedelta(days=1))
    registry.sync_schedule(now=now)
    ScheduledJob.objects.filter(name="count").update(last_run_at=now, next_run_at=now + timedelta(days=1))

    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))
    registry.sync_schedule(now=now)

    row = ScheduledJob.objects.get(name="count")
    assert row.interval_seconds == 3600
    assert row.next_run_at == now + timedelta(hours=1)


def test_a_due_job_is_queued_once_even_when_two_ticks_share_the_same_time(registry):
    now = timezone.now()
    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))
    registry.sync_schedule(now=now)

    first = registry.queue_due_jobs(now=now)
    second = registry.queue_due_jobs(now=now)

    assert first == ["count"]
    assert second == []
    assert runs() == 1
    row = ScheduledJob.objects.get(name="count")
    assert row.last_run_at == now
    assert row.next_run_at == now + timedelta(hours=1)


def test_a_scheduler_holding_a_stale_row_cannot_claim_the_run_again(registry):
    """Two schedulers read the same due row; only the first one's claim succeeds."""
    now = timezone.now()
    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))
    registry.sync_schedule(now=now)
    seen_by_first = ScheduledJob.objects.get(name="count")
    seen_by_second = ScheduledJob.objects.get(name="count")

    assert registry.claim_run(seen_by_first, now) is True
    assert registry.claim_run(seen_by_second, now + timedelta(seconds=1)) is False
    assert ScheduledJob.objects.get(name="count").last_run_at == now


def test_the_next_run_waits_for_the_interval(registry):
    now = timezone.now()
    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))
    registry.sync_schedule(now=now)
    registry.queue_due_jobs(now=now)

    assert registry.queue_due_jobs(now=now + timedelta(minutes=59)) == []
    assert registry.queue_due_jobs(now=now + timedelta(hours=1)) == ["count"]
    assert runs() == 2


def test_a_broken_task_path_leaves_the_run_due(registry):
    now = timezone.now()
    registry.register_periodic("broken", "waymark.core.tests.test_scheduling.no_such_task", timedelta(hours=1))
    registry.sync_schedule(now=now)

    assert registry.queue_due_jobs(now=now) == []
    assert ScheduledJob.objects.get(name="broken").next_run_at == now


def test_the_foundation_registers_retention_and_purging():
    names = {job.name for job in scheduling.periodic_jobs()}
    assert {"enforce_retention", "purge_finished_tasks"} <= names


def test_run_scheduler_once_queues_what_is_due(registry, capsys):
    registry.register_periodic("count", TASK_PATH, timedelta(hours=1))
    call_command("run_scheduler", "--once")
    assert "Queued: count" in capsys.readouterr().out
    assert runs() == 1


def test_purge_removes_task_results_and_jobs_finished_over_90_days_ago():
    long_ago = timezone.now() - timedelta(days=91)
    recently = timezone.now() - timedelta(days=10)
    for finished_at in (long_ago, recently):
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path=TASK_PATH,
            backend_name="default",
            run_after=finished_at,
            status="SUCCESSFUL",
            finished_at=finished_at,
        )
        Job.objects.create(name="n", label="l", status=JobStatus.SUCCEEDED, finished_at=finished_at)
    running = Job.objects.create(name="n", label="still running", status=JobStatus.RUNNING)

    outcome = purge_finished_tasks.call()

    assert outcome == {"task_results": 1, "jobs": 1}
    assert list(DBTaskResult.objects.values_list("finished_at", flat=True)) == [recently]
    assert set(Job.objects.values_list("finished_at", flat=True)) == {recently, None}
    assert Job.objects.filter(pk=running.pk).exists()


def test_expired_sessions_are_cleared_daily_and_live_ones_kept():
    """Anonymous visitors' shortlists live in sessions; without a schedule their rows would pile up for ever."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from waymark.core.tasks import clear_expired_sessions

    live = SessionStore()
    live["shortlist"] = [1, 2]
    live.create()
    expired = SessionStore()
    expired["shortlist"] = [3]
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(minutes=1))

    clear_expired_sessions.call()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    schedule = {job.name: job for job in scheduling.periodic_jobs()}
    assert schedule["clear_expired_sessions"].task_path == "waymark.core.tasks.clear_expired_sessions"
    assert schedule["clear_expired_sessions"].every == timedelta(days=1)
