"""An analyst compares the trusts on a funnel plot: their own trust in full, the other disclosure-controlled,
the chart and the table saying the same, and the table downloaded; every page checked with axe-core."""

import csv
import datetime
import io
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.codes import load_default_grouping
from waymark.monitoring.factories import (
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)

pytestmark = pytest.mark.django_db(transaction=True)

POPULATION = {"13": 60_000, "7": 6_000, "6": 5_000, "3": 9_000}
# NHS code → people detained in April 2024 to March 2025, for each trust.
DETAINED = {
    "Riverside Mental Health Trust": {"A": 40, "M": 30, "N": 15, "H": 12},
    "Hillside Partnership Trust": {"A": 600, "M": 20, "N": 40, "H": 30},
}


def test_an_analyst_compares_the_trusts_on_a_funnel_plot(browse):
    load_default_grouping(apps)  # the transactional test emptied the migration's grouping
    area = LocalAuthorityFactory(name="Riverside", code="E09000099")
    for code, count in POPULATION.items():
        PopulationFigureFactory(area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    trusts = {}
    for name, detained in DETAINED.items():
        trusts[name] = ProviderFactory(name=name)
        batch = ImportBatchFactory(provider=trusts[name])
        for code, people in detained.items():
            PeopleCountFactory(
                batch=batch, area=area, ethnic_group=ethnic_group(code), people=people,
                period_start=datetime.date(2024, 4, 1),
            )  # fmt: skip
    analyst = with_authenticator(make_persona(Role.ANALYST, trusts["Riverside Mental Health Trust"]))
    page = browse.page
    sign_in(browse, analyst)

    # From the home page's card to the page.
    browse.goto("/")
    page.get_by_role("link", name="Compare providers").first.click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare providers")

    # The Caribbean group's share of each trust's people detained.
    page.get_by_label("Ethnic group").select_option(label="Caribbean")
    page.get_by_role("button", name="Update figures").click()
    browse.check()
    expect(
        page.get_by_role("img", name=re.compile("Funnel plot: Mental Health Act detention, Caribbean"))
    ).to_be_visible()
    table = page.get_by_role("table", name="Providers compared")
    own = table.get_by_role("row", name=re.compile(r"^Riverside Mental Health Trust"))
    expect(own).to_contain_text("30")
    expect(own).to_contain_text("Above the 99.8% limit")
    other = table.get_by_role("row", name=re.compile(r"^Hillside Partnership Trust"))
    expect(other).to_contain_text("(disclosure-controlled)")
    expect(other).to_contain_text("Below the 99.8% limit")

    # The same group's rate per 100,000 of its population.
    page.get_by_label("The group's rate per 100,000 of its population").check()
    page.get_by_role("button", name="Update figures").click()
    browse.check()
    expect(page.get_by_role("columnheader", name="Rate per 100,000")).to_be_visible()
    expect(page.get_by_text("exact Poisson control limits")).to_be_visible()

    # The table as a file: the same rates, the other trust disclosure-controlled.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this table (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "compare-providers-mental-health-act-detention-caribbean-2024.csv"
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert ["Not for publication: unsuppressed figures"] in rows
    by_name = {row[0]: row for row in rows if row and row[0] in DETAINED}
    assert by_name["Riverside Mental Health Trust"][1:7] == [
        "No", "Mental Health Act detention", "Caribbean", "30", "6000", "500.0",
    ]  # fmt: skip
    assert by_name["Hillside Partnership Trust"][1] == "Yes"
