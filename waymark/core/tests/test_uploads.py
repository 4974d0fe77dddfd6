"""Request-body caps and the one upload check: type by content, size, and archives by what they hold."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from waymark.core.factories import zip_bomb
from waymark.core.problems import ProblemList
from waymark.core.uploads import UploadLimits, check_upload

LIMITS = UploadLimits(max_bytes=1024 * 1024, max_members=20, max_uncompressed_bytes=1024 * 1024, max_rows=100)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it, to show what a check did not read."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def refusal(name: str, content: bytes, kinds: tuple[str, ...], limits: UploadLimits = LIMITS) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content), kinds=kinds, limits=limits)
    return " ".join(refused.value.messages)


def test_each_accepted_kind_passes_by_its_content():
    assert check_upload(SimpleUploadedFile("a.csv", b"name,email\n"), kinds=["csv"], limits=LIMITS) == "csv"
    assert check_upload(SimpleUploadedFile("a.JSON", b' \n{"a": 1}'), kinds=["json"], limits=LIMITS) == "json"
    xlsx = SimpleUploadedFile("people.xlsx", xlsx_bytes([["name"], ["Asha"]]))
    assert check_upload(xlsx, kinds=["csv", "xlsx"], limits=LIMITS) == "xlsx"
    assert check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n..."), kinds=["pdf"], limits=LIMITS) == "pdf"


def test_a_name_not_accepted_is_refused_naming_what_is():
    assert refusal("people.ods", b"x", ("csv", "xlsx")) == "Upload a CSV file, an Excel workbook (.xlsx)."


@pytest.mark.parametrize(
    ("name", "content", "kinds"),
    [
        ("people.xlsx", b"name,email\nAsha,asha@example.org\n", ("csv", "xlsx")),  # a CSV renamed
        ("people.csv", b"\x89PNG\r\n\x1a\n" + bytes(100), ("csv", "xlsx")),  # an image renamed
        ("people.xlsx", zip_of({"notes.txt": b"hello"}), ("csv", "xlsx")),  # a ZIP that is no workbook
        ("services.json", b"name,phone\n", ("json", "zip")),
        ("extract.parquet", b"PAR1 but not the end", ("parquet",)),
        ("letter.pdf", b"MZ\x90\x00 a program", ("pdf",)),
    ],
)
def test_the_type_is_checked_by_content_not_only_the_name(name, content, kinds):
    assert "but its contents are not" in refusal(name, content, kinds)


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    limits = UploadLimits(max_bytes=2 * 1024 * 1024, max_members=5, max_uncompressed_bytes=10**9, max_rows=1)
    message = refusal("people.csv", b"a," * (1536 * 1024), ("csv",), limits)
    assert message == "The file is 3 MB; the largest file you can upload here is 2 MB."


def test_an_archive_with_too_many_files_is_refused():
    package = zip_of({f"table{number}.csv": b"id\n" for number in range(21)})
    assert refusal("package.zip", package, ("zip",)) == "The file holds 21 files inside it; at most 20 are allowed."


def test_a_workbook_too_large_unzipped_is_refused():
    workbook = xlsx_bytes([[f"person {number}", f"p{number}@example.org"] for number in range(8_000)])
    limits = UploadLimits(max_bytes=10**8, max_members=100, max_uncompressed_bytes=256 * 1024, max_rows=10**6)
    message = refusal("people.xlsx", workbook, ("xlsx",), limits)
    assert message.startswith("Unzipped, the file would be ")
    assert message.endswith("at most 256 KB is allowed. Split it into smaller files.")


def test_a_zip_bomb_is_refused_from_its_directory_without_being_read():
    bomb = zip_bomb(64 * 1024 * 1024)
    upload = CountingFile(bomb)
    upload.name = "package.zip"
    upload.size = len(bomb)

    with pytest.raises(ValidationError) as refused:
        check_upload(upload, kinds=["zip"], limits=LIMITS)

    assert refused.value.messages == [
        "Unzipped, the file would be 64 MB; at most 1 MB is allowed. Split it into smaller files."
    ]
    assert upload.bytes_read < len(bomb) / 4  # the directory and the first bytes, not the compressed data


def test_the_problem_list_keeps_the_first_problems_and_counts_the_rest(settings):
    settings.IMPORT_MAX_LISTED_PROBLEMS = 3
    problems = ProblemList(range(10))
    assert problems.listed == [0, 1, 2]
    assert (problems.total, problems.unlisted) == (10, 7)


# --- The request body ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_public_form_refuses_a_body_larger_than_the_cap_before_reading_it(client):
    """A 200 MB post to the feedback form is announced by its Content-Length and refused with 413."""
    url = reverse("voice:feedback", args=["en-gb"])
    response = client.post(
        url, data=b"x" * 100, content_type="application/octet-stream", CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert response.text == "This request is too large: at most 1 MB can be sent here."


@pytest.mark.django_db
def test_a_body_just_over_a_small_cap_is_refused(client, settings):
    settings.MAX_REQUEST_BYTES = 4096
    url = reverse("voice:feedback", args=["en-gb"])
    upload = SimpleUploadedFile("big.txt", b"x" * 4096)
    assert client.post(url, {"text": "Too long", "file": upload}).status_code == 413
    assert client.post(url, {"text": "Short"}).status_code != 413


@pytest.mark.django_db
def test_an_upload_page_takes_a_body_up_to_its_own_limit(client, settings, make_persona, verified_login):
    from waymark.core.roles import Role

    settings.MAX_REQUEST_BYTES = 4096
    verified_login(client, make_persona(Role.STAFF))
    upload = SimpleUploadedFile("contacts.csv", b"name,email\n" + b"Asha,asha@example.org\n" * 500)
    response = client.post(reverse("network:contact_import"), {"file": upload})
    assert response.status_code != 413
