"""England's published Mental Health Act statistics: the import (all or nothing, problems by row and column),
the dashboard beside the trust, the upload page, the command and the API."""

import csv
from io import BytesIO, StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.monitoring import stats
from waymark.monitoring.demo import NATIONAL_DEMO_FILE, NATIONAL_DEMO_YEAR
from waymark.monitoring.imports.national import COLUMNS
from waymark.monitoring.models import NationalFigure, NationalGroupLevel, NationalRelease, PublishedSnapshot
from waymark.monitoring.services.national import NationalFileInvalid, import_national_mha
from waymark.monitoring.tests.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db

NATIONAL_YEAR = f"{YEAR}-{(YEAR + 1) % 100:02d}"
# Published label → (people in England, detentions): the populations are only implied by the rates.
GROUPS = {
    "British": (40_000_000, 28_000),
    "Caribbean": (600_000, 2_000),
    "African": (1_500_000, 3_600),
    "Chinese": (450_000, 180),
    "Black or Black British": (2_400_000, 6_600),
}


def national_rows(year: str = NATIONAL_YEAR) -> list[dict[str, str]]:
    """England's detentions by ethnicity in the published layout, plus rows the import must pass over."""
    rows = []
    for label, (people, detained) in GROUPS.items():
        acute = detained // 50
        rows.append(
            {
                "Year": year,
                "Measure": "Detentions",
                "measureSubcategory": "All detentions",
                "Demographic": "Ethnicity",
                "DemographicBreakdown": label,
                "OrganisationBreakdown": "England",
                "Datasource": "MHSDS and Acute",
                "OrgID": "All prov",
                "OrgName": "England",
                "MHSDS_Count": str(detained - acute),
                "Acute_Count": str(acute),
                "Total_Count": str(detained),
                "CrudeRate": f"{detained / people * 100_000:.1f}",
                "StdRate": f"{detained / people * 100_000 * 0.9:.1f}",
                "Confidence_interval": "1.5",
            }
        )
    rows.append({**rows[0], "DemographicBreakdown": "Not known", "Total_Count": "900", "MHSDS_Count": "900",
                 "Acute_Count": "0", "CrudeRate": "", "StdRate": "", "Confidence_interval": ""})  # fmt: skip
    rows.append({**rows[1], "OrgID": "RXX", "OrgName": "A trust", "CrudeRate": "999.0"})  # a provider: not read
    rows.append({**rows[1], "Demographic": "Age", "DemographicBreakdown": "18 to 34"})  # not by ethnicity
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(COLUMNS)
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def load(tmp_path: Path, rows: list[dict[str, str]] | None = None, year: str = NATIONAL_YEAR) -> NationalRelease:
    return import_national_mha(actor=None, source=write_csv(tmp_path / "mha.csv", rows or national_rows()), year=year)


def problems(tmp_path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> list[dict]:
    with pytest.raises(NationalFileInvalid) as raised:
        import_national_mha(actor=None, source=write_csv(tmp_path / "bad.csv", rows, columns), year=NATIONAL_YEAR)
    assert not NationalFigure.objects.exists() and not NationalRelease.objects.exists()  # all or nothing
    return raised.value.errors


def test_englands_rows_by_ethnicity_are_loaded_and_mapped_through_the_nhs_england_grouping(tmp_path):
    release = load(tmp_path)
    assert release.year == NATIONAL_YEAR and release.rows_read == 8
    figures = {figure.published_group: figure for figure in release.figures.select_related("analysis_group")}
    assert set(figures) == {*GROUPS, "Not known"}  # the provider's and the age row are passed over
    chinese = figures["Chinese"]
    assert chinese.analysis_group.code == "R" and chinese.broad_group == "Other ethnic groups"
    assert figures["Black or Black British"].level == NationalGroupLevel.BROAD
    assert figures["Black or Black British"].analysis_group is None
    assert figures["Not known"].level == NationalGroupLevel.UNKNOWN and figures["Not known"].crude_rate is None
    caribbean = figures["Caribbean"]
    assert caribbean.analysis_group.label == "Caribbean" and caribbean.total_count == 2_000
    assert caribbean.implied_population == pytest.approx(600_000, rel=0.001)
    assert caribbean.std_rate_lower == pytest.approx(caribbean.std_rate - 1.5)


def test_nhs_englands_own_measure_names_load_and_measures_waymark_does_not_compare_are_passed_over(tmp_path):
    detentions = [{**row, "Measure": "All detentions", "measureSubcategory": "All"} for row in national_rows()]
    ctos = [{**row, "Measure": "Uses of CTOs", "measureSubcategory": "All"} for row in national_rows()[:3]]
    short_term = [
        {**row, "Measure": "Short term orders", "measureSubcategory": "Section 136"} for row in national_rows()
    ]
    release = load(tmp_path, [*detentions, *ctos, *short_term])
    measures = {(figure.measure, figure.published_measure) for figure in release.figures.all()}
    assert measures == {("mha_detention", "All detentions"), ("cto", "Uses of CTOs")}
    caribbean = release.figures.get(measure="mha_detention", published_group="Caribbean")
    assert caribbean.measure_subcategory == "All" and caribbean.total_count == 2_000


def test_the_xlsx_of_the_same_table_loads_the_same_figures(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in national_rows():
        sheet.append([row[column] for column in COLUMNS])
    book.save(tmp_path / "mha.xlsx")
    release = import_national_mha(actor=None, source=tmp_path / "mha.xlsx", year=NATIONAL_YEAR)
    assert release.figures.get(published_group="African").total_count == 3_600


def test_a_missing_column_is_named(tmp_path):
    columns = [column for column in COLUMNS if column != "CrudeRate"]
    errors = problems(tmp_path, national_rows(), columns)
    assert errors == [{"row": None, "field": "CrudeRate", "value": "", "message": "The file has no CrudeRate column."}]


def test_an_unknown_measure_or_group_is_named_by_row_and_column(tmp_path):
    rows = national_rows()
    rows[1]["Measure"] = "Uses of section 999"
    rows[2]["DemographicBreakdown"] = "Martian"
    errors = problems(tmp_path, rows)
    assert [(error["row"], error["field"]) for error in errors] == [(3, "Measure"), (4, "DemographicBreakdown")]
    assert errors[1]["value"] == "Martian"


def test_a_crude_rate_that_does_not_match_its_count_and_implied_denominator_is_refused(tmp_path):
    rows = national_rows()
    ctos = {**rows[1], "Measure": "CTOs", "measureSubcategory": "All CTOs", "Total_Count": "200",
            "MHSDS_Count": "200", "Acute_Count": "0", "CrudeRate": "33.3"}  # fmt: skip
    assert load(tmp_path, [*rows, ctos]).figures.get(published_measure="CTOs").crude_rate == 33.3  # 200 in 600,000
    NationalRelease.objects.all().delete()
    errors = problems(tmp_path, [*rows, {**ctos, "CrudeRate": "50.0"}])
    assert [(error["row"], error["field"], error["value"]) for error in errors] == [(10, "CrudeRate", "50.0")]
    assert "row 3 implies about 600,060 people in this group, which gives 33.3" in errors[0]["message"]


def test_counts_that_do_not_add_up_and_rows_of_another_year_are_named(tmp_path):
    rows = national_rows()
    rows[0]["Total_Count"] = "28001"
    rows[2]["Year"] = "2019-20"
    rows[3]["MHSDS_Count"] = "-4"
    errors = problems(tmp_path, rows)
    assert {(error["row"], error["field"]) for error in errors} == {
        (2, "Total_Count"),
        (4, "Year"),
        (5, "MHSDS_Count"),
    }


def test_a_year_already_loaded_is_refused_and_nothing_is_added(tmp_path):
    load(tmp_path)
    with pytest.raises(NationalFileInvalid) as raised:
        load(tmp_path)
    assert raised.value.errors[0]["field"] == "Year" and "already loaded" in raised.value.errors[0]["message"]
    assert NationalRelease.objects.count() == 1 and NationalFigure.objects.count() == 6


def test_the_command_loads_a_file_and_prints_each_problem(tmp_path):
    out = StringIO()
    call_command("import_national_mha", str(write_csv(tmp_path / "mha.csv", national_rows())), "--year",
                 NATIONAL_YEAR, stdout=out)  # fmt: skip
    assert "Loaded 6 figures for England" in out.getvalue()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_national_mha", str(tmp_path / "mha.csv"), "--year", NATIONAL_YEAR, stderr=err)
    assert "already loaded" in err.getvalue()


def test_the_demo_file_is_in_the_published_format_and_loads_clean():
    release = import_national_mha(actor=None, source=NATIONAL_DEMO_FILE, year=NATIONAL_DEMO_YEAR)
    assert release.figures.filter(level=NationalGroupLevel.GROUP).count() == 32  # 16 groups, two measures


def test_the_dashboard_shows_englands_figure_beside_the_trusts(client, borough, tmp_path):
    load(tmp_path)
    verified_login(client, borough.analyst)
    page = client.get(reverse("monitoring:provider_dashboard", args=[borough.provider.uuid])).content.decode()
    start = page.index('id="england-mha_detention"')
    table = page[start : page.index("</table>", start)]
    caribbean = table[table.index("Black or Black British: Caribbean") :]
    caribbean = caribbean[: caribbean.index("</tr>")]
    # The trust's 30 in 10,000 (300.0 per 100,000) beside England's 2,000 in 600,000 (333.3).
    assert "300.0" in caribbean and "333.3" in caribbean
    expected = stats.rate_ratio(2_000, 2_000 / 333.3 * 100_000, 28_000, 28_000 / 70.0 * 100_000)
    assert f"{expected.value:.2f}" in caribbean and f"{expected.lower:.2f}" in caribbean
    assert "Mental Health Act Statistics, Annual Figures " + NATIONAL_YEAR in page


def test_an_analyst_uploads_englands_figures_and_sees_problems_by_row(client, borough, tmp_path):
    url = reverse("monitoring:national_import")
    verified_login(client, borough.staff)
    assert client.get(url).status_code == 403
    verified_login(client, borough.analyst)
    rows = national_rows()
    rows[2]["DemographicBreakdown"] = "Martian"
    bad = SimpleUploadedFile("mha.csv", write_csv(tmp_path / "bad.csv", rows).read_bytes())
    page = client.post(url, {"file": bad, "year": NATIONAL_YEAR}).content.decode()
    assert "Martian" in page and "DemographicBreakdown" in page and not NationalRelease.objects.exists()
    good = SimpleUploadedFile("mha.csv", write_csv(tmp_path / "good.csv", national_rows()).read_bytes())
    response = client.post(url, {"file": good, "year": NATIONAL_YEAR}, follow=True)
    assert NationalRelease.objects.get().file_name == "mha.csv"
    assert NATIONAL_YEAR in response.content.decode()
    page = client.post(url, {"file": good, "year": "2024"}).content.decode()
    assert "financial year such as" in page


def test_the_api_gives_englands_figures_with_the_ratio_to_a_chosen_group(client, tmp_path):
    load(tmp_path)
    url = reverse("api:monitoring-national-figure-list")
    data = client.get(url, {"year": NATIONAL_YEAR, "group": "Caribbean", "reference": "African"}).json()
    (row,) = data["results"]
    expected = stats.rate_ratio(2_000, 2_000 / 333.3 * 100_000, 3_600, 3_600 / 240.0 * 100_000)
    assert row["group"] == "Caribbean" and row["reference_group"] == "African"
    assert row["ratio_to_reference"]["value"] == pytest.approx(expected.value)
    assert row["ratio_to_reference"]["lower"] == pytest.approx(expected.lower)
    everyone = client.get(url, {"measure": "mha_detention"}).json()
    assert everyone["count"] == 6
    assert client.get(url, {"confidence": "0.5"}).status_code == 400


def _caribbean_england_cells(rows: list[list[str]]) -> dict[str, str]:
    heading = next(row for row in rows if "England: count" in row)
    caribbean = next(row for row in rows if "Black or Black British: Caribbean" in row)
    return {name: caribbean[heading.index(name)] for name in heading if name.startswith("England")}


def test_the_dashboard_download_carries_englands_figures_beside_each_group(client, borough, tmp_path):
    load(tmp_path)
    verified_login(client, borough.analyst)
    url = reverse("monitoring:provider_dashboard", args=[borough.provider.uuid])
    response = client.get(url, {"format": "csv"})
    cells = _caribbean_england_cells(list(csv.reader(StringIO(response.content.decode("utf-8-sig")))))
    expected = stats.rate_ratio(2_000, 2_000 / 333.3 * 100_000, 28_000, 28_000 / 70.0 * 100_000)
    assert cells["England: count"] == "2000" and cells["England: crude rate per 100,000"] == "333.3"
    assert float(cells["England: rate ratio to reference group"]) == pytest.approx(expected.value, abs=1e-3)
    assert cells["England: source"].startswith(
        f"NHS England, Mental Health Act Statistics, Annual Figures {NATIONAL_YEAR}"
    )


def test_a_snapshot_published_with_englands_figures_shows_and_serves_them_as_frozen(client, borough, tmp_path):
    load(tmp_path)
    verified_login(client, borough.analyst)
    form = {"provider": borough.provider.pk, "year": YEAR, "area": borough.area.pk, "methods_note": "Methods."}
    client.post(reverse("monitoring:snapshot_create"), {**form, "title": "With England", "include_national": "on"})
    client.post(reverse("monitoring:snapshot_create"), {**form, "title": "Trust only"})
    with_england = PublishedSnapshot.objects.get(title="With England")
    trust_only = PublishedSnapshot.objects.get(title="Trust only")
    NationalRelease.objects.all().delete()  # what was published stays published

    client.logout()
    page = client.get(with_england.get_absolute_url()).content.decode()
    start = page.index('id="england-mha_detention"')
    caribbean = page[page.index("Black or Black British: Caribbean", start) :]
    assert "333.3" in caribbean[: caribbean.index("</tr>")]
    assert 'id="england-heading"' not in client.get(trust_only.get_absolute_url()).content.decode()

    download = client.get(with_england.get_absolute_url(), {"format": "csv"})
    cells = _caribbean_england_cells(list(csv.reader(StringIO(download.content.decode("utf-8-sig")))))
    assert cells["England: crude rate per 100,000"] == "333.3"
    workbook = openpyxl.load_workbook(BytesIO(client.get(with_england.get_absolute_url(), {"format": "xlsx"}).content))
    texts = [str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(f"Annual Figures {NATIONAL_YEAR}" in text for text in texts)

    api = client.get(reverse("api:monitoring-snapshot-detail", args=[with_england.uuid])).json()
    (detentions,) = [comparison for comparison in api["national"] if comparison["measure"] == "mha_detention"]
    row = next(row for row in detentions["rows"] if row["group"] == "Black or Black British: Caribbean")
    assert row["england_rate"]["value"] == pytest.approx(333.3) and detentions["year"] == NATIONAL_YEAR
    trust_api = client.get(reverse("api:monitoring-snapshot-detail", args=[trust_only.uuid])).json()
    assert trust_api["national"] == []
    assert {"trend", "ratio_trend", "unknown_band", "standardised_method"} <= set(api["tables"][0]["rows"][0])


def test_the_dashboard_api_gives_englands_figures_beside_the_trusts(client, borough, tmp_path):
    load(tmp_path)
    verified_login(client, borough.analyst)
    data = client.get(reverse("api:monitoring-provider-dashboard", args=[borough.provider.uuid])).json()
    (detentions,) = [comparison for comparison in data["national"] if comparison["measure"] == "mha_detention"]
    row = next(row for row in detentions["rows"] if row["group"] == "Black or Black British: Caribbean")
    assert row["trust_rate"]["value"] == pytest.approx(300.0) and row["england_count"] == 2_000
    assert detentions["notes"][0].startswith("England: NHS England, Mental Health Act Statistics")
