"""An analyst loads England's published Mental Health Act statistics, first a file with a wrong row, then the
right one, reads England's figures beside the trust's on its dashboard and publishes them beside the trust's in a
snapshot the public read; every page checked with axe-core."""

import datetime
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.choices import Measure
from waymark.monitoring.codes import load_default_grouping
from waymark.monitoring.demo import NATIONAL_DEMO_FILE, NATIONAL_DEMO_YEAR
from waymark.monitoring.factories import (
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)
from waymark.monitoring.models import NationalRelease, PublishedSnapshot

pytestmark = pytest.mark.django_db(transaction=True)

POPULATION = {"13": 60_000, "7": 6_000, "6": 5_000, "3": 9_000}
DETAINED = {"A": 30, "M": 24, "N": 14, "H": 9}


def test_an_analyst_loads_englands_figures_and_reads_them_beside_the_trusts(browse, tmp_path):
    load_default_grouping(apps)  # the transactional test emptied the migration's grouping
    area = LocalAuthorityFactory(name="Riverside", code="E09000099")
    for code, count in POPULATION.items():
        PopulationFigureFactory(area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    provider = ProviderFactory(name="Riverside Mental Health Trust", ods_code="RVX")
    batch = ImportBatchFactory(provider=provider)
    for code, people in DETAINED.items():
        PeopleCountFactory(
            batch=batch, area=area, ethnic_group=ethnic_group(code), people=people,
            measure=Measure.MHA_DETENTION, period_start=datetime.date(2024, 4, 1),
        )  # fmt: skip
    analyst = with_authenticator(make_persona(Role.ANALYST, provider))
    page = browse.page
    sign_in(browse, analyst)

    # A file with an unknown group: nothing loaded, the problem named by row and column.
    lines = NATIONAL_DEMO_FILE.read_text().splitlines()
    lines[2] = lines[2].replace(",Irish,", ",Martian,")
    bad = tmp_path / "mha-bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    browse.goto("/monitoring/")
    page.get_by_role("link", name="England's published figures").first.click()
    browse.check()
    page.get_by_label("File", exact=True).set_input_files(str(bad))
    page.get_by_label("Year", exact=True).fill(NATIONAL_DEMO_YEAR)
    page.get_by_role("button", name="Check and load").click()
    problems = page.get_by_role("table", name=re.compile("problem in the file"))
    expect(problems).to_contain_text("Martian")
    expect(problems).to_contain_text("DemographicBreakdown")
    browse.check()
    assert not NationalRelease.objects.exists()

    # The right file.
    page.get_by_label("File", exact=True).set_input_files(str(NATIONAL_DEMO_FILE))
    page.get_by_label("Year", exact=True).fill(NATIONAL_DEMO_YEAR)
    page.get_by_role("button", name="Check and load").click()
    expect(page.get_by_text(f"Loaded 48 figures for England, {NATIONAL_DEMO_YEAR}.")).to_be_visible()
    browse.check()

    # The dashboard: England beside the trust, with England's ratio to White British.
    browse.goto(f"/monitoring/providers/{provider.uuid}/")
    england = page.get_by_role(
        "table", name=f"Mental Health Act detention: this trust beside England, {NATIONAL_DEMO_YEAR}"
    )
    caribbean = england.get_by_role("row", name=re.compile(r"^Black or Black British: Caribbean"))
    expect(caribbean).to_contain_text("400.0")  # the trust: 24 in 6,000
    expect(england.get_by_role("columnheader", name="England: rate ratio to White British")).to_be_visible()
    expect(page.get_by_text("NHS England, Mental Health Act Statistics, Annual Figures").first).to_be_visible()
    page.get_by_role("heading", name="England's published figures").scroll_into_view_if_needed()
    browse.check()

    # Published with the trust's figures: the public read England beside the trust.
    page.get_by_role("link", name="Publish a snapshot of these figures").click()
    page.get_by_label("Title").fill("Detentions beside England")
    page.get_by_label("Methods note").fill("People detained under the Mental Health Act, by ethnic group.")
    page.get_by_label("Show England's published figures beside the provider's").check()
    browse.check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Detentions beside England")
    page.get_by_role("button", name="Sign out").click()
    browse.goto(PublishedSnapshot.objects.get().get_absolute_url())
    public = page.get_by_role(
        "table", name=f"Mental Health Act detention: this trust beside England, {NATIONAL_DEMO_YEAR}"
    )
    expect(public.get_by_role("row", name=re.compile(r"^Black or Black British: Caribbean"))).to_be_visible()
    browse.check()
