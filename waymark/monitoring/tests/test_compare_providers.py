"""The "Compare providers" funnel page: each provider's figure as its dashboard shows this reader, plotted
against control limits, with the same figures in a table."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from waymark.accounts.factories import verified_login
from waymark.core.choices import ExportKind
from waymark.core.file_headers import split_file_header
from waymark.core.models import ExportLog
from waymark.monitoring import funnel, provider_funnel
from waymark.monitoring.choices import Measure
from waymark.monitoring.factories import ImportBatchFactory, PeopleCountFactory, ProviderFactory, ethnic_group
from waymark.monitoring.models import AnalysisGroup
from waymark.monitoring.tests.pages_fixtures import YEAR

# The second provider's people detained, by NHS code: 4 African (suppressed) and 12 Pakistani (suppressed too,
# or the 4 could be worked out from the total).
OTHER_DETAINED = {"A": 300, "M": 25, "N": 4, "H": 12}


@pytest.fixture
def two_providers(borough):
    batch = ImportBatchFactory(provider=borough.other_provider)
    for code, people in OTHER_DETAINED.items():
        PeopleCountFactory(
            batch=batch,
            provider=borough.other_provider,
            area=borough.area,
            ethnic_group=ethnic_group(code),
            people=people,
            measure=Measure.MHA_DETENTION,
            period_start=datetime.date(YEAR, 4, 1),
        )
    return borough


def _caribbean():
    return AnalysisGroup.objects.get(grouping__is_default=True, label="Caribbean")


def test_shares_and_positions_use_the_figures_the_reader_may_see(two_providers):
    borough = two_providers
    comparison = provider_funnel.compare_providers(
        user=borough.analyst,
        providers=provider_funnel.providers_seen(borough.analyst),
        measure=Measure.MHA_DETENTION,
        year=YEAR,
        group="Caribbean",
        area=borough.area,
    )
    by_name = {point.provider.name: point for point in comparison.points}
    own, other = by_name["Riverside Mental Health Trust"], by_name["Hillside Partnership Trust"]
    # Its own trust in full: 30 of the 85 people detained; the other trust disclosure-controlled (rounded).
    assert (own.numerator, own.denominator, own.protected) == (30, 85, False)
    assert other.protected and other.numerator is not None and other.numerator % 5 == 0
    assert comparison.average == pytest.approx((30 + other.numerator) / (85 + other.denominator))
    # 30 of 85 (35%) against about 12%: far above; the other trust (about 4%) below.
    assert own.position == funnel.ABOVE_998
    assert other.position in (funnel.BELOW_95, funnel.BELOW_998)
    assert comparison.limits is not None and provider_funnel.funnel_chart(comparison) is not None


def test_a_suppressed_count_is_listed_but_not_plotted(two_providers):
    borough = two_providers
    comparison = provider_funnel.compare_providers(
        user=borough.staff,
        providers=provider_funnel.providers_seen(borough.staff),
        measure=Measure.MHA_DETENTION,
        year=YEAR,
        group="African",
        area=borough.area,
        statistic=provider_funnel.RATE,
    )
    assert all(point.protected for point in comparison.points)
    assert [point.numerator for point in comparison.points if not point.plotted] == [None, None]
    assert comparison.limits is None and provider_funnel.funnel_chart(comparison) is None


def test_the_page_draws_the_funnel_beside_the_table(client, two_providers):
    borough = two_providers
    verified_login(client, borough.analyst)
    response = client.get(
        reverse("monitoring:compare_providers"),
        {"group": _caribbean().pk, "statistic": "rate", "year": YEAR, "area": borough.area.pk},
    )
    assert response.status_code == 200
    page = re.sub(r"\s+", " ", response.content.decode())
    assert 'role="img" aria-labelledby="funnel-chart-title funnel-chart-desc"' in page
    assert "Funnel plot: Mental Health Act detention, Caribbean, by provider" in page
    assert 'scope="row">Riverside Mental Health Trust' in page
    assert "Hillside Partnership Trust <span" in page and "(disclosure-controlled)" in page
    assert "Rate per 100,000" in page and "300.0" in page  # 30 Caribbean people of 10,000
    assert "exact Poisson control limits" in page


def test_a_bad_choice_shows_the_form_and_no_figures(client, two_providers):
    verified_login(client, two_providers.staff)
    response = client.get(reverse("monitoring:compare_providers"), {"statistic": "median"})
    assert response.status_code == 200
    assert b"Providers compared" not in response.content


def _add_provider(borough, name, detained):
    provider = ProviderFactory(name=name)
    batch = ImportBatchFactory(provider=provider)
    for code, people in detained.items():
        PeopleCountFactory(
            batch=batch,
            area=borough.area,
            ethnic_group=ethnic_group(code),
            people=people,
            period_start=datetime.date(YEAR, 4, 1),
        )
    return provider


def _page_and_queries(client, borough):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("monitoring:compare_providers"),
            {"group": _caribbean().pk, "statistic": "share", "year": YEAR, "area": borough.area.pk},
        )
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode()), len(queries)


def test_the_page_asks_the_same_queries_for_two_providers_as_for_six(client, two_providers):
    borough = two_providers
    verified_login(client, borough.analyst)
    page, with_two = _page_and_queries(client, borough)
    assert page.count('scope="row">') == 2
    for number in range(4):
        _add_provider(borough, f"Trust {number + 1} of four more", {"A": 200 + number, "M": 20 + 5 * number})

    page, with_six = _page_and_queries(client, borough)

    assert page.count('scope="row">') == 6
    assert with_six == with_two
    # The figures are those each provider's dashboard shows: the analyst's own trust in full (30 of 85, 35.3%),
    # the others disclosure-controlled (Trust 4: 35 Caribbean people of 238, rounded to 5s).
    assert 'scope="row">Riverside Mental Health Trust</th>' in page and "35.3%" in page
    assert page.count("(disclosure-controlled)") == 5
    trust_4 = page[page.index("Trust 4 of four more") :].split("</tr>")[0]
    assert ">35<" in trust_4 and ">240<" in trust_4


def _download(client, borough, **choices):
    response = client.get(
        reverse("monitoring:compare_providers_download"), {"year": YEAR, "area": borough.area.pk, **choices}
    )
    assert response.status_code == 200
    if choices.get("format") == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, table = split_file_header(rows)
    headings, *body = table
    return header, [dict(zip(headings, row, strict=True)) for row in body]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_holds_the_tables_figures(client, two_providers, file_format):
    borough = two_providers
    verified_login(client, borough.analyst)
    choices = {"group": _caribbean().pk, "statistic": "share", "format": file_format}
    page = client.get(reverse("monitoring:compare_providers"), choices)
    shown = page.context["comparison"]
    assert 'href="/monitoring/funnel/download/?' in page.content.decode()

    header, rows = _download(client, borough, **choices)

    assert header[0] == "Compare providers: Mental Health Act detention, Caribbean"
    assert header[-1] == "Not for publication: unsuppressed figures"  # the analyst's own trust is in full
    by_name = {row["Provider"]: row for row in rows}
    assert list(by_name) == [point.provider.name for point in shown.points]
    own, other = by_name["Riverside Mental Health Trust"], by_name["Hillside Partnership Trust"]
    assert (own["Disclosure-controlled"], own["People in the group"], own["People in any group"]) == ("No", "30", "85")
    assert (own["Share (%)"], own["Against the funnel"]) == ("35.3", "Above the 99.8% limit")
    hillside = next(point for point in shown.points if point.provider == borough.other_provider)
    assert other["Disclosure-controlled"] == "Yes"
    assert (other["People in the group"], other["People in any group"]) == (
        str(hillside.numerator),
        str(hillside.denominator),
    )
    assert other["Against the funnel"] == hillside.position_label
    assert float(own["Overall share (%)"]) == round(shown.average * 100, 1)
    # The limits at the provider's own size put it where the page does: 35.3% is above the upper 99.8% limit.
    assert float(own["Lower 99.8% limit"]) < float(own["Upper 95% limit"]) < float(own["Upper 99.8% limit"]) < 35.3
    assert "Wilson score control limits" in own["Method"] and "rounded" not in own["Method"]
    assert own["Disclosure control"] == "" and "rounded to the nearest 5" in other["Disclosure control"]
    (logged,) = ExportLog.objects.all()
    assert (logged.user, logged.kind, logged.rows) == (borough.analyst, ExportKind.UNSUPPRESSED_FIGURES, 2)


def test_a_reader_who_may_not_see_unsuppressed_figures_downloads_them_suppressed(client, two_providers):
    borough = two_providers
    verified_login(client, borough.staff)
    african = AnalysisGroup.objects.get(grouping__is_default=True, label="African")

    header, rows = _download(client, borough, group=african.pk, statistic="rate")

    assert header[-1] == "Disclosure-controlled"
    assert [row["Disclosure-controlled"] for row in rows] == ["Yes", "Yes"]
    # 3 and 4 African people: suppressed on the page, empty cells saying so in the file, never 0 or the count.
    assert [(row["People in the group"], row["Rate per 100,000"], row["Note"]) for row in rows] == [
        ("", "", "Suppressed"),
        ("", "", "Suppressed"),
    ]
    assert [row["Against the funnel"] for row in rows] == ["Not plotted", "Not plotted"]
    assert not ExportLog.objects.exists()
