"""Jobs whose worker stopped: heartbeats, the scheduled reaper, and running a stopped job again."""

import threading
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.core import scheduling
from waymark.core.choices import JobStatus, OrganisationType
from waymark.core.jobs import WORKER_STOPPED, JobProgress, job_task, reap_stale_jobs, start_job
from waymark.core.models import Job, Organisation
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db

BOUNDED_WAIT = 30  # seconds: a generous ceiling that only a broken heartbeat reaches


@job_task(can_run_again=lambda job: True)
def register_organisation(*, job, progress, organisation: str) -> dict:
    """A job that is safe to run twice."""
    Organisation.objects.get_or_create(name=organisation, defaults={"org_type": OrganisationType.CHARITY})
    return {"registered": organisation}


@job_task
def register_once(*, job, progress, organisation: str) -> dict:
    """A job kind that declares nothing, so it is never offered again."""
    Organisation.objects.create(name=organisation, org_type=OrganisationType.CHARITY)
    return {}


@job_task
def wait_for_two_heartbeats(*, job, progress) -> dict:
    """Reports no progress; returns once the heartbeat thread has moved the heartbeat on twice."""
    seen = set()
    for _ in range(BOUNDED_WAIT * 100):
        seen.add(Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
        if len(seen) >= 3:
            return {"heartbeats": len(seen)}
        threading.Event().wait(0.01)
    raise AssertionError("The heartbeat never moved.")


def stranded_job(task, capture, *, actor, stale=True, **kwargs) -> Job:
    """A job as a worker that died leaves it: running, its heartbeat stopped some time ago."""
    with capture(execute=False):
        job = start_job(task, name="test", label="Stranded job", actor=actor, **kwargs)
    beat = timezone.now() - timedelta(minutes=10 if stale else 0)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=beat, heartbeat_at=beat)
    return Job.objects.get(pk=job.pk)


def test_the_scheduled_reaper_fails_jobs_whose_worker_stopped_and_leaves_live_ones(
    client, django_capture_on_commit_callbacks, make_persona, verified_login
):
    staff = make_persona(Role.STAFF)
    dead = stranded_job(register_once, django_capture_on_commit_callbacks, actor=staff, organisation="x")
    alive = stranded_job(register_once, django_capture_on_commit_callbacks, actor=staff, stale=False, organisation="y")
    verified_login(client, staff)
    assert 'hx-trigger="every 2s"' in client.get(dead.get_absolute_url()).content.decode()

    scheduling.sync_schedule()
    assert "reap_stale_jobs" in scheduling.queue_due_jobs()  # the scheduler runs the reaper (at once, in tests)

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.message == WORKER_STOPPED and dead.finished_at
    assert alive.status == JobStatus.RUNNING
    page = client.get(dead.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page  # the page has stopped asking
    assert "The worker stopped while this was running" in page
    assert "Run again" not in page  # this kind of job did not declare that it is safe to run twice


def test_a_stopped_job_safe_to_run_twice_runs_again_from_its_page(
    client, django_capture_on_commit_callbacks, make_persona, verified_login
):
    staff = make_persona(Role.STAFF)
    job = stranded_job(
        register_organisation, django_capture_on_commit_callbacks, actor=staff, organisation="Mind in Riverside"
    )
    assert reap_stale_jobs() == 1
    verified_login(client, staff)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Run again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_run_again", args=[job.uuid]), {"next": job.get_absolute_url()})
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"registered": "Mind in Riverside"}
    assert Organisation.objects.filter(name="Mind in Riverside").count() == 1


def test_run_again_refuses_a_kind_not_safe_to_run_twice_and_an_unsafe_next(
    client, django_capture_on_commit_callbacks, make_persona, verified_login
):
    staff = make_persona(Role.STAFF)
    job = stranded_job(register_once, django_capture_on_commit_callbacks, actor=staff, organisation="Once")
    reap_stale_jobs()
    verified_login(client, staff)
    response = client.post(reverse("core:job_run_again", args=[job.uuid]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "cannot be run again" in client.get(response.url).content.decode()


def test_someone_else_cannot_run_my_job_again(client, django_capture_on_commit_callbacks, make_persona, verified_login):
    job = stranded_job(
        register_organisation, django_capture_on_commit_callbacks, actor=make_persona(Role.STAFF), organisation="T"
    )
    verified_login(client, make_persona(Role.STAFF, username="other"))
    assert client.post(reverse("core:job_run_again", args=[job.uuid])).status_code == 404


def test_progress_reports_record_a_heartbeat():
    job = Job.objects.create(name="n", label="l", status=JobStatus.RUNNING)
    JobProgress(job)(1, 10, "Reading")
    job.refresh_from_db()
    assert job.heartbeat_at is not None and timezone.now() - job.heartbeat_at < timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_a_job_that_reports_no_progress_still_beats(settings):
    """A long silent step (a big sort, say) must not look like a dead worker."""
    settings.JOB_HEARTBEAT_SECONDS = 0.01
    job = start_job(wait_for_two_heartbeats, name="silent", label="Silent", actor=None)  # autocommit: runs now
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
