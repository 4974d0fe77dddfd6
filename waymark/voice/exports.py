"""The intelligence report as CSV and XLSX: the same disclosure-controlled figures as the page and the PDF.

Every row says which section and which slice it belongs to, so a row lifted into another spreadsheet still
says what it is. A hidden count is an empty cell with the reason in the note column, never a zero.
"""

from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core.disclosure import PublishedCount
from waymark.core.file_headers import FileHeader
from waymark.core.spreadsheets import download, write_csv, write_xlsx
from waymark.voice.published import TIMELINESS_LABELS
from waymark.voice.reports import IntelligenceReport


def headings() -> list[str]:
    return [_("Section"), _("Slice"), _("Category"), _("Period"), _("Count"), _("Note")]


def _cells(count: PublishedCount) -> list[Any]:
    if count.suppressed:
        return [None, _("hidden (%(reason)s)") % {"reason": count.reason}]
    return [count.value, ""]


def report_rows(report: IntelligenceReport) -> Iterator[list[Any]]:
    """Every figure of the report, one per row."""
    everyone = _("All communities")
    yield [_("Feedback received"), everyone, _("All"), "", *_cells(report.total)]
    for section, rows in (
        (_("By theme"), report.by_theme),
        (_("By how it was gathered"), report.by_how_gathered),
        (_("By sentiment"), report.by_sentiment),
        (_("By language"), report.by_language),
    ):
        for row in rows:
            yield [section, everyone, row.label, "", *_cells(row.count)]
    for table in report.over_time:
        for theme, cells in zip(table.themes, table.table.cells, strict=True):
            for period, cell in zip(table.periods, cells, strict=True):
                yield [_("Themes over time"), table.label, theme, period, *_cells(cell)]
    for status, count in report.issue_statuses:
        yield [_("Issues by status"), everyone, status, "", count, ""]
    for outcome, count in report.outcomes:
        yield [_("Answers by outcome"), everyone, outcome, "", count, ""]
    for record in report.timeliness:
        for key, label in TIMELINESS_LABELS.items():
            yield [_("Response timeliness"), record.organisation.name, str(label), "", getattr(record, key), ""]


def file_header(report: IntelligenceReport) -> FileHeader:
    """The header of every file of the report, CSV, XLSX and PDF: its counts are disclosure-controlled."""
    scope = report.scope
    return FileHeader(
        title=scope.title,
        scope=scope.community.name if scope.community else _("All communities"),
        period=_("%(start)s to %(end)s") % {"start": scope.date_from.isoformat(), "end": scope.date_to.isoformat()},
        grouping=(_("Theme: %(theme)s") % {"theme": scope.theme.name} if scope.theme else _("All themes"))
        + "; "
        + _("by theme, how gathered, sentiment and language"),
    )


def _filename(report: IntelligenceReport) -> str:
    scope = report.scope
    return slugify(f"{scope.title} {scope.date_from} {scope.date_to}")


def csv_response(report: IntelligenceReport) -> HttpResponse:
    content = write_csv(headings(), report_rows(report), header=file_header(report))
    return download(content, f"{_filename(report)}.csv")


def xlsx_response(report: IntelligenceReport) -> HttpResponse:
    scope = report.scope
    about = [
        scope.title,
        _("Feedback received from %(start)s to %(end)s.") % {"start": scope.date_from, "end": scope.date_to},
        _(
            "Counts of feedback from 1 to 7 are hidden and the rest rounded to the nearest 5; more cells are "
            "hidden where a total would give a small count away."
        ),
        _("Counts of issues, escalations and answers are about organisations' work, not people, and are exact."),
    ]
    content = write_xlsx(_("Figures"), headings(), report_rows(report), about=about, header=file_header(report))
    return download(content, f"{_filename(report)}.xlsx")
