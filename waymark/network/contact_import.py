"""Contact import from a CSV or XLSX spreadsheet: every row checked first, every problem reported by
row and column, and nothing saved unless every row is good.

A row whose e-mail address matches an existing contact updates that contact, so the same
spreadsheet can be imported twice without making duplicates. With ``network`` given, everyone
imported becomes a member of it.
"""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from waymark.core.models import Language, Organisation, Sector, Theme
from waymark.network.models import Contact, LawfulBasis, Network
from waymark.network.people import add_member, save_record

COLUMNS = [
    "name",
    "email",
    "phone",
    "job_title",
    "organisation",
    "sector",
    "interests",
    "preferred_language",
    "consent_to_contact",
    "lawful_basis",
    "consent_date",
]
REQUIRED_COLUMNS = {"name", "email"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
MAX_ROWS = 5000


@dataclass
class RowError:
    row: int  # the spreadsheet's row number, the heading being row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the spreadsheet; nothing was imported.")
        self.errors = errors


def read_rows(upload: IO[bytes], filename: str) -> Iterator[dict[str, str]]:
    """Rows as {column: text}, from CSV (UTF-8, with or without BOM) or XLSX by the file's name."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        headings = [_heading(value) for value in next(sheet_rows, ())]
        for values in sheet_rows:
            yield {heading: _cell_text(value) for heading, value in zip(headings, values, strict=False) if heading}
        workbook.close()
        return
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    reader.fieldnames = [_heading(name) for name in reader.fieldnames or []]
    for row in reader:
        yield {key: (value or "").strip() for key, value in row.items() if key}


HEADING_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "e_mail_address": "email",
    "role": "job_title",
    "job": "job_title",
    "organization": "organisation",
    "language": "preferred_language",
    "consent": "consent_to_contact",
}


def _heading(value: Any) -> str:
    """A column heading as the import names it: "E-mail address" → "email"."""
    heading = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    return HEADING_ALIASES.get(heading, heading)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class _Lookups:
    """Reference data read once per import, matched without regard to case."""

    def __init__(self) -> None:
        self.organisations = {name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")}
        self.sectors: dict[str, int] = {}
        for pk, slug, name in Sector.objects.values_list("pk", "slug", "name"):
            self.sectors[slug.lower()] = self.sectors[name.lower()] = pk
        self.themes: dict[str, int] = {}
        for pk, slug, name in Theme.objects.values_list("pk", "slug", "name"):
            self.themes[slug.lower()] = self.themes[name.lower()] = pk
        self.languages: dict[str, int] = {}
        for pk, code, name in Language.objects.values_list("pk", "code", "name"):
            self.languages[code.lower()] = self.languages[name.lower()] = pk
        self.bases = {value: value for value in LawfulBasis.values} | {
            str(label).lower(): value for value, label in LawfulBasis.choices
        }


def _parse_row(number: int, row: dict[str, str], lookups: _Lookups, errors: list[RowError]) -> dict[str, Any] | None:
    """The contact fields of one row, or None after adding its problems to ``errors``."""
    found: list[RowError] = []

    def problem(column: str, message: str) -> None:
        found.append(RowError(number, column, message))

    data: dict[str, Any] = {
        "name": row.get("name", ""),
        "email": row.get("email", "").lower(),
        "phone": row.get("phone", ""),
        "job_title": row.get("job_title", ""),
    }
    if not data["name"]:
        problem("name", "the name is missing.")
    if not data["email"]:
        problem("email", "the e-mail address is missing.")
    else:
        try:
            validate_email(data["email"])
        except ValidationError:
            problem("email", f"“{row.get('email')}” is not a valid e-mail address.")
    for column, table, key in (
        ("organisation", lookups.organisations, "organisation_id"),
        ("sector", lookups.sectors, "sector_id"),
        ("preferred_language", lookups.languages, "preferred_language_id"),
    ):
        value = row.get(column, "")
        data[key] = None
        if value:
            data[key] = table.get(value.lower())
            if data[key] is None:
                problem(column, f"there is no {column.replace('_', ' ')} called “{value}”.")
    interests = [part.strip() for part in row.get("interests", "").replace(",", ";").split(";") if part.strip()]
    data["interests"] = []
    for interest in interests:
        if interest.lower() in lookups.themes:
            data["interests"].append(lookups.themes[interest.lower()])
        else:
            problem("interests", f"there is no theme called “{interest}”.")
    consent = row.get("consent_to_contact", "").lower()
    if consent not in YES | NO:
        problem("consent_to_contact", f"write yes or no, not “{row.get('consent_to_contact')}”.")
    data["consent_to_contact"] = consent in YES
    basis = row.get("lawful_basis", "")
    data["lawful_basis"] = lookups.bases.get(basis.lower(), "") if basis else ""
    if basis and not data["lawful_basis"]:
        problem("lawful_basis", f"“{basis}” is not one of: {', '.join(LawfulBasis.values)}.")
    consent_date = row.get("consent_date", "")
    data["consent_date"] = None
    if consent_date:
        try:
            data["consent_date"] = datetime.date.fromisoformat(consent_date[:10])
        except ValueError:
            problem("consent_date", f"“{consent_date}” is not a date like 2025-03-31.")
    errors.extend(found)
    return None if found else data


def import_contacts(*, upload: IO[bytes], filename: str, actor: Any, network: Network | None = None) -> ImportResult:
    """Check every row, then save them all in one transaction; ImportFailed lists every problem."""
    errors: list[RowError] = []
    lookups = _Lookups()
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    try:
        rows = list(read_rows(upload, filename))
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError) as exc:
        raise ImportFailed([RowError(1, "file", f"it could not be read as CSV or XLSX ({exc}).")]) from None
    if not rows:
        raise ImportFailed([RowError(1, "file", "it has no rows under the headings.")])
    missing = REQUIRED_COLUMNS - set(rows[0])
    if missing:
        raise ImportFailed([RowError(1, column, "this column is missing.") for column in sorted(missing)])
    if len(rows) > MAX_ROWS:
        raise ImportFailed([RowError(1, "file", f"it has {len(rows)} rows; import at most {MAX_ROWS} at a time.")])
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        data = _parse_row(number, row, lookups, errors)
        if data is None:
            continue
        if data["email"] in seen:
            errors.append(RowError(number, "email", f"{data['email']} is also on row {seen[data['email']]}."))
            continue
        seen[data["email"]] = number
        parsed.append((number, data))
    if errors:
        raise ImportFailed(errors)

    result = ImportResult()
    existing = {
        contact.email.lower(): contact
        for contact in Contact.objects.alias(email_lower=Lower("email")).filter(email_lower__in=list(seen))
    }
    with transaction.atomic():
        for number, data in parsed:
            interests = data.pop("interests")
            contact = existing.get(data["email"]) or Contact()
            creating = contact.pk is None
            for name, value in data.items():
                setattr(contact, name, value)
            try:
                save_record(contact, actor=actor, m2m={"interests": interests})
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    errors.extend(RowError(number, column, message) for message in messages)
                continue
            if network is not None:
                add_member(network=network, contact=contact, actor=actor)
            result.created += creating
            result.updated += not creating
        if errors:
            raise ImportFailed(errors)  # leaving the block by an exception undoes every row
    return result
