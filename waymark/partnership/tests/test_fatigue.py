"""The fatigue figure: consultations that reached each community in the last twelve months (edges of the
window, cancelled ones left out), its population from the borough's latest denominators in one code set, the
rate per 1,000, and "not known" where there is no denominator."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.models import Community
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.factories import (
    LocalAuthorityFactory,
    MsoaFactory,
    PopulationBatchFactory,
    PopulationFigureFactory,
    ethnic_group,
)
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.fatigue import denominators, fatigue_rows, reached_counts, window

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 15)


@pytest.fixture
def borough():
    """Riverside, with 2021 and (newer) 2023 figures for African and Caribbean people by MSOA."""
    area = LocalAuthorityFactory(name="Riverside")
    msoa = MsoaFactory(parent=area)
    old, new = PopulationBatchFactory(population_year=2021), PopulationBatchFactory(population_year=2023)
    for batch, year, african in ((old, 2021, 6_000), (new, 2023, 8_000)):
        for code, count in (("6", african), ("7", 4_000)):
            PopulationFigureFactory(
                batch=batch, year=year, area=msoa, ethnic_group=ethnic_group(code, ONS_2021), count=count
            )
    return area


@pytest.fixture
def communities():
    african = CommunityFactory(name="Test African")
    african.ethnic_groups.set([ethnic_group("6", ONS_2021), ethnic_group("N", NHS_ETHNIC_CATEGORY)])
    caribbean = CommunityFactory(name="Test Caribbean")
    caribbean.ethnic_groups.set([ethnic_group("7", ONS_2021), ethnic_group("M", NHS_ETHNIC_CATEGORY)])
    deaf = CommunityFactory(name="Test Deaf BSL users", kind="language")
    return {"african": african, "caribbean": caribbean, "deaf": deaf}


def _asked(community, starts_on, ends_on, status=ConsultationStatus.CLOSED):
    return ConsultationFactory(
        starts_on=starts_on, ends_on=ends_on, status=status, communities=[community], themes=[ThemeFactory()]
    )


def _rows(borough, communities):
    chosen = Community.objects.filter(pk__in=[community.pk for community in communities.values()])
    counted = reached_counts(chosen, TODAY)
    return {row.community.name: row for row in fatigue_rows(list(counted), denominators(borough))}


def test_the_window_is_the_last_twelve_months_up_to_today():
    assert window(TODAY) == (datetime.date(2026, 6, 16), TODAY)


def test_consultations_count_when_they_ran_on_a_day_of_the_window(borough, communities):
    african = communities["african"]
    _asked(african, datetime.date(2026, 6, 1), datetime.date(2026, 6, 16))  # last day is the window's first
    _asked(african, TODAY, TODAY + datetime.timedelta(days=30), ConsultationStatus.OPEN)  # starts today
    _asked(african, datetime.date(2026, 5, 1), datetime.date(2026, 6, 15))  # ended the day before the window
    _asked(african, TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=9))  # not yet begun
    _asked(african, datetime.date(2027, 1, 1), datetime.date(2027, 1, 9), ConsultationStatus.CANCELLED)

    rows = _rows(borough, communities)

    assert rows["Test African"].reached == 2


def test_the_rate_is_per_thousand_of_the_latest_population_in_one_code_set(borough, communities):
    for month in (1, 2, 3, 4):
        _asked(communities["african"], datetime.date(2027, month, 1), datetime.date(2027, month, 9))
    _asked(communities["caribbean"], datetime.date(2027, 2, 1), datetime.date(2027, 2, 9))

    rows = _rows(borough, communities)

    assert denominators(borough).year == 2023
    # 8,000 African people in 2023 (the NHS "N" group the community also names is not added again)
    assert (rows["Test African"].population, rows["Test African"].rate) == (8_000, Decimal("0.50"))
    assert (rows["Test Caribbean"].population, rows["Test Caribbean"].rate) == (4_000, Decimal("0.25"))
    assert rows["Test African"].bar > rows["Test Caribbean"].bar


def test_a_community_without_a_denominator_is_not_known(borough, communities):
    _asked(communities["deaf"], datetime.date(2027, 2, 1), datetime.date(2027, 2, 9))

    row = _rows(borough, communities)["Test Deaf BSL users"]

    assert (row.reached, row.population, row.rate) == (1, None, None)


def test_the_page_shows_counts_rates_and_not_known(client, borough, communities, django_assert_max_num_queries):
    today = timezone.localdate()
    _asked(communities["african"], today - datetime.timedelta(days=40), today - datetime.timedelta(days=30))
    _asked(communities["deaf"], today - datetime.timedelta(days=40), today - datetime.timedelta(days=30))
    verified_login(client, make_persona(Role.ANALYST))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("partnership:consultation_fatigue"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Riverside, 2023 figures" in page
    rows = {row.community.name: row for row in response.context["rows"]}
    assert rows["Test African"].rate == Decimal("0.13")  # 1 in 8,000 = 0.125, rounded half up
    assert rows["Test Deaf BSL users"].rate is None and "not known" in page
    assert "<svg" in page and 'aria-hidden="true"' in page  # the bars decorate; the table carries the figures


def test_without_population_figures_the_page_says_so(client, communities):
    verified_login(client, make_persona(Role.STAFF))

    page = client.get(reverse("partnership:consultation_fatigue")).content.decode()

    assert "No population figures have been imported" in page
