"""Background jobs: progress, outcome, safe re-runs, and the pages that follow them."""

import pytest
from django.urls import reverse

from waymark.core.choices import JobStatus, OrganisationType
from waymark.core.jobs import JobProgress, job_task, run_job_now, start_job
from waymark.core.models import Job, Organisation
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db


@job_task
def register_organisations(*, job, progress, names: list[str]) -> dict:
    """A job that does audited work and reports progress as it goes."""
    for done, name in enumerate(names, start=1):
        Organisation.objects.get_or_create(name=name, defaults={"org_type": OrganisationType.CHARITY})
        progress(done, len(names), f"Registered {name}")
    return {"organisations_registered": len(names)}


@job_task
def fail_half_way(*, job, progress) -> dict:
    progress(1, 2, "Reading the file")
    raise ValueError("Row 2: the postcode is missing.")


def test_started_job_runs_after_commit_and_records_progress_and_result(
    django_capture_on_commit_callbacks, make_persona
):
    staff = make_persona(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job(
            register_organisations, name="register", label="Register two groups", actor=staff, names=["A", "B"]
        )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # nothing runs before the transaction commits

    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_current, job.progress_total, job.percent) == (2, 2, 100)
    assert job.message == "Registered B"
    assert job.result == {"organisations_registered": 2}
    assert job.created_by == staff
    assert job.task_result_id
    assert job.started_at <= job.finished_at
    assert Organisation.objects.filter(name__in=["A", "B"]).count() == 2


def test_job_work_is_attributed_to_whoever_started_it(django_capture_on_commit_callbacks, make_persona):
    staff = make_persona(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        start_job(register_organisations, name="register", label="Register", actor=staff, names=["Audited group"])
    organisation = Organisation.objects.get(name="Audited group")
    assert organisation.history.get().history_user == staff


def test_failure_is_recorded_with_the_reason(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(fail_half_way, name="import", label="Import", actor=None)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Row 2: the postcode is missing."
    assert job.finished_at is not None
    assert (job.progress_current, job.progress_total) == (1, 2)


def test_run_job_now_returns_the_finished_job_and_does_not_raise():
    done = run_job_now(register_organisations, name="register", label="Register", actor=None, names=["C"])
    failed = run_job_now(fail_half_way, name="import", label="Import", actor=None)
    assert done.status == JobStatus.SUCCEEDED
    assert done.result == {"organisations_registered": 1}
    assert failed.status == JobStatus.FAILED
    assert "postcode is missing" in failed.message


def test_a_finished_job_is_not_run_again():
    job = run_job_now(register_organisations, name="register", label="Register", actor=None, names=["D"])
    finished_at = job.finished_at
    Organisation.objects.filter(name="D").delete()

    register_organisations.call(job_uuid=str(job.uuid), names=["D"])

    job.refresh_from_db()
    assert not Organisation.objects.filter(name="D").exists()
    assert job.finished_at == finished_at


def test_progress_writes_are_throttled_but_messages_and_the_end_are_saved():
    job = Job.objects.create(name="count", label="Count")
    progress = JobProgress(job)

    def saved() -> tuple[int, str]:
        row = Job.objects.get(pk=job.pk)
        return row.progress_current, row.message

    progress(1, 100)
    assert saved() == (1, "")
    progress(2, 100)
    assert saved() == (1, "")  # within half a second: not written
    progress(3, 100, "Halfway through the first file")
    assert saved() == (3, "Halfway through the first file")
    progress(100, 100)
    assert saved() == (100, "Halfway through the first file")


# --- Pages ------------------------------------------------------------------------------------


def _job_for(user, **fields) -> Job:
    return Job.objects.create(**({"name": "import", "label": "Import activity extract", "created_by": user} | fields))


def test_job_page_shows_progress_and_polls_while_running(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    job = _job_for(staff, status=JobStatus.RUNNING, progress_current=1, progress_total=4, message="Reading rows")
    verified_login(client, staff)

    response = client.get(job.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Import activity extract" in html
    assert '<progress id="job-progress-bar"' in html
    assert 'value="25"' in html
    assert "25% complete" in html
    assert "Reading rows" in html
    assert 'hx-trigger="every 2s"' in html
    assert f'hx-get="{job.get_absolute_url()}"' in html


def test_htmx_request_gets_only_the_progress_block(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    job = _job_for(staff, status=JobStatus.RUNNING, progress_current=3, progress_total=4)
    verified_login(client, staff)

    response = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.templates[0].name == "core/_job_progress.html"
    assert "<html" not in html
    assert html.strip().startswith('<div id="job-progress"')
    assert "75% complete" in html


def test_polling_stops_when_the_job_has_finished(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    job = _job_for(staff, status=JobStatus.SUCCEEDED, progress_current=4, progress_total=4, result={"rows_loaded": 4})
    verified_login(client, staff)

    html = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert "hx-trigger" not in html
    assert "100% complete" in html
    assert "Rows loaded" in html


def test_failed_job_page_says_why(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    job = _job_for(staff, status=JobStatus.FAILED, message="Row 2: the postcode is missing.")
    verified_login(client, staff)

    html = client.get(job.get_absolute_url()).content.decode()

    assert "This job failed" in html
    assert "Row 2: the postcode is missing." in html
    assert "hx-trigger" not in html


def test_someone_elses_job_is_not_found(client, make_persona, verified_login):
    job = _job_for(make_persona(Role.STAFF))
    other = make_persona(Role.STAFF)
    verified_login(client, other)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_an_administrator_sees_anyones_job(client, make_persona, verified_login):
    job = _job_for(make_persona(Role.STAFF))
    admin = make_persona(Role.ADMIN)
    verified_login(client, admin)
    assert client.get(job.get_absolute_url()).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, make_persona):
    job = _job_for(make_persona(Role.STAFF))
    for url in (reverse("core:job_list"), job.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_job_list_shows_own_jobs_to_staff_and_every_job_to_admins(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    _job_for(staff, label="Mine")
    _job_for(make_persona(Role.STAFF), label="Someone else's")

    verified_login(client, staff)
    html = client.get(reverse("core:job_list")).content.decode()
    assert "Mine" in html
    assert "Someone else&#x27;s" not in html

    verified_login(client, make_persona(Role.ADMIN))
    html = client.get(reverse("core:job_list")).content.decode()
    assert "Mine" in html
    assert "Someone else&#x27;s" in html


def test_job_list_has_25_jobs_a_page(client, make_persona, verified_login):
    staff = make_persona(Role.STAFF)
    Job.objects.bulk_create([Job(name="n", label=f"Job {n}", created_by=staff) for n in range(26)])
    verified_login(client, staff)

    first = client.get(reverse("core:job_list"))
    second = client.get(reverse("core:job_list"), {"page": 2})

    assert len(first.context["jobs"]) == 25
    assert len(second.context["jobs"]) == 1
