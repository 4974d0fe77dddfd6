"""CSV and XLSX files for downloads, written one way so that every export opens alike.

Callers hand over plain rows (lists of values, None for an empty cell) and decide what goes in them. Every
text cell, headings and notes included, passes through `spreadsheet_safe` here, so no export can forget to
stop a typed formula: any text may have been typed by someone outside the organisation downloading it.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from waymark.core.file_headers import FileHeader

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_CHARACTERS = frozenset("0123456789 +-().")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet shows as typed and never runs as a formula; anything else unchanged.

    Text starting with "=", "+", "-", "@", a tab or a carriage return gets a leading apostrophe, which
    spreadsheets read as "this is text" (OWASP's advice for CSV injection); openpyxl would otherwise write
    "=…" into an XLSX as a live formula. Numbers, dates and None stay what they are, so figures still add up.

    Text made only of digits, spaces and "+-()." (a phone number such as "+44 (0)20 7946 0000") is left
    alone: without letters, quotes, "!" or "|" it can name no function, cell, sheet or program, so nothing
    can run or reach another cell, while an apostrophe would spoil a phone number that is downloaded and
    imported again; plain arithmetic such as "-2+3" is the most such text could do.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not set(value) <= PLAIN_NUMBER_CHARACTERS:
        return "'" + value
    return value


def spreadsheet_unescaped(text: str) -> str:
    """`text` without the apostrophe `spreadsheet_safe` put before it, if it put one there; else unchanged.

    Files Waymark wrote and reads back (the Open Referral UK tabular package) carry the escape, so without
    this a service named "=…" or described with a Markdown "- " list would gain an apostrophe on every round
    trip. The apostrophe goes only when escaping the rest gives `text` again, so an apostrophe someone typed
    ("'tis", "'-2+3") stays: unescaping what `spreadsheet_safe` wrote gives back exactly what it was given.
    """
    if text.startswith("'") and spreadsheet_safe(text[1:]) == text:
        return text[1:]
    return text


def _safe_row(row: Iterable[Any]) -> list[Any]:
    return [spreadsheet_safe(value) for value in row]


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _header_rows(header: FileHeader | None) -> list[list[Any]]:
    """The file's header block, one line a row, and an empty row before the headings; nothing without one."""
    if header is None:
        return []
    return [_safe_row([line]) for line in header.lines()] + [[]]


def write_csv(headings: Sequence[Any], rows: Iterable[Sequence[Any]], *, header: FileHeader | None = None) -> str:
    """The header block (given one), the heading row and then the rows, as CSV text; None is written as an
    empty cell, never "None"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_header_rows(header))
    writer.writerow(_safe_row(headings))
    for row in rows:
        writer.writerow(["" if value is None else value for value in _safe_row(row)])
    return buffer.getvalue()


def write_xlsx(
    sheet_title: str,
    headings: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    about: Sequence[str] = (),
    header: FileHeader | None = None,
) -> bytes:
    """A workbook of one sheet of rows under a heading row that is bold and frozen (so it stays in sight
    while scrolling). Given `about` lines, a second "About" sheet holds them, the first in bold as its
    title, so that a file passed on still says what it is. Given a `header`, its block tops every sheet,
    its status line in bold, so whichever sheet is printed or copied says whether it may be published."""
    workbook = Workbook(write_only=True)  # rows go straight to the file: 100,000 rows in memory took over 1 GB
    sheet = workbook.create_sheet(sheet_title[:31])  # Excel's limit on a sheet's name
    block = _header_rows(header)
    sheet.freeze_panes = f"A{len(block) + 2}"  # a write-only sheet takes its settings before its rows
    _append_header(sheet, block)
    sheet.append([_bold(sheet, value) for value in _safe_row(headings)])
    for row in rows:
        sheet.append(_safe_row(row))
    if about:
        notes = workbook.create_sheet(_("About")[:31])
        _append_header(notes, block)
        for index, line in enumerate(about):
            value = spreadsheet_safe(line)
            notes.append([_bold(notes, value) if index == 0 else value])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _bold(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _append_header(sheet: Any, block: list[list[Any]]) -> None:
    """The header block on top of a sheet, its title and status line in bold."""
    bold = {0, len(block) - 2}
    for index, row in enumerate(block):
        if index in bold:
            first, *rest = row or [None]
            row = [_bold(sheet, first), *rest]
        sheet.append(row)


def download(content: str | bytes, filename: str) -> HttpResponse:
    """A response that saves `content` as `filename`, typed by the file's extension (csv or xlsx)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rpartition(".")[2]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def stream_csv(
    name: str, headings: Sequence[Any], rows: Iterable[Iterable[Any]], *, header: FileHeader | None = None
) -> StreamingHttpResponse:
    """Stream rows as a CSV download named ``name`` and today's date, every cell made ``spreadsheet_safe``,
    under the file's header block when given one.

    Rows are written as they are read, so a long list never sits in memory; a byte-order mark comes first,
    so that Excel reads accented names as UTF-8.
    """
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for line in _header_rows(header):
            yield writer.writerow(line)
        yield writer.writerow(_safe_row(headings))
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in _safe_row(row)])

    response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.csv"'
    return response
