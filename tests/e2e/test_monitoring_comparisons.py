"""An analyst reads a dashboard with five years of figures, a group too small for a DSR and coding below 95 %
complete: the indirectly standardised rate, the unknown-ethnicity band and the trend markers, checked with axe."""

import datetime

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.choices import Measure
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
# NHS code → people detained in each of five financial years, 2020-21 to 2024-25; None is unknown.
DETAINED = {"A": [30, 31, 29, 30, 30], "M": [6, 10, 14, 19, 24], "N": [2, 3, 2, 3, 3], "H": [9, 9, 8, 9, 9]}
UNKNOWN = [4, 5, 6, 7, 8]


def test_the_dashboard_shows_the_isr_the_unknown_band_and_trends(browse):
    load_default_grouping(apps)  # the transactional test emptied the migration's grouping
    area = LocalAuthorityFactory(name="Riverside", code="E09000099")
    for code, count in POPULATION.items():
        PopulationFigureFactory(area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    provider = ProviderFactory(name="Riverside Mental Health Trust", ods_code="RVX")
    batch = ImportBatchFactory(provider=provider)
    for index, year in enumerate(range(2020, 2025)):
        for code, people in [*((code, series[index]) for code, series in DETAINED.items()), (None, UNKNOWN[index])]:
            PeopleCountFactory(
                batch=batch,
                area=area,
                ethnic_group=ethnic_group(code) if code else None,
                people=people,
                measure=Measure.MHA_DETENTION,
                period_start=datetime.date(year, 4, 1),
            )
    analyst = with_authenticator(make_persona(Role.ANALYST, provider))
    sign_in(browse, analyst)

    browse.goto(f"/monitoring/providers/{provider.uuid}/")
    page = browse.page
    table = page.get_by_role("table", name="Mental Health Act detention by ethnic group")
    expect(table.get_by_role("columnheader", name="Trend, last five years")).to_be_visible()
    caribbean = table.get_by_role("row", name="Black or Black British: Caribbean")
    expect(caribbean).to_contain_text("Increasing")
    expect(caribbean).to_contain_text("If unknowns were known")
    african = table.get_by_role("row", name="Black or Black British: African")
    expect(african).to_contain_text("indirectly standardised")
    expect(page.get_by_text("Trend over April 2020 to March 2025")).to_be_visible()
