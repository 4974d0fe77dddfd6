"""The provider dashboard's fairer comparisons: the indirectly standardised rate where a group is too small
for a DSR, the unknown-ethnicity band when coding is below 95 % complete, and trend markers over five years,
each named in the method notes of the page and the CSV."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.monitoring import comparisons, stats_compare
from waymark.monitoring.choices import Measure
from waymark.monitoring.factories import ImportBatchFactory, PeopleCountFactory, ethnic_group
from waymark.monitoring.indicators import IndicatorTable, build_table
from waymark.monitoring.tests.pages_fixtures import YEAR

ISR_REASON = "Fewer than 10 events, too few for a directly standardised rate: indirectly standardised."


def _page(client, user, provider, **query) -> str:
    verified_login(client, user)
    response = client.get(reverse("monitoring:provider_dashboard", args=[provider.uuid]), query)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _detentions(page: str) -> str:
    start = page.index('id="measure-mha_detention-heading"')
    return page[start : page.index("</section>", start)]


def _add_people(borough, year: int, code: str | None, people: int) -> None:
    PeopleCountFactory(
        batch=ImportBatchFactory(provider=borough.provider),
        provider=borough.provider,
        area=borough.area,
        ethnic_group=ethnic_group(code) if code else None,
        people=people,
        measure=Measure.MHA_DETENTION,
        period_start=datetime.date(year, 4, 1),
    )


@pytest.mark.django_db
def test_a_group_too_small_for_a_dsr_gets_the_indirectly_standardised_rate_with_the_reason(client, borough):
    section = _detentions(_page(client, borough.analyst, borough.provider))

    # African: 3 people detained, too few for a directly standardised rate.
    african = section[section.index("Black or Black British: African") :]
    african = african[: african.index("</tr>")]
    assert ISR_REASON in african
    assert "indirectly standardised against all groups" in section
    assert "If unknowns were known" not in section  # every person's ethnic group is known here


@pytest.mark.django_db
def test_below_95_percent_completeness_each_figure_shows_its_unknown_band(client, borough):
    _add_people(borough, YEAR, None, 10)  # 85 known, 10 unknown: 89.5 % complete

    section = _detentions(_page(client, borough.analyst, borough.provider))

    assert "89.5% of the people counted have a known ethnic group" in section
    caribbean = section[section.index("Black or Black British: Caribbean") :]
    caribbean = caribbean[: caribbean.index("</tr>")]
    # Caribbean: 30 of 10,000 people (300.0 per 100,000), 40 with all ten unknowns; ratio to White British
    # (40 of 100,000) 7.50, or 10.00 with all ten unknowns.
    assert "If unknowns were known: 300.0 to 400.0" in caribbean
    assert "If unknowns were known: 7.50 to 10.00" in caribbean


@pytest.mark.django_db
def test_people_who_see_protected_figures_get_the_band_from_published_counts_and_no_isr(client, borough):
    _add_people(borough, YEAR, None, 11)  # published as 10

    section = _detentions(_page(client, borough.staff, borough.provider))

    # The published counts: Caribbean 30 of 10,000, White British 40 of 100,000; ten unknowns, as published.
    caribbean = section[section.index("Black or Black British: Caribbean") :]
    caribbean = caribbean[: caribbean.index("</tr>")]
    assert "If unknowns were known: 300.0 to 400.0" in caribbean
    assert "If unknowns were known: 7.50 to 10.00" in caribbean
    assert ISR_REASON not in section  # age-specific counts are too small to publish


@pytest.mark.django_db
def test_an_unknown_count_small_enough_to_be_suppressed_gives_protected_readers_no_band(client, borough):
    _add_people(borough, YEAR, None, 6)  # 85 known, 6 unknown: 93.4 % complete

    assert "If unknowns were known" in _detentions(_page(client, borough.analyst, borough.provider))
    assert "If unknowns were known" not in _detentions(_page(client, borough.staff, borough.provider))


@pytest.mark.django_db
def test_five_years_of_figures_give_a_trend_marker_and_its_caveats(client, borough):
    # Caribbean rising from 5 to 30 people a year, White British steady at 40.
    for year, caribbean in zip(range(YEAR - 4, YEAR), (5, 10, 15, 20), strict=True):
        _add_people(borough, year, "M", caribbean)
        _add_people(borough, year, "A", 40)

    page = _page(client, borough.analyst, borough.provider)
    section = _detentions(page)

    assert "Trend, last five years" in section
    caribbean = section[section.index("Black or Black British: Caribbean") :]
    assert "Increasing" in caribbean[: caribbean.index("</tr>")]
    white = section[section.index('scope="row">White British') :]
    assert "No significant change" in white[: white.index("</tr>")]
    assert "Trend over April 2020 to March 2025: chi-squared test for linear trend" in section
    # Caribbean's ratio to White British rises with its rate, White British being steady.
    assert (
        'Ratio to White British:</span> <strong class="nhsuk-tag nhsuk-tag--grey">Increasing'
        in caribbean[: caribbean.index("</tr>")]
    )
    assert "Ratio to White British:" not in white[: white.index("</tr>")]  # the reference has no ratio trend

    response = client.get(reverse("monitoring:provider_dashboard", args=[borough.provider.uuid]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    heading = next(row for row in rows if "Trend" in row)
    caribbean_row = next(row for row in rows if "Black or Black British: Caribbean" in row)
    assert caribbean_row[heading.index("Trend")] == "Increasing"
    assert caribbean_row[heading.index("Trend in ratio to reference")] == "Increasing"
    assert caribbean_row[heading.index("Trend method")] == "chi-squared test for trend, April 2020 to March 2025"
    african_row = next(row for row in rows if "Black or Black British: African" in row)
    assert african_row[heading.index("Standardisation method")] == (
        f"indirectly standardised ({stats_compare.ISR_EXACT})"
    )
    assert caribbean_row[heading.index("Standardisation method")] == "directly standardised (Dobson)"


@pytest.mark.django_db
def test_four_years_give_no_trend_column(client, borough):
    for year in range(YEAR - 3, YEAR):
        _add_people(borough, year, "M", 10)

    assert "Trend, last five years" not in _detentions(_page(client, borough.analyst, borough.provider))


def _table(protected: bool) -> IndicatorTable:
    return build_table(
        measure="m",
        measure_label="M",
        grouping_name="g",
        groups=["A", "B"],
        counts={"A": 40, "B": 30},
        populations={"A": 1000, "B": 1000},
        protected=protected,
        reference_group="A",
    )


def test_protected_trends_read_the_published_counts_and_a_suppressed_year_has_no_marker():
    populations = {"A": 1000, "B": 1000}
    rising = [{"A": 40, "B": b} for b in (10, 20, 30, 40, 50)]
    assert comparisons.with_trends(_table(True), rising, populations, "five years").rows[1].trend == (
        stats_compare.INCREASING
    )
    one_small_year = [{"A": 40, "B": b} for b in (3, 20, 30, 40, 50)]
    protected = comparisons.with_trends(_table(True), one_small_year, populations, "five years")
    assert protected.rows[1].trend == stats_compare.CANNOT_CALCULATE  # 3 is suppressed in the first year
    full = comparisons.with_trends(_table(False), one_small_year, populations, "five years")
    assert [row.trend for row in full.rows] == [stats_compare.NO_SIGNIFICANT_CHANGE, stats_compare.INCREASING]
    assert [row.ratio_trend for row in full.rows] == ["", stats_compare.INCREASING]
    assert protected.rows[1].ratio_trend == stats_compare.CANNOT_CALCULATE
    assert IndicatorTable.from_dict(full.to_dict()) == full  # snapshots keep the new fields


def test_the_unknown_band_round_trips_through_a_snapshot():
    table = comparisons.with_unknown_band(_table(False), 20)
    assert table.rows[1].unknown_band.upper == pytest.approx(5000.0)
    assert table.rows[0].unknown_ratio_band.value is None  # the reference group has no ratio band
    assert IndicatorTable.from_dict(table.to_dict()) == table
