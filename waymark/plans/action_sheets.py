"""A plan's actions as a spreadsheet: the columns, the rows an export writes, and reading a file back.

One set of columns serves both ways, so a file downloaded, edited and uploaded again changes exactly the
cells that were edited. Reading turns each cell into the value the services take (an organisation by its
ODS code or name, a lead by username or e-mail, a date, a status or RAG by its name) and lists every cell it
cannot read by row and column; it writes nothing (``services.spreadsheets`` does, through the action services).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.models import Organisation
from waymark.core.problems import ProblemList
from waymark.core.spreadsheets import spreadsheet_unescaped, write_csv, write_xlsx
from waymark.core.uploads import upload_limits, without_paths
from waymark.plans.choices import ActionStatus, Rag
from waymark.plans.models import Action, Plan

UPLOAD_LIMITS = "plan_actions"
KINDS = ("csv", "xlsx")

# (key, heading): the key is the action's field (or the objective's number); the heading is what the file shows.
COLUMNS: list[tuple[str, str]] = [
    ("objective", "Objective number"),
    ("code", "Action number"),
    ("title", "Title"),
    ("description", "Description"),
    ("lead_organisation", "Lead organisation"),
    ("lead", "Lead"),
    ("due_date", "Due date"),
    ("status", "Status"),
    ("progress", "Progress"),
    ("rag", "RAG"),
    ("rag_reason", "RAG reason"),
    ("evidence", "Evidence"),
]
HEADINGS = [heading for _key, heading in COLUMNS]
HEADING_OF = dict(COLUMNS)
REQUIRED = ("objective", "code")
# What the action services call each field, when a refusal names it: errors name the column instead.
FIELD_COLUMNS = {key: key for key, _heading in COLUMNS} | {"objective": "objective", "__all__": "row"}
ALIASES = {
    "objective": "objective",
    "objective_number": "objective",
    "objective_no": "objective",
    "action_number": "code",
    "action_no": "code",
    "number": "code",
    "action": "title",
    "lead_organisation": "lead_organisation",
    "lead_organization": "lead_organisation",
    "lead_org": "lead_organisation",
    "organisation": "lead_organisation",
    "named_lead": "lead",
    "lead_email": "lead",
    "due_by": "due_date",
    "due": "due_date",
    "progress_(%)": "progress",
    "progress_%": "progress",
    "rag_rating": "rag",
    "reason": "rag_reason",
    "reason_for_the_rating": "rag_reason",
}
TEXT_FIELDS = ("title", "description", "rag_reason", "evidence")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def column_name(key: str) -> str:
    """How an error names a column: "due date", "RAG reason"."""
    heading = HEADING_OF.get(key, key)
    return heading if heading.isupper() or heading.startswith("RAG") else heading.lower()


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, the heading being row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


# --- Writing --------------------------------------------------------------------------------------------


def lead_text(user: Any) -> str:
    """A lead as the file names them: their e-mail address, or their username when they have none."""
    if user is None:
        return ""
    return str(user.email or user.get_username())


def plan_actions(plan: Plan) -> Iterable[Action]:
    return (
        Action.objects.filter(objective__plan=plan)
        .select_related("objective", "lead_organisation", "lead")
        .order_by("objective__order", "objective__code", "code", "pk")
    )


def action_row(action: Action) -> list[Any]:
    """One action's cells in the order of ``COLUMNS``; the caller's writer escapes the text."""
    return [
        action.objective.code,
        action.code,
        action.title,
        action.description,
        action.lead_organisation.name,
        lead_text(action.lead),
        action.due_date,
        str(ActionStatus(action.status).label),
        action.progress,
        str(Rag(action.rag).label) if action.rag else "",
        action.rag_reason,
        action.evidence,
    ]


def export_rows(plan: Plan) -> list[list[Any]]:
    return [action_row(action) for action in plan_actions(plan)]


def about_lines(plan: Plan) -> list[str]:
    """The notes sheet of an XLSX export, so a file passed on still says what it is and how to import it."""
    return [
        _("Actions of %(plan)s") % {"plan": plan.title},
        _("Edit the cells and upload the file on the plan's import page: rows are matched by action number."),
        _("A new action number adds an action under the objective named in its row."),
        _("Lead organisation: its name or ODS code. Lead: an e-mail address or username."),
        _("Due date: a date within the plan's period, %(start)s to %(end)s.")
        % {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()},
        _("Status: %(statuses)s.") % {"statuses": ", ".join(str(label) for label in ActionStatus.labels)},
        _("RAG: red, amber, green or blank; red and amber, and every change of rating, need a reason."),
    ]


def write_file(plan: Plan, kind: str) -> bytes:
    """The plan's actions as a CSV (UTF-8 with a byte-order mark, so Excel reads accents) or an XLSX."""
    rows = export_rows(plan)
    if kind == "xlsx":
        return write_xlsx(_("Actions"), HEADINGS, rows, about=about_lines(plan))
    return ("\ufeff" + write_csv(HEADINGS, rows)).encode()


def file_name(plan: Plan, kind: str) -> str:
    return f"plan-actions-{plan.uuid.hex[:8]}-{timezone.localdate().isoformat()}.{kind}"


# --- Reading --------------------------------------------------------------------------------------------


def _heading(value: Any) -> str:
    text = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(text, text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return spreadsheet_unescaped(str(value).strip())


def read_cells(upload: IO[bytes], kind: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    """The column keys and the rows as {key: text}, from a CSV in UTF-8 or the first sheet of an XLSX."""
    if kind == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet_rows = workbook.worksheets[0].iter_rows(values_only=True)
        keys = [_heading(value) for value in next(sheet_rows, ())]

        def xlsx_rows() -> Iterator[dict[str, str]]:
            try:
                for values in sheet_rows:
                    yield {key: _cell_text(value) for key, value in zip(keys, values, strict=False) if key}
            finally:
                workbook.close()

        return keys, xlsx_rows()
    reader = csv.reader(io.TextIOWrapper(upload, encoding="utf-8-sig", newline=""))
    keys = [_heading(value) for value in next(reader, [])]
    rows = ({key: _cell_text(value) for key, value in zip(keys, values, strict=False) if key} for values in reader)
    return keys, rows


@dataclass
class SheetRow:
    """One row read: the objective number and the action's values for the columns the file has."""

    row: int
    objective: str
    values: dict[str, Any]


@dataclass
class Sheet:
    columns: list[str] = field(default_factory=list)
    rows: list[SheetRow] = field(default_factory=list)
    errors: ProblemList[RowError] = field(default_factory=ProblemList)


class _Lookups:
    """Organisations and people named in the file, found with one query each, without regard to case."""

    def __init__(self, organisations: set[str], leads: set[str]) -> None:
        self.organisations: dict[str, list[Organisation]] = {}
        found = Organisation.objects.annotate(lower_name=Lower("name"), lower_ods=Lower("ods_code")).filter(
            Q(lower_name__in=organisations) | Q(lower_ods__in=organisations)
        )
        by_ods: dict[str, list[Organisation]] = {}
        for organisation in found:
            self.organisations.setdefault(organisation.lower_name, []).append(organisation)  # type: ignore[attr-defined]
            if organisation.ods_code:
                by_ods.setdefault(organisation.lower_ods, []).append(organisation)  # type: ignore[attr-defined]
        self.organisations.update(by_ods)  # an ODS code wins over a name that happens to spell it
        user_model = get_user_model()
        people = user_model._default_manager.annotate(
            lower_username=Lower(user_model.USERNAME_FIELD), lower_email=Lower("email")
        ).filter(Q(lower_username__in=leads) | Q(lower_email__in=leads), is_active=True)
        by_username: dict[str, list[Any]] = {}
        self.leads: dict[str, list[Any]] = {}
        for person in people:
            if person.email:
                self.leads.setdefault(person.lower_email, []).append(person)
            by_username.setdefault(person.lower_username, []).append(person)
        self.leads.update(by_username)  # a username names one account; an e-mail address may name several


def _choice(text: str, choices: Any) -> str | None:
    wanted = text.strip().lower()
    for value, label in choices:
        if wanted in (str(value).lower(), str(label).lower()):
            return str(value)
    return None


def _date(text: str) -> datetime.date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text[:10], date_format).date()
        except ValueError:
            continue
    return None


def _progress(text: str) -> int | None:
    try:
        number = float(text.rstrip("%").strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and 0 <= number <= 100 else None


def _parse(
    number: int, cells: dict[str, str], columns: list[str], lookups: _Lookups
) -> tuple[SheetRow, list[RowError]]:
    errors: list[RowError] = []

    def problem(key: str, message: str) -> None:
        errors.append(RowError(number, column_name(key), message))

    values: dict[str, Any] = {}
    for key in columns:
        text = cells.get(key, "")
        if "\x00" in text:
            problem(key, _("remove the invisible NUL character from this cell."))
        elif key in ("objective", "code"):
            if not text:
                problem(key, _("this cell is empty; every row needs one."))
            values[key] = text
        elif key in TEXT_FIELDS:
            values[key] = text
        elif key == "lead_organisation":
            found = lookups.organisations.get(text.lower(), [])
            if not text:
                problem(key, _("this cell is empty; name the organisation that leads the action."))
            elif not found:
                problem(key, _("there is no organisation called or coded “%(text)s”.") % {"text": text})
            values[key] = found
        elif key == "lead":
            found = lookups.leads.get(text.lower(), [])
            if text and not found:
                problem(key, _("there is no active account with the username or e-mail “%(text)s”.") % {"text": text})
            values[key] = found
        elif key in ("status", "progress") and not text:
            continue  # left as it is (a new action starts not started, at 0 %)
        elif key == "due_date":
            values[key] = _date(text)
            if not text:
                problem(key, _("this cell is empty; give the date the action is due by."))
            elif values[key] is None:
                problem(key, _("“%(text)s” is not a date like 2026-03-31 or 31/03/2026.") % {"text": text})
        elif key == "status":
            values[key] = _choice(text, ActionStatus.choices)
            if values[key] is None:
                problem(key, _("“%(text)s” is not one of: %(choices)s.") % {"text": text, "choices": _statuses()})
        elif key == "progress":
            values[key] = _progress(text)
            if values[key] is None:
                problem(key, _("“%(text)s” is not a whole number from 0 to 100.") % {"text": text})
        elif key == "rag":
            values[key] = _choice(text, Rag.choices) if text else Rag.NOT_RATED
            if values[key] is None:
                problem(key, _("“%(text)s” is not red, amber, green or blank.") % {"text": text})
    objective = values.pop("objective", "")
    return SheetRow(row=number, objective=objective, values=values), errors


def _statuses() -> str:
    return ", ".join(str(label) for label in ActionStatus.labels)


def read_sheet(upload: IO[bytes], kind: str) -> Sheet:
    """Every row of the file read into values, and every cell that could not be read. Writes nothing.

    An organisation or a lead is read as the list of records its text could name (one, or several when a
    name or e-mail address is shared); the import chooses among them, keeping the current one if it is there.
    """
    sheet = Sheet()
    limits = upload_limits(UPLOAD_LIMITS)
    try:
        keys, cells = read_cells(upload, kind)
        sheet.columns = [key for key, _heading in COLUMNS if key in keys]
        missing = [key for key in REQUIRED if key not in keys]
        if missing:
            sheet.errors.extend(RowError(1, column_name(key), _("this column is missing.")) for key in missing)
            return sheet
        rows: list[tuple[int, dict[str, str]]] = []
        for number, row in enumerate(cells, start=2):
            if number - 1 > limits.max_rows:
                message = _("the file has more than %(limit)s rows; import at most %(limit)s at a time.") % {
                    "limit": f"{limits.max_rows:,}"
                }
                sheet.errors.add(RowError(number, _("file"), message))
                return sheet
            if any(row.values()):
                rows.append((number, row))
    except (UnicodeDecodeError, csv.Error, ValueError, KeyError, OSError, EOFError, zipfile.BadZipFile) as exc:
        reason = (
            _("it is not UTF-8 text: save it as “CSV UTF-8” and try again")
            if isinstance(exc, UnicodeDecodeError)
            else _("it could not be read as %(kind)s (%(error)s)")
            % {"kind": kind.upper(), "error": without_paths(str(exc))[:200]}
        )
        sheet.errors.add(RowError(1, _("file"), f"{reason}."))
        return sheet
    if not rows:
        sheet.errors.add(RowError(1, _("file"), _("it has no rows under the headings.")))
        return sheet
    lookups = _Lookups(
        {row.get("lead_organisation", "").lower() for _number, row in rows} - {""},
        {row.get("lead", "").lower() for _number, row in rows} - {""},
    )
    seen: dict[str, int] = {}
    for number, cells_of_row in rows:
        parsed, errors = _parse(number, cells_of_row, sheet.columns, lookups)
        code = parsed.values.get("code", "")
        if code and code in seen:
            errors.append(
                RowError(
                    number,
                    column_name("code"),
                    _("%(code)s is also on row %(row)s.") % {"code": code, "row": seen[code]},
                )
            )
        seen.setdefault(code, number)
        sheet.errors.extend(errors)
        if not errors:
            sheet.rows.append(parsed)
    return sheet
