"""A small borough with one provider's detentions, for the page, access, publishing and API tests."""

import datetime
from dataclasses import dataclass

import pytest

from waymark.accounts.factories import make_persona
from waymark.accounts.models import User
from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Area, Organisation
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.choices import Measure
from waymark.monitoring.factories import (
    DataQualityFigureFactory,
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationBatchFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)

YEAR = 2024
# ONS 2021 code → population; NHS code → people detained in the year.
POPULATION = {"13": 100_000, "7": 10_000, "6": 8_000, "3": 20_000}
DETAINED = {"A": 40, "M": 30, "N": 3, "H": 12}


@dataclass
class Borough:
    provider: Organisation
    other_provider: Organisation
    commissioner: Organisation
    area: Area
    analyst: User
    other_analyst: User
    commissioner_analyst: User
    staff: User
    admin: User


@pytest.fixture
def borough(db) -> Borough:
    area = LocalAuthorityFactory(name="Riverside")
    population_batch = PopulationBatchFactory()
    for code, count in POPULATION.items():
        PopulationFigureFactory(
            batch=population_batch, area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count
        )
    provider = ProviderFactory(name="Riverside Mental Health Trust")
    batch = ImportBatchFactory(provider=provider)
    for code, people in DETAINED.items():
        PeopleCountFactory(
            batch=batch,
            area=area,
            ethnic_group=ethnic_group(code),
            people=people,
            measure=Measure.MHA_DETENTION,
            period_start=datetime.date(YEAR, 4, 1),
        )
    for month in (4, 5, 6):
        DataQualityFigureFactory(
            batch=batch, period_start=datetime.date(YEAR, month, 1), records=100, valid_stated=90 + month
        )
    other_provider = ProviderFactory(name="Hillside Partnership Trust")
    commissioner = OrganisationFactory(name="Riverside ICB", org_type=OrganisationType.ICB)
    return Borough(
        provider=provider,
        other_provider=other_provider,
        commissioner=commissioner,
        area=area,
        analyst=make_persona(Role.ANALYST, provider),
        other_analyst=make_persona(Role.ANALYST, other_provider),
        commissioner_analyst=make_persona(Role.ANALYST, commissioner),
        staff=make_persona(Role.STAFF),
        admin=make_persona(Role.ADMIN),
    )
