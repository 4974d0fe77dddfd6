"""The header block atop every downloaded file: what it is, where, when, how grouped, and whether it may be
published, on every sheet of a workbook and every page of a PDF."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from pypdf import PdfReader

from waymark.core.file_headers import FileHeader, records_header, split_file_header
from waymark.core.pdf import html_to_pdf
from waymark.core.spreadsheets import stream_csv, write_csv, write_xlsx

MADE = datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC)
HEADER = FileHeader(
    title="Detentions under the Mental Health Act",
    scope="Riverside Mental Health Trust, people living in Riverside",
    period="2025/26",
    grouping="ONS 2021 ethnic groups",
    unsuppressed=True,
    made_at=MADE,
)
LINES = [
    "Detentions under the Mental Health Act",
    "Area or provider: Riverside Mental Health Trust, people living in Riverside",
    "Period: 2025/26",
    "Grouping: ONS 2021 ethnic groups",
    "Made: 7 December 2026, 09:30 GMT",
    "Not for publication: unsuppressed figures",
]


def test_the_block_names_the_file_and_ends_with_its_status_line():
    assert HEADER.lines() == LINES
    controlled = FileHeader(title="T", scope="S", period="P", grouping="G")
    assert controlled.lines()[-1] == "Disclosure-controlled"


def test_a_csv_begins_with_the_block_and_an_empty_row_then_its_headings():
    rows = list(csv.reader(io.StringIO(write_csv(["Group", "Count"], [["Somali", 12]], header=HEADER))))

    assert rows == [[line] for line in LINES] + [[], ["Group", "Count"], ["Somali", "12"]]
    assert split_file_header(rows) == (LINES, [["Group", "Count"], ["Somali", "12"]])


def test_a_streamed_csv_carries_the_block_after_its_byte_order_mark():
    response = stream_csv("figures", ["Group"], iter([["Somali"]]), header=HEADER)
    text = b"".join(response.streaming_content).decode("utf-8")

    assert text.startswith("\ufeffDetentions under the Mental Health Act\r\n")
    assert "\r\n\r\nGroup\r\nSomali\r\n" in text


def test_every_sheet_of_a_workbook_carries_the_block_with_its_headings_frozen_below_it():
    content = write_xlsx("Figures", ["Group", "Count"], [["Somali", 12]], about=["About these figures"], header=HEADER)

    sheet, about = openpyxl.load_workbook(io.BytesIO(content)).worksheets
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values[:6]] == LINES
    assert values[7:] == [["Group", "Count"], ["Somali", 12]]
    assert sheet.freeze_panes == "A9" and sheet["A8"].font.bold
    assert sheet["A1"].font.bold and sheet["A6"].font.bold
    assert [row[0].value for row in about.iter_rows()][:6] == LINES
    assert about["A8"].value == "About these figures" and about["A8"].font.bold


def test_a_header_line_someone_typed_cannot_run_as_a_formula():
    header = FileHeader(title="=HYPERLINK(1)", scope="S", period="P", grouping="G")
    rows = list(csv.reader(io.StringIO(write_csv(["A"], [], header=header))))
    assert rows[0] == ["'=HYPERLINK(1)"]


def test_a_list_names_its_filters_beside_its_scope():
    header = records_header(
        "Services",
        scope="Services in the directory",
        grouping="One row per service",
        filters={"status": "active", "language": ["ur", "bn"]},
    )

    assert header.scope == "Services in the directory, filtered by status = active; language = ur, bn"
    assert header.lines()[-1] == "Disclosure-controlled"


def test_a_file_without_a_block_is_read_whole():
    rows = [["Group", "Count"], [], ["Somali", "12"]]
    assert split_file_header(rows) == ([], rows)


@pytest.fixture
def _no_cached_pdfs():
    cache.clear()


def test_every_page_of_a_pdf_carries_the_status_line_and_the_first_the_whole_block(_no_cached_pdfs):
    body = "".join(f"<p>Row {number}</p>" for number in range(120))  # several pages
    header = FileHeader(title='Figures "quoted" & <b>', scope="S", period="P", grouping="G", unsuppressed=True)

    pages = PdfReader(io.BytesIO(html_to_pdf(f"<html><head></head><body>{body}</body></html>", header=header))).pages

    assert len(pages) > 1
    texts = [page.extract_text() for page in pages]
    assert all("Not for publication: unsuppressed figures" in text for text in texts)
    assert 'Figures "quoted" & <b>' in texts[0] and "Area or provider: S" in texts[0]
