"""Uploading files through the pages: the batch page follows the job and lists problems by row and field."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.core.models import EthnicCodeSet
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.monitoring.choices import ImportStatus, Measure, PeriodType
from waymark.monitoring.factories import activity_record, write_table
from waymark.monitoring.models import ImportBatch, PeopleCount, PopulationFigure

pytestmark = pytest.mark.django_db


def _upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def _post_extract(client, borough, path):
    return client.post(
        reverse("monitoring:import_activity"),
        {
            "provider": borough.provider.pk,
            "file": _upload(path),
            "aggregated": "false",
            "code_set": EthnicCodeSet.objects.get(slug=NHS_ETHNIC_CATEGORY).pk,
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
        },
    )


def test_an_analyst_uploads_population_figures_and_sees_them_imported(
    client, borough, tmp_path, django_capture_on_commit_callbacks
):
    verified_login(client, borough.analyst)
    rows = [
        {
            "area_code": borough.area.code,
            "ethnic_group_code": "1",
            "age_band": "25-29",
            "sex": "Female",
            "count": "120",
        },
        {"area_code": borough.area.code, "ethnic_group_code": "1", "age_band": "25-29", "sex": "Male", "count": "110"},
    ]
    path = write_table(rows, tmp_path / "census.csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monitoring:import_population"),
            {"file": _upload(path), "code_set": EthnicCodeSet.objects.get(slug=ONS_2021).pk, "year": 2022},
        )
    batch = ImportBatch.objects.get(file_name="census.csv")
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert batch.status == ImportStatus.SUCCEEDED  # tests run tasks at once
    assert PopulationFigure.objects.filter(batch=batch).count() == 2
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Import finished" in page and batch.sha256 in page


def test_an_extract_with_errors_lists_them_by_row_and_field_and_writes_nothing(
    client, borough, tmp_path, django_capture_on_commit_callbacks
):
    verified_login(client, borough.analyst)
    rows = [
        activity_record(person_id="P1", area_code=borough.area.code, date="2024-05-10"),
        activity_record(person_id="P2", ethnic_code="QQ", area_code=borough.area.code),
        activity_record(person_id="P3", measure="teleport", area_code=borough.area.code, date="2023-01-01"),
    ]
    path = write_table(rows, tmp_path / "extract.csv")
    before = PeopleCount.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_extract(client, borough, path)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page
    # Row 3 of the file (the second record) has the unknown code; row 4 the bad measure and date.
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">3</td><td class="nhsuk-table__cell">ethnic_code</td>'
        in page
    )
    assert "Date is outside the import period." in page
    assert PeopleCount.objects.count() == before


def test_a_good_extract_replaces_the_providers_figures_for_its_period(
    client, borough, tmp_path, django_capture_on_commit_callbacks
):
    verified_login(client, borough.analyst)
    rows = [activity_record(person_id=f"P{i}", ethnic_code="M", area_code=borough.area.code) for i in range(12)]
    path = write_table(rows, tmp_path / "extract-2024.csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_extract(client, borough, path)
    batch = ImportBatch.objects.get(file_name="extract-2024.csv")
    assert batch.status == ImportStatus.SUCCEEDED
    year_people = PeopleCount.objects.filter(
        provider=borough.provider,
        measure=Measure.MHA_DETENTION,
        period_type=PeriodType.YEAR,
        period_start=datetime.date(2024, 4, 1),
        area=borough.area,
    )
    assert sum(year_people.values_list("people", flat=True)) == 12
    page = client.get(response.url).content.decode()
    assert "Replaced" in page  # the fixture's batch for the same provider, period and measure


def test_an_analyst_cannot_upload_for_a_provider_that_is_not_theirs(client, borough, tmp_path):
    verified_login(client, borough.other_analyst)
    path = write_table([activity_record()], tmp_path / "x.csv")
    response = client.post(
        reverse("monitoring:import_activity"),
        {
            "provider": borough.provider.pk,
            "file": _upload(path),
            "aggregated": "false",
            "code_set": EthnicCodeSet.objects.get(slug=NHS_ETHNIC_CATEGORY).pk,
            "period_start": "2024-04-01",
            "period_end": "2025-03-31",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ImportBatch.objects.filter(file_name="x.csv").exists()


def test_a_wrong_file_type_and_a_period_that_is_not_whole_months_are_named(client, borough):
    verified_login(client, borough.analyst)
    response = client.post(
        reverse("monitoring:import_activity"),
        {
            "provider": borough.provider.pk,
            "file": SimpleUploadedFile("notes.txt", b"hello"),
            "aggregated": "false",
            "code_set": EthnicCodeSet.objects.get(slug=NHS_ETHNIC_CATEGORY).pk,
            "period_start": "2024-04-03",
            "period_end": "2025-03-31",
        },
    )
    html = response.content.decode()
    assert "Upload a CSV file, an Excel workbook (.xlsx), a Parquet file." in html
    assert response.status_code == 200


def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client, borough):
    verified_login(client, borough.analyst)
    batches = ImportBatch.objects.count()
    response = client.post(
        reverse("monitoring:import_population"),
        {
            "file": SimpleUploadedFile("census.xlsx", b"area_code,ethnic_group_code,age_band,sex,count\n"),
            "code_set": EthnicCodeSet.objects.get(slug=ONS_2021).pk,
            "year": "2021",
        },
    )
    assert "The file&#x27;s name says it is an Excel workbook (.xlsx), but its contents are not." in response.text
    assert ImportBatch.objects.count() == batches


def test_the_batch_list_shows_each_analyst_only_their_providers_batches(client, borough):
    activity_batch = ImportBatch.objects.get(provider=borough.provider)
    verified_login(client, borough.other_analyst)
    html = client.get(reverse("monitoring:import_list")).content.decode()
    assert activity_batch.get_absolute_url() not in html
    assert client.get(activity_batch.get_absolute_url()).status_code == 404
    verified_login(client, borough.analyst)
    assert activity_batch.get_absolute_url() in client.get(reverse("monitoring:import_list")).content.decode()


def test_a_batch_whose_worker_died_shows_failed_and_runs_again(
    client, borough, tmp_path, django_capture_on_commit_callbacks
):
    """The worker died part-way: the reaper fails the job, the batch follows it, its page stops polling and
    offers "Run again", which imports the kept upload once."""
    from waymark.core.choices import JobStatus
    from waymark.core.jobs import reap_stale_jobs
    from waymark.core.models import Job

    verified_login(client, borough.analyst)
    rows = [activity_record(person_id="P1", area_code=borough.area.code, date="2024-05-10")]
    with django_capture_on_commit_callbacks(execute=False):  # queued, but no worker takes it
        _post_extract(client, borough, write_table(rows, tmp_path / "extract.csv"))
    batch = ImportBatch.objects.get(file_name="extract.csv")
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    Job.objects.filter(pk=batch.job_id).update(status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING)
    assert 'hx-trigger="every 2s"' in client.get(batch.get_absolute_url()).content.decode()

    assert reap_stale_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page
    assert "The worker stopped while this was running" in page and "Run again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_run_again", args=[batch.job.uuid]), {"next": batch.get_absolute_url()})
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED and batch.job.status == JobStatus.SUCCEEDED
    assert batch.upload_path == "" and PeopleCount.objects.filter(batch=batch).exists()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Import finished" in page and "worker stopped" not in page and "Run again" not in page


def test_the_upload_of_a_stopped_import_is_deleted_a_week_later_if_nobody_ran_it_again(
    client, borough, tmp_path, django_capture_on_commit_callbacks
):
    """Record-level data kept for "Run again" is not kept for ever."""
    from waymark.core.jobs import reap_stale_jobs
    from waymark.monitoring.imports.jobs import discard_stopped_uploads

    verified_login(client, borough.analyst)
    rows = [activity_record(person_id="P1", area_code=borough.area.code, date="2024-05-10")]
    with django_capture_on_commit_callbacks(execute=False):
        _post_extract(client, borough, write_table(rows, tmp_path / "extract.csv"))
    batch = ImportBatch.objects.get(file_name="extract.csv")
    batch.job.status, batch.job.heartbeat_at = "running", batch.created_at
    batch.job.save()
    reap_stale_jobs(now=batch.created_at + datetime.timedelta(hours=1))
    batch.refresh_from_db()
    upload = batch.upload_path
    assert batch.status == ImportStatus.FAILED and upload

    assert discard_stopped_uploads(now=batch.finished_at + datetime.timedelta(days=6)) == 0
    assert discard_stopped_uploads(now=batch.finished_at + datetime.timedelta(days=8)) == 1
    batch.refresh_from_db()
    assert batch.upload_path == "" and not Path(upload).exists()
    assert "Run again" not in client.get(batch.get_absolute_url()).content.decode()
