"""An analyst loads a trust's extract, reads its dashboard and disproportionality, and publishes a snapshot
that the public can read without signing in; every page checked with axe-core."""

import datetime
import io
import re

import pytest
from django.apps import apps
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.codes import load_default_grouping
from waymark.monitoring.factories import (
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationFigureFactory,
    ProviderFactory,
    activity_record,
    ethnic_group,
    write_table,
)
from waymark.monitoring.models import PublishedSnapshot

pytestmark = pytest.mark.django_db(transaction=True)

# ONS 2021 code → residents; NHS code → people detained (one record each).
POPULATION = {"13": 60_000, "7": 6_000, "6": 5_000, "3": 9_000}
DETAINED = {"A": 30, "M": 24, "N": 14, "H": 9}


def _borough():
    load_default_grouping(apps)  # the transactional test emptied the migration's grouping
    area = LocalAuthorityFactory(name="Riverside", code="E09000099")
    for code, count in POPULATION.items():
        PopulationFigureFactory(area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    provider = ProviderFactory(name="Riverside Mental Health Trust", ods_code="RVX")
    analyst = with_authenticator(make_persona(Role.ANALYST, provider))
    return area, provider, analyst


def _extract(tmp_path, area_code: str):
    rows = []
    for code, people in DETAINED.items():
        for i in range(people):
            rows.append(
                activity_record(
                    person_id=f"{code}{i}",
                    ethnic_code=code,
                    area_code=area_code,
                    provider_code="RVX",
                    date=f"2024-{4 + i % 9:02d}-15",
                )
            )
    rows.append(activity_record(person_id="Z1", ethnic_code="Z", area_code=area_code, provider_code="RVX"))
    return write_table(rows, tmp_path / "rvx-detentions-2024.csv")


def test_an_analyst_loads_an_extract_reads_the_dashboard_and_publishes_a_snapshot(browse, tmp_path):
    area, provider, analyst = _borough()
    page = browse.page
    sign_in(browse, analyst)

    # Upload the extract.
    browse.goto("/monitoring/")
    page.get_by_role("link", name="Upload an activity extract").click()
    browse.check()
    page.get_by_label("Provider").select_option(label=provider.name)
    page.get_by_label("File", exact=True).set_input_files(str(_extract(tmp_path, area.code)))
    page.get_by_label("One row per record").check()
    fill_date(page, "Period start", "2024-04-01")
    fill_date(page, "Period end", "2025-03-31")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=30_000)
    browse.check()

    # The import list beside the census batches, narrowed to this analyst's own uploads (htmx swaps the results).
    browse.goto("/monitoring/imports/")
    expect(page.get_by_role("status")).to_have_text("5 imports")
    page.get_by_label("Uploaded by").select_option(label="Me")
    expect(page.get_by_role("status")).to_have_text("1 import")
    expect(page).to_have_url(re.compile(r"uploaded_by=me"))
    browse.check()
    batches = page.get_by_role("table", name="Import batches, newest first")
    expect(batches.get_by_role("link", name="rvx-detentions-2024.csv")).to_be_visible()
    expect(batches).not_to_contain_text("Population")
    # The same filters typed into the address bar, as a bookmarked list would be opened.
    browse.goto(f"/monitoring/imports/?kind=activity&status=succeeded&provider={provider.uuid}")
    expect(page.get_by_label("Status")).to_have_value("succeeded")
    expect(page.get_by_role("status")).to_have_text("1 import")

    # The provider's dashboard: full figures for its own analyst, with the chart beside the table.
    browse.goto(f"/monitoring/providers/{provider.uuid}/")
    expect(page.get_by_role("heading", name="Mental Health Act detention", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Mental Health Act detention by ethnic group")
    # Each group named with its broad group, so Caribbean is not read as White and Black Caribbean.
    caribbean = table.get_by_role("row", name=re.compile(r"^Black or Black British: Caribbean"))
    expect(caribbean).to_contain_text("24")
    expect(caribbean).to_contain_text("Higher")
    expect(table.get_by_role("row", name=re.compile(r"^Mixed: White and Black Caribbean"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^White British"))).to_be_visible()
    # Its spreadsheet of unsuppressed figures says so on its first sheet, above the figures.
    download = page.request.get(f"{browse.base_url}/monitoring/providers/{provider.uuid}/?format=xlsx")
    first_sheet = load_workbook(io.BytesIO(download.body())).worksheets[0]
    lines, figures = split_file_header(list(first_sheet.iter_rows(values_only=True)))
    assert lines[-1] == "Not for publication: unsuppressed figures"
    assert any(row[2] == "Black or Black British: Caribbean" for row in figures[1:])
    expect(
        page.get_by_role("img", name=re.compile("Mental Health Act detention: rate by ethnic group"))
    ).to_be_visible()

    # Disproportionality at the stricter 99.8% level.
    browse.goto("/monitoring/disproportionality/")
    page.get_by_label("Confidence level").select_option(label="99.8%")
    page.get_by_role("button", name="Update figures").click()
    browse.check()
    expect(page.get_by_text("with 99.8% confidence intervals")).to_be_visible()

    # Coding quality: one of 76 records was "not stated".
    browse.goto(f"/monitoring/providers/{provider.uuid}/data-quality/")
    expect(page.get_by_role("table", name="Coding quality by month")).to_be_visible()

    # Publish, then read it as the public.
    browse.goto(f"/monitoring/providers/{provider.uuid}/")
    page.get_by_role("link", name="Publish a snapshot of these figures").click()
    browse.check()
    page.get_by_label("Title").fill("Detentions by ethnic group, April 2024 to March 2025")
    page.get_by_label("Methods note").fill("People detained under the Mental Health Act, by ethnic group.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Detentions by ethnic group, April 2024 to March 2025")
    browse.check()
    snapshot = PublishedSnapshot.objects.get()
    assert snapshot.published_on == datetime.date.today()

    page.get_by_role("button", name="Sign out").click()
    browse.check()
    browse.goto("/monitoring/published/")
    page.get_by_label("Provider").select_option(label=provider.name)
    expect(page).to_have_url(re.compile(rf"provider={provider.uuid}"))
    expect(page.get_by_role("status")).to_have_text("1 snapshot")
    browse.check()
    page.get_by_role("link", name="Detentions by ethnic group, April 2024 to March 2025").click()
    browse.check()
    public_table = page.get_by_role("table", name="Mental Health Act detention by ethnic group")
    # 9 Indian people is published rounded to 10; nothing from 1 to 7 can appear.
    expect(public_table.get_by_role("row", name=re.compile(r"^Asian or Asian British: Indian"))).to_contain_text("10")
    expect(page.get_by_text("Counts from 1 to 7 are suppressed").first).to_be_visible()


def test_an_admin_records_an_agreement_and_the_commissioners_analyst_then_sees_full_figures(browse):
    area, provider, _analyst = _borough()
    batch = ImportBatchFactory(provider=provider)
    for code, people in DETAINED.items():
        PeopleCountFactory(batch=batch, area=area, ethnic_group=ethnic_group(code), people=people)
    commissioner = OrganisationFactory(name="Riverside Integrated Care Board", org_type=OrganisationType.ICB)
    admin = with_authenticator(make_persona(Role.ADMIN))
    commissioner_analyst = with_authenticator(make_persona(Role.ANALYST, commissioner))
    page = browse.page

    sign_in(browse, admin)
    browse.goto("/monitoring/")
    page.get_by_role("link", name="Data-sharing access").click()
    browse.check()
    page.get_by_role("button", name="Record an agreement").click()
    browse.check()
    page.get_by_label("Provider").select_option(label=str(provider))
    page.get_by_label("Commissioning organisation").select_option(label=str(commissioner))
    page.get_by_label("Data-sharing agreement").fill("Riverside mental health data-sharing agreement 2024")
    fill_date(page, "Date the agreement was signed", "2024-01-15")
    fill_date(page, "Access starts", "2024-02-01")
    page.get_by_role("button", name="Record agreement and give access").click()
    browse.check()
    expect(page.get_by_role("table", name="Agreements")).to_contain_text("data-sharing agreement 2024")
    browse.goto("/monitoring/imports/")
    expect(page.get_by_role("table", name="Import batches, newest first")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    browse.check()

    sign_in(browse, commissioner_analyst)
    browse.goto(f"/monitoring/areas/{area.pk}/")
    expect(page.get_by_role("table", name="People by ethnic group")).to_contain_text("60,000")
    browse.goto(f"/monitoring/providers/{provider.uuid}/")
    african = page.get_by_role("table", name="Mental Health Act detention by ethnic group").get_by_role(
        "row", name=re.compile(r"^Black or Black British: African")
    )
    expect(african).to_contain_text("14")
    expect(page.get_by_role("heading", name="Important: Not for publication")).to_be_visible()
    page.get_by_role("link", name="Ethnic coding quality").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ethnic coding quality")


def test_an_import_whose_worker_died_shows_failed_and_the_analyst_runs_it_again(browse, tmp_path):
    """The worker died part-way: once the reaper has run, the batch page has stopped waiting, says what
    happened and offers "Run again", which imports the kept upload."""
    from waymark.core.choices import JobStatus
    from waymark.core.jobs import reap_stale_jobs
    from waymark.core.models import Job
    from waymark.monitoring.choices import ImportKind, ImportStatus
    from waymark.monitoring.imports.batches import create_batch
    from waymark.monitoring.imports.jobs import run_import_task
    from waymark.monitoring.models import ImportBatch

    area, provider, analyst = _borough()
    batch = create_batch(
        kind=ImportKind.ACTIVITY,
        actor=analyst,
        source=_extract(tmp_path, area.code),
        provider=provider,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
    )
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    job = Job.objects.create(  # as a worker that died leaves it: running, its heartbeat an hour old
        name="monitoring_import",
        label="Import",
        created_by=analyst,
        task_path=run_import_task.module_path,
        task_kwargs={"batch_uuid": str(batch.uuid)},
        status=JobStatus.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job=job, status=ImportStatus.RUNNING)
    assert reap_stale_jobs() == 1

    page = browse.page
    sign_in(browse, analyst)
    browse.goto(batch.get_absolute_url())
    expect(page.get_by_role("heading", name="The import stopped")).to_be_visible()
    expect(page.get_by_text("The worker stopped while this was running")).to_be_visible()
    assert page.locator("[hx-trigger]").count() == 0  # the page no longer asks for updates
    page.get_by_role("button", name="Run again").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=30_000)
    browse.check()
