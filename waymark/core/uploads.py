"""Limits on what a request may send and what an upload may be, checked before any import reads it.

Every request body is capped at ``MAX_REQUEST_BYTES``; a view that takes a file declares it with
``@accepts_upload("contacts")`` and may then receive that upload's ``max_bytes`` (from
``UPLOAD_LIMITS``) and a little for the rest of the form. ``RequestBodyLimitMiddleware`` answers 413
before anything reads a body that is too large.

``check_upload`` is the one check every upload field uses: the file's type by its content (not only its
name), its size and, for archives (ZIP, and XLSX, which is a ZIP), how many files it holds and how
large they are once unzipped. Each refusal is a form error that names the limit. The sizes inside an
archive are read from its directory: nothing is decompressed to check them, and Python's ``zipfile``
never returns more than a member's declared size.
"""

import functools
import re
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

FORM_ALLOWANCE_BYTES = 64 * 1024  # the form's other fields and the multipart framing around the file
SNIFF_BYTES = 8 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """How large one kind of upload may be: the file, the files inside an archive, and its rows."""

    max_bytes: int
    max_members: int
    max_uncompressed_bytes: int
    max_rows: int


def upload_limits(name: str) -> UploadLimits:
    """The limits named in ``settings.UPLOAD_LIMITS`` (read when asked, so settings can change in tests)."""
    return UploadLimits(**settings.UPLOAD_LIMITS[name])


def describe_bytes(size: int) -> str:
    """A size as a person says it: "50 MB", "1 GB", "700 KB"."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:,.0f} {unit}" if value >= 10 or value == int(value) else f"{value:,.1f} {unit}"
    return f"{size:,} bytes"


_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s/'\"`]+/)+[^\s/'\"`,;:)]*")


def without_paths(message: str) -> str:
    """An error message fit to show a person: any absolute server path in it (a library's words about the
    stored upload) becomes "the file"."""
    return _ABSOLUTE_PATH.sub("the file", message)


# --- The request body ----------------------------------------------------------------------------------


def accepts_upload(limits_name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let this view receive one upload of the named kind: its body may be that upload's size and a little."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return view(request, *args, **kwargs)

        wrapped.upload_limits_name = limits_name  # type: ignore[attr-defined]
        return wrapped

    return decorate


def request_body_limit(view_func: Callable[..., Any]) -> int:
    """The most bytes a request to this view may send."""
    name = getattr(view_func, "upload_limits_name", None)
    if name is None:
        return int(settings.MAX_REQUEST_BYTES)
    return max(int(settings.MAX_REQUEST_BYTES), upload_limits(name).max_bytes + FORM_ALLOWANCE_BYTES)


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose body is larger than its view allows, before anything reads it.

    It runs its check before the CSRF middleware reads the form. The WSGI server gives Django no more than
    Content-Length says, so checking the declared length bounds what is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("The request's length is not a number."), status=400, content_type="text/plain")
        limit = request_body_limit(view_func)
        if length > limit:
            message = _("This request is too large: at most %(limit)s can be sent here.") % {
                "limit": describe_bytes(limit)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return None


# --- The file's type, by its content --------------------------------------------------------------------

KIND_WORDS = {
    "csv": "a CSV file",
    "txt": "a text file",
    "eml": "an e-mail file",
    "json": "a JSON file",
    "xlsx": "an Excel workbook (.xlsx)",
    "parquet": "a Parquet file",
    "zip": "a ZIP file",
    "docx": "a Word document (.docx)",
    "odt": "an OpenDocument text file (.odt)",
    "doc": "a Word 97–2003 document (.doc)",
    "msg": "an Outlook message (.msg)",
    "pdf": "a PDF",
    "png": "a PNG image",
    "jpg": "a JPEG image",
}
SUFFIX_KINDS = {".jpeg": "jpg", ".xls": "doc"}  # names that mean the same content as another
ARCHIVE_KINDS = frozenset({"zip", "xlsx", "docx", "odt"})
TEXT_KINDS = frozenset({"csv", "txt", "eml", "json"})
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "doc": OLE_SIGNATURE,
    "msg": OLE_SIGNATURE,
    "parquet": b"PAR1",
}
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")


def kind_of_name(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return SUFFIX_KINDS.get(suffix, suffix.lstrip("."))


def _looks_like_text(head: bytes) -> bool:
    """Text has no NUL bytes and no binary signature; the start must decode as UTF-8 (or be Latin-1 text)."""
    if b"\x00" in head or head.startswith(ZIP_SIGNATURES) or any(head.startswith(s) for s in SIGNATURES.values()):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is still text; other bytes may be a legacy encoding,
        # which the import itself reports by row.
        return error.start >= len(head) - 3 or not any(byte < 9 for byte in head)
    return True


def _content_matches(kind: str, upload: IO[bytes], head: bytes) -> bool:
    if kind in TEXT_KINDS:
        if not _looks_like_text(head):
            return False
        if kind == "json":
            return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")
        return True
    if kind in ARCHIVE_KINDS:
        return head.startswith(ZIP_SIGNATURES)
    if kind == "parquet":
        upload.seek(-4, 2)
        tail = upload.read(4)
        return head.startswith(b"PAR1") and tail == b"PAR1"
    signature = SIGNATURES.get(kind)
    return signature is not None and head.startswith(signature)


def _archive_refusal(kind: str, upload: IO[bytes], limits: UploadLimits) -> str | None:
    """Why this archive is refused, from its directory alone, or None."""
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return _("The file is damaged: it could not be opened as %(kind)s.") % {"kind": KIND_WORDS[kind]}
    refusal = archive_limits_refusal(members, limits)
    if refusal:
        return refusal
    expected = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml", "odt": "mimetype"}.get(kind)
    if expected and expected not in names:
        return _("The file's name says it is %(kind)s, but its contents are not.") % {"kind": KIND_WORDS[kind]}
    return None


def archive_limits_refusal(members: Collection[zipfile.ZipInfo], limits: UploadLimits) -> str | None:
    """Why an archive with these members is too large, or None: the number of files and their unzipped size."""
    if len(members) > limits.max_members:
        return _("The file holds %(count)s files inside it; at most %(limit)s are allowed.") % {
            "count": f"{len(members):,}",
            "limit": f"{limits.max_members:,}",
        }
    unzipped = sum(member.file_size for member in members)
    if unzipped > limits.max_uncompressed_bytes:
        return _("Unzipped, the file would be %(size)s; at most %(limit)s is allowed. Split it into smaller files.") % {
            "size": describe_bytes(unzipped),
            "limit": describe_bytes(limits.max_uncompressed_bytes),
        }
    return None


def check_upload(upload: Any, *, kinds: Collection[str], limits: UploadLimits) -> str:
    """The upload's kind ("csv", "xlsx", …) once its name, content and size pass; else a ValidationError.

    ``kinds`` are the kinds this field accepts, named as file suffixes without the dot.
    """
    accepted = ", ".join(KIND_WORDS.get(kind, kind) for kind in kinds)
    kind = kind_of_name(upload.name or "")
    if kind not in kinds:
        raise ValidationError(_("Upload %(kinds)s.") % {"kinds": accepted}, code="file_type")
    size = upload.size
    if size is not None and size > limits.max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the largest file you can upload here is %(limit)s.")
            % {"size": describe_bytes(size), "limit": describe_bytes(limits.max_bytes)},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    try:
        if not head:
            raise ValidationError(_("The file is empty."), code="empty")
        if not _content_matches(kind, upload, head):
            raise ValidationError(
                _("The file's name says it is %(kind)s, but its contents are not. Upload %(kinds)s.")
                % {"kind": KIND_WORDS[kind], "kinds": accepted},
                code="file_content",
            )
        if kind in ARCHIVE_KINDS:
            refusal = _archive_refusal(kind, upload, limits)
            if refusal:
                raise ValidationError(refusal, code="archive")
    finally:
        upload.seek(0)
    return kind


@deconstructible
class UploadValidator:
    """A form field validator: ``check_upload`` with the named limits and the kinds the field accepts."""

    def __init__(self, limits_name: str, kinds: Collection[str]) -> None:
        self.limits_name = limits_name
        self.kinds = tuple(kinds)

    def __call__(self, upload: Any) -> None:
        check_upload(upload, kinds=self.kinds, limits=upload_limits(self.limits_name))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.limits_name, self.kinds) == (
            other.limits_name,
            other.kinds,
        )
