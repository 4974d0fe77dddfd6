"""The one CSV and XLSX writer behind every export: headings, empty cells, the frozen bold heading row and
the "About" sheet."""

import csv
import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from waymark.core.spreadsheets import (
    download,
    spreadsheet_safe,
    spreadsheet_unescaped,
    stream_csv,
    write_csv,
    write_xlsx,
)


def test_csv_has_the_headings_then_the_rows_with_none_as_an_empty_cell():
    text = write_csv(["Group", "Count"], iter([["Somali", 12], ["Polish", None]]))
    assert list(csv.reader(io.StringIO(text))) == [["Group", "Count"], ["Somali", "12"], ["Polish", ""]]


def test_xlsx_has_a_bold_frozen_heading_row_and_an_about_sheet():
    content = write_xlsx("A sheet name longer than Excel's 31", ["Group", "Count"], [["Somali", 12]], about=["T", "n"])
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet, about = workbook.worksheets
    assert sheet.title == "A sheet name longer than Excel'"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Group", "Count"], ["Somali", 12]]
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert about.title == "About"
    assert [row[0].value for row in about.iter_rows()] == ["T", "n"]
    assert about["A1"].font.bold and not about["A2"].font.bold


def test_xlsx_without_notes_has_one_sheet_with_its_heading_row_in_sight():
    workbook = openpyxl.load_workbook(io.BytesIO(write_xlsx("Responses", ["Q"], [["A"]])))
    (sheet,) = workbook.worksheets
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "A"


def test_download_is_typed_by_the_file_extension():
    response = download(b"x", "figures.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="figures.xlsx"'
    assert download("a,b\r\n", "figures.csv")["Content-Type"] == "text/csv; charset=utf-8"


def test_streamed_csv_is_dated_starts_with_a_byte_order_mark_and_never_runs_typed_formulas():
    response = stream_csv(
        "services", ["Name", "Phone", "Notes"], iter([['=HYPERLINK("x")', "+44 (0)20 7946 0000", None]])
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Disposition"].startswith('attachment; filename="services-')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeffName,Phone,Notes\r\n")
    assert text.endswith('"\'=HYPERLINK(""x"")",+44 (0)20 7946 0000,\r\n')  # a phone number is left alone


@given(st.text())
def test_undoing_the_escape_gives_back_exactly_the_text_that_was_escaped(text):
    assert spreadsheet_unescaped(spreadsheet_safe(text)) == text


def test_an_apostrophe_the_writer_did_not_add_is_kept():
    assert spreadsheet_unescaped("'=SUM(A1)") == "=SUM(A1)"
    assert spreadsheet_unescaped("'- a list") == "- a list"
    assert spreadsheet_unescaped("'tis the season") == "'tis the season"
    assert spreadsheet_unescaped("'-2+3") == "'-2+3"  # the writer leaves "-2+3" alone, so this was typed
    assert spreadsheet_unescaped("''=SUM(A1)") == "''=SUM(A1)"
