"""The demo borough: deterministic plans and one end-to-end load."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waymark.core import demo
from waymark.core.choices import AreaType, JobStatus, OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Area, Job, Organisation, Postcode
from waymark.core.postcodes import normalise_postcode


def small_plan(seed=1):
    return demo.build_borough(demo.hook_rng(seed, "core"), "small")


def test_the_same_seed_builds_the_same_borough():
    first, second = small_plan(), small_plan()

    assert [(o.fields["name"], o.uuid) for o in first.organisations] == [
        (o.fields["name"], o.uuid) for o in second.organisations
    ]
    assert first.population_total == second.population_total
    assert first == second


def test_another_seed_builds_another_borough():
    assert {o.uuid for o in small_plan(1).organisations}.isdisjoint({o.uuid for o in small_plan(2).organisations})
    assert small_plan(1).postcodes != small_plan(2).postcodes


def test_population_is_census_shaped_and_diverse():
    plan = demo.build_borough(demo.hook_rng(1, "core"), "full")
    total = plan.population_total
    assert 270_000 < total < 290_000
    by_group: dict[str, int] = {}
    for row in plan.population:
        by_group[row.ethnic_group_code] = by_group.get(row.ethnic_group_code, 0) + row.count
    assert len(by_group) == 19
    assert 0.28 < by_group["13"] / total < 0.42  # White British is the largest group, but not a majority
    assert 0.06 < by_group["6"] / total < 0.12  # Black African

    def share_under_20(code):
        young = sum(
            r.count for r in plan.population if r.ethnic_group_code == code and r.age_band in demo.AGE_BANDS[:4]
        )
        return young / by_group[code]

    assert share_under_20("1") > share_under_20("14")  # Bangladeshi younger than Irish


@pytest.fixture
def small_demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    return out.getvalue()


def test_small_demo_loads_a_whole_borough(small_demo, tmp_path):
    assert "Riverside is ready" in small_demo

    present = set(Organisation.objects.values_list("org_type", flat=True))
    assert present == set(OrganisationType.values)

    plan = small_plan()
    # Later apps' hooks add organisations of their own (the directory's community groups).
    assert {o.uuid for o in plan.organisations} <= set(Organisation.objects.values_list("uuid", flat=True))

    lsoas = Area.objects.filter(area_type=AreaType.LSOA).select_related("parent__parent__parent", "best_fit_ward")
    assert lsoas.count() == 8
    for lsoa in lsoas:
        assert lsoa.parent.area_type == AreaType.MSOA
        assert lsoa.parent.parent.area_type == AreaType.LOCAL_AUTHORITY
        assert lsoa.parent.parent.parent.area_type == AreaType.REGION
        assert lsoa.best_fit_ward.area_type == AreaType.WARD
        lsoa.full_clean()

    postcodes = Postcode.objects.select_related("lsoa", "ward")
    assert postcodes.count() == 60
    for postcode in postcodes:
        assert normalise_postcode(postcode.postcode) == postcode.postcode
        assert postcode.lsoa.area_type == AreaType.LSOA
        assert postcode.ward == postcode.lsoa.best_fit_ward

    with open(tmp_path / "demo" / demo.POPULATION_CSV_NAME, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == demo.POPULATION_COLUMNS
    assert 23_000 < sum(int(row["count"]) for row in rows) < 27_000
    assert {row["area_code"] for row in rows} == set(lsoas.values_list("code", flat=True))

    job = Job.objects.get(name="seed_demo")
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["core"]["organisations"] == len(plan.organisations)


def test_demo_organisations_are_audited_with_their_sectors(small_demo):
    organisation = Organisation.objects.get(name="Riverside Bangladeshi Carers' Association")
    created = organisation.history.get()
    assert created.history_type == "+"
    assert {link.sector.slug for link in created.sectors.all()} == set(
        organisation.sectors.values_list("slug", flat=True)
    )
    assert Area.history.count() == Area.objects.count()


def test_demo_contact_details_are_synthetic(small_demo):
    for organisation in Organisation.objects.all():
        assert not organisation.email or organisation.email.endswith("@example.org")
        assert not organisation.website or ".example.org/" in organisation.website
        assert not organisation.phone or re.fullmatch(r"020 7946 0\d{3}", organisation.phone)
        assert not organisation.postcode or organisation.postcode.startswith("RV")


def test_loading_twice_is_refused(small_demo):
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_demo", "--size", "small", stdout=io.StringIO())


def test_if_empty_skips_a_database_that_has_organisations(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    OrganisationFactory()
    out = io.StringIO()

    call_command("seed_demo", "--size", "small", "--if-empty", stdout=out)

    assert "already has 1 organisation" in out.getvalue()
    assert not Area.objects.exists()
    assert not Job.objects.exists()


def test_background_queues_a_job_and_prints_its_page(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--size", "small", "--background", stdout=out)

    job = Job.objects.get(name="seed_demo")
    assert f"/jobs/{job.uuid}/" in out.getvalue()
    assert job.status == JobStatus.SUCCEEDED  # the test task backend runs it at once


def test_core_hook_runs_first():
    assert next(iter(demo.demo_hooks()))[0] == "core"


def test_accounts_hook_runs_last_to_grant_on_what_the_others_made():
    labels = [label for label, _name, _hook in demo.demo_hooks()]
    assert labels[-1] == "accounts"
    assert {"directory", "monitoring", "network", "voice"} <= set(labels)
