"""Contact import from a CSV or XLSX spreadsheet, in two steps: a preview, then the same changes applied.

``plan_import`` reads the file and works out, without writing anything, who is new, who would change
(field by field, old → new), who is unchanged and every problem by row and column.
``services.contact_import.apply_plan`` writes a plan with no problems in one transaction. Both run as
background jobs (``preview_import``, ``confirm_import``); the stored upload is read again on confirmation,
and the confirmation is refused if the plan it gives is not the one the person saw.

A row whose e-mail address matches an existing contact updates that contact. A column the file does not
have leaves that field as it is; a blank cell leaves it too, unless the person importing ticked "blank
cells clear fields". With ``network`` given, everyone in the file becomes a member of it.
"""

import csv
import datetime
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.tasks import task
from django.utils import timezone

from waymark.core.jobs import Progress, job_task, start_job
from waymark.core.models import Job, Language, Organisation, Sector, Theme
from waymark.core.problems import ProblemList
from waymark.core.scheduling import register_periodic
from waymark.core.uploads import upload_limits, without_paths
from waymark.network.models import Contact, LawfulBasis, Network

# Columns in the order a spreadsheet has them; each is also the name of the contact's field (without _id).
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
NO = {"no", "n", "false", "0"}
LOOKUP_COLUMNS = {
    "organisation": "organisation_id",
    "sector": "sector_id",
    "preferred_language": "preferred_language_id",
}


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, the heading being row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, {self.column}: {self.message}"


@dataclass
class RowPlan:
    """One row of the file and what it would do: add a contact, change some fields, or nothing."""

    row: int
    email: str
    name: str
    contact_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # field → new value, only fields that change
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new) as people read them


@dataclass
class ImportPlan:
    """What importing the file would do. With any error it cannot be applied."""

    columns: list[str] = field(default_factory=list)
    new: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    unchanged: list[RowPlan] = field(default_factory=list)
    errors: ProblemList[RowError] = field(default_factory=ProblemList)

    def digest(self) -> str:
        """A fingerprint of every change the plan would make, to check a confirmation applies what was shown."""
        rows = [(row.row, row.contact_id, row.changes) for row in [*self.new, *self.changed, *self.unchanged]]
        return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the spreadsheet; nothing was imported.")
        self.errors = errors


# --- Reading ----------------------------------------------------------------------------------------------

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


def read_rows(upload: IO[bytes], kind: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The headings and an iterator of rows as {column: text}, read as they are needed (CSV in UTF-8, or XLSX)."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        headings = [_heading(value) for value in next(sheet_rows, ())]

        def xlsx_rows() -> Iterator[dict[str, str]]:
            try:
                for values in sheet_rows:
                    yield {name: _cell_text(value) for name, value in zip(headings, values, strict=False) if name}
            finally:
                workbook.close()

        return headings, xlsx_rows()
    reader = csv.DictReader(io.TextIOWrapper(upload, encoding="utf-8-sig", newline=""))
    headings = [_heading(name) for name in reader.fieldnames or []]
    reader.fieldnames = headings
    rows = ({key: (value or "").strip() for key, value in row.items() if key} for row in reader)
    return headings, rows


class _Lookups:
    """Reference data read once per import, matched without regard to case."""

    def __init__(self) -> None:
        self.organisation_id = {name.lower(): pk for pk, name in Organisation.objects.values_list("pk", "name")}
        self.sector_id: dict[str, int] = {}
        for pk, slug, name in Sector.objects.values_list("pk", "slug", "name"):
            self.sector_id[slug.lower()] = self.sector_id[name.lower()] = pk
        self.theme_id: dict[str, int] = {}
        for pk, slug, name in Theme.objects.values_list("pk", "slug", "name"):
            self.theme_id[slug.lower()] = self.theme_id[name.lower()] = pk
        self.preferred_language_id: dict[str, int] = {}
        for pk, code, name in Language.objects.values_list("pk", "code", "name"):
            self.preferred_language_id[code.lower()] = self.preferred_language_id[name.lower()] = pk
        self.bases = {value: value for value in LawfulBasis.values} | {
            str(label).lower(): value for value, label in LawfulBasis.choices
        }
        self.names = {
            "organisation_id": dict(Organisation.objects.values_list("pk", "name")),
            "sector_id": dict(Sector.objects.values_list("pk", "name")),
            "preferred_language_id": dict(Language.objects.values_list("pk", "name")),
            "interests": dict(Theme.objects.values_list("pk", "name")),
        }


# --- Planning ---------------------------------------------------------------------------------------------


def _parse_row(
    number: int, row: dict[str, str], columns: list[str], lookups: _Lookups, errors: ProblemList[RowError]
) -> dict[str, Any] | None:
    """The contact fields the row gives (present columns only; a blank cell is None), or None with its problems."""
    found: list[RowError] = []

    def problem(column: str, message: str) -> None:
        found.append(RowError(number, column, message))

    data: dict[str, Any] = {}
    for column in columns:
        text = row.get(column, "")
        if "\x00" in text:
            problem(column, "remove the invisible NUL character from this cell.")
            continue
        if not text:
            data[LOOKUP_COLUMNS.get(column, column)] = None
            continue
        if column in {"name", "phone", "job_title"}:
            data[column] = text
        elif column == "email":
            data["email"] = text.lower()
            try:
                validate_email(data["email"])
            except ValidationError:
                problem("email", f"“{text}” is not a valid e-mail address.")
        elif column in LOOKUP_COLUMNS:
            key = LOOKUP_COLUMNS[column]
            data[key] = getattr(lookups, key).get(text.lower())
            if data[key] is None:
                problem(column, f"there is no {column.replace('_', ' ')} called “{text}”.")
        elif column == "interests":
            data["interests"] = []
            for interest in (part.strip() for part in text.replace(",", ";").split(";")):
                if interest and interest.lower() in lookups.theme_id:
                    data["interests"].append(lookups.theme_id[interest.lower()])
                elif interest:
                    problem("interests", f"there is no theme called “{interest}”.")
        elif column == "consent_to_contact":
            if text.lower() not in YES | NO:
                problem(column, f"write yes or no, not “{text}”.")
            data[column] = text.lower() in YES
        elif column == "lawful_basis":
            data[column] = lookups.bases.get(text.lower(), "")
            if not data[column]:
                problem(column, f"“{text}” is not one of: {', '.join(LawfulBasis.values)}.")
        elif column == "consent_date":
            try:
                data[column] = datetime.date.fromisoformat(text[:10])
            except ValueError:
                problem(column, f"“{text}” is not a date like 2025-03-31.")
    if not data.get("email") and not any(error.column == "email" for error in found):
        problem("email", "the e-mail address is missing.")
    errors.extend(found)
    return None if found else data


BLANK = {"consent_to_contact": False, "interests": [], "name": "", "phone": "", "job_title": "", "lawful_basis": ""}


def _shown(key: str, value: Any, lookups: _Lookups) -> str:
    """A field's value as a person reads it in the preview."""
    if key in lookups.names:
        names = lookups.names[key]
        if key == "interests":
            return "; ".join(sorted(str(names.get(pk, pk)) for pk in value))
        return str(names.get(value, "")) if value else ""
    if key == "consent_to_contact":
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _column_of(key: str) -> str:
    return next((column for column, name in LOOKUP_COLUMNS.items() if name == key), key)


def _plan_row(
    number: int, data: dict[str, Any], contact: Contact | None, *, blanks_clear: bool, lookups: _Lookups
) -> tuple[RowPlan, Contact]:
    """What the row would change on ``contact`` (or a new one), and the contact as it would be."""
    new = contact is None
    target = Contact() if contact is None else contact
    old_interests = [] if new else sorted(theme.pk for theme in target.interests.all())
    plan = RowPlan(row=number, email=data["email"], name=data.get("name") or target.name, contact_id=target.pk)
    for key, value in data.items():
        if key == "email":
            continue
        if value is None:
            if not blanks_clear or new:
                continue  # a blank cell leaves the field as it is
            value = BLANK.get(key)
        old = old_interests if key == "interests" else getattr(target, key)
        if key == "interests":
            value = sorted(value)
        if old == value and not new:
            continue
        plan.values[key] = value
        if key != "interests":
            setattr(target, key, value)
        if not new or value not in (None, "", [], False):
            plan.changes.append(
                (_column_of(key), _shown(key, old, lookups) if not new else "", _shown(key, value, lookups))
            )
    if new:
        target.email = data["email"]
        plan.values["email"] = data["email"]
    return plan, target


def plan_import(*, upload: IO[bytes], kind: str, blanks_clear: bool = False) -> ImportPlan:
    """Read the file and work out what importing it would do. Writes nothing."""
    plan = ImportPlan()
    limits = upload_limits("contacts")
    try:
        headings, rows = read_rows(upload, kind)
        plan.columns = [column for column in COLUMNS if column in headings]
        missing = REQUIRED_COLUMNS - set(headings)
        if missing:
            plan.errors.extend(RowError(1, column, "this column is missing.") for column in sorted(missing))
            return plan
        lookups = _Lookups()
        parsed: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=2):
            if number - 1 > limits.max_rows:
                message = f"it has more than {limits.max_rows:,} rows; import at most {limits.max_rows:,} at a time."
                plan.errors.add(RowError(number, "file", message))
                break
            if not any(row.values()):
                continue
            data = _parse_row(number, row, plan.columns, lookups, plan.errors)
            if data is None:
                continue
            if data["email"] in seen:
                plan.errors.add(RowError(number, "email", f"{data['email']} is also on row {seen[data['email']]}."))
                continue
            seen[data["email"]] = number
            parsed.append((number, data))
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as exc:
        reason = (
            "it is not UTF-8 text: save it as “CSV UTF-8” and try again"
            if isinstance(exc, UnicodeDecodeError)
            else f"it could not be read as {kind.upper()} ({without_paths(str(exc))[:200]})"
        )
        plan.errors.add(RowError(1, "file", f"{reason}."))
        return plan
    if not parsed and not plan.errors:
        plan.errors.add(RowError(1, "file", "it has no rows under the headings."))
    existing = {
        contact.email.lower(): contact
        for contact in Contact.objects.alias(email_lower=Lower("email"))
        .filter(email_lower__in=list(seen))
        .prefetch_related("interests")
    }
    for number, data in parsed:
        row_plan, contact = _plan_row(
            number, data, existing.get(data["email"]), blanks_clear=blanks_clear, lookups=lookups
        )
        if row_plan.contact_id is None and not contact.name:
            plan.errors.add(RowError(number, "name", "the name is missing."))
            continue
        try:
            contact.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                plan.errors.extend(RowError(number, _column_of(column), message) for message in messages)
            continue
        if row_plan.contact_id is None:
            plan.new.append(row_plan)
        elif row_plan.values:
            plan.changed.append(row_plan)
        else:
            plan.unchanged.append(row_plan)
    return plan


# --- The two background jobs ------------------------------------------------------------------------------

PREVIEW_JOB_NAME = "contact_import_preview"
CONFIRM_JOB_NAME = "contact_import_confirm"
JOB_NAMES = (PREVIEW_JOB_NAME, CONFIRM_JOB_NAME)
UPLOAD_FOLDER = "imports/contacts"
LISTED_ROWS = 1_000  # of each kind (new, changed, unchanged) shown in the preview


def _row_dict(row: RowPlan) -> dict[str, Any]:
    return {"row": row.row, "name": row.name, "email": row.email, "changes": row.changes}


def _plan_stored(path: str, kind: str, blanks_clear: bool) -> ImportPlan:
    with default_storage.open(path, "rb") as upload:
        return plan_import(upload=upload, kind=kind, blanks_clear=blanks_clear)


def start_preview(*, actor: Any, upload: Any, kind: str, network: Network | None, blanks_clear: bool) -> Job:
    """Keep the upload and queue the job that previews it; nothing is written to contacts."""
    path = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{kind}", upload)
    return start_job(
        preview_import,
        name=PREVIEW_JOB_NAME,
        label=f"Preview contact import: {Path(upload.name).name}",
        actor=actor,
        path=path,
        kind=kind,
        network_id=network.pk if network else None,
        blanks_clear=blanks_clear,
    )


@job_task
def preview_import(
    *, job: Job, progress: Progress, path: str, kind: str, network_id: int | None, blanks_clear: bool
) -> dict[str, Any]:
    """Background job: the preview a person confirms, with what is needed to apply exactly it."""
    progress(0, 1, "Checking every row")
    plan = _plan_stored(path, kind, blanks_clear)
    if plan.errors:
        default_storage.delete(path)  # nothing can be confirmed: the file is not kept
    return {
        "path": "" if plan.errors else path,
        "kind": kind,
        "network_id": network_id,
        "blanks_clear": blanks_clear,
        "digest": plan.digest(),
        "columns": plan.columns,
        "counts": {"new": len(plan.new), "changed": len(plan.changed), "unchanged": len(plan.unchanged)},
        "new": [_row_dict(row) for row in plan.new[:LISTED_ROWS]],
        "changed": [_row_dict(row) for row in plan.changed[:LISTED_ROWS]],
        "unchanged": [_row_dict(row) for row in plan.unchanged[:LISTED_ROWS]],
        "errors": [str(error) for error in plan.errors.listed],
        "error_total": plan.errors.total,
        "confirmed_by": "",
    }


class PreviewOutdated(Exception):
    """The contacts or the file changed after the preview, so it is not applied."""


def start_confirm(*, actor: Any, preview: Job) -> Job:
    """Queue the job that applies a preview; a preview is confirmed once only."""
    with transaction.atomic():
        preview = Job.objects.select_for_update().get(pk=preview.pk)
        result = preview.result
        if preview.name != PREVIEW_JOB_NAME or not result.get("path") or result.get("confirmed_by"):
            raise ValidationError("This preview cannot be confirmed: it has problems or was confirmed already.")
        job = start_job(
            confirm_import,
            name=CONFIRM_JOB_NAME,
            label=preview.label.replace("Preview", "Confirm", 1),
            actor=actor,
            preview_uuid=str(preview.uuid),
        )
        preview.result = {**result, "confirmed_by": str(job.uuid)}
        preview.save(update_fields=["result"])
    return job


@job_task
def confirm_import(*, job: Job, progress: Progress, preview_uuid: str) -> dict[str, Any]:
    """Background job: read the kept file again and apply it, only if it gives the plan the preview showed."""
    from waymark.network.services.contact_import import apply_plan  # the service applies this module's plans

    preview = Job.objects.get(uuid=preview_uuid, name=PREVIEW_JOB_NAME)
    shown = preview.result
    try:
        progress(0, 2, "Checking the rows again")
        plan = _plan_stored(shown["path"], shown["kind"], shown["blanks_clear"])
        if plan.errors or plan.digest() != shown["digest"]:
            raise PreviewOutdated(
                "Nothing was imported: the contacts changed after the preview was made. "
                "Upload the file again to see what it would change now."
            )
        network = Network.objects.filter(pk=shown["network_id"]).first() if shown["network_id"] else None
        progress(1, 2, "Saving the contacts")
        result = apply_plan(plan=plan, actor=job.created_by, network=network)
    finally:
        default_storage.delete(shown["path"])
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "preview": preview_uuid,
    }


UNCONFIRMED_KEPT = datetime.timedelta(days=1)


@task
def delete_unconfirmed_uploads() -> dict[str, int]:
    """Delete the kept upload (personal data) of every preview nobody confirmed within a day (scheduled daily)."""
    cutoff = timezone.now() - UNCONFIRMED_KEPT
    deleted = 0
    for preview in Job.objects.filter(name=PREVIEW_JOB_NAME, finished_at__lt=cutoff).exclude(result__path=""):
        if not isinstance(preview.result, dict) or preview.result.get("confirmed_by") or not preview.result.get("path"):
            continue
        default_storage.delete(preview.result["path"])
        preview.result = {**preview.result, "path": ""}
        preview.save(update_fields=["result"])
        deleted += 1
    return {"deleted": deleted}


def register_periodic_jobs() -> None:
    register_periodic(
        "network_delete_unconfirmed_contact_uploads",
        "waymark.network.contact_import.delete_unconfirmed_uploads",
        datetime.timedelta(days=1),
    )
