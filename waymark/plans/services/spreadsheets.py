"""Importing a plan's actions from the spreadsheet its export wrote: all or nothing, every problem by row.

Rows are matched to the plan's actions by action number; a new number adds an action under the objective
its row names. Each changed action goes through ``add_action``, ``change_action`` and ``update_action``, so an
import obeys the same rules as the pages (a RAG needs its reason, a due date lies in the plan's period), and
an action whose status, progress, RAG or evidence did not change keeps its late-and-stale clock. One bad row
refuses the whole file: everything runs in one transaction, rolled back when any row was refused. A preview
(``dry_run``) runs the very same writes and rolls them back, so it shows exactly what confirming would do.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.core.problems import ProblemList
from waymark.plans.action_sheets import RowError, SheetRow, column_name, lead_text, read_sheet
from waymark.plans.choices import ActionStatus, Rag
from waymark.plans.models import Action, Objective, Plan
from waymark.plans.services.actions import ACTION_FIELDS, UPDATE_FIELDS, add_action, change_action, update_action

NEW_ACTION_DEFAULTS = {
    "status": ActionStatus.NOT_STARTED,
    "progress": 0,
    "rag": Rag.NOT_RATED,
    "rag_reason": "",
    "evidence": "",
}


@dataclass
class RowChange:
    """What one row does: add an action, or change some of its cells (column, before, after)."""

    row: int
    code: str
    title: str
    new: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ImportOutcome:
    new: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    def digest(self) -> str:
        """A fingerprint of every change, so a confirmation applies what the preview showed and nothing else."""
        rows = [(row.row, row.code, row.new, row.changes) for row in [*self.new, *self.changed]]
        return hashlib.sha256(json.dumps([rows, self.unchanged], default=str).encode()).hexdigest()


class ImportRefused(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, errors: ProblemList[RowError]) -> None:
        super().__init__(_("%(count)s problem(s) in the file; nothing was imported.") % {"count": errors.total})
        self.errors = errors


class ImportOutdated(Exception):
    """The plan's actions changed after the preview, so confirming would not do what was shown."""


class _DryRun(Exception):
    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__("preview only")
        self.outcome = outcome


def _shown(key: str, value: Any) -> str:
    """A value as the file and the preview show it."""
    if value is None:
        return ""
    if isinstance(value, Organisation):
        return value.name
    if key == "lead":
        return lead_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if key == "status":
        return str(ActionStatus(value).label)
    if key == "rag":
        return str(Rag(value).label) if value else ""
    return str(value)


def _same(key: str, old: Any, new: Any) -> bool:
    if key in ("lead_organisation", "lead"):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    if isinstance(old, str) or isinstance(new, str):
        return (old or "").strip() == (new or "").strip()
    return bool(old == new)


def _choose(row: SheetRow, key: str, current: Any, errors: list[RowError]) -> Any:
    """One record from those a cell could name: the only one, else the action's current one if named."""
    candidates = row.values[key]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    if current is not None and any(candidate.pk == current.pk for candidate in candidates):
        return current
    message = (
        _("more than one organisation has this name: write its ODS code instead.")
        if key == "lead_organisation"
        else _("more than one account has this e-mail address: write the lead's username instead.")
    )
    errors.append(RowError(row.row, column_name(key), message))
    return None


def _refusal_errors(row: int, error: ValidationError) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row, column_name("__all__"), message) for message in error.messages]
    found: list[RowError] = []
    for name, messages in error.message_dict.items():
        column = column_name("row" if name == NON_FIELD_ERRORS else name)
        found.extend(RowError(row, column, message) for message in messages)
    return found


def _import_row(
    actor: Any, row: SheetRow, objectives: dict[str, Objective], actions: dict[str, Action]
) -> tuple[RowChange | None, list[RowError]]:
    """Write one row through the action services; its change, or the problems that refuse it."""
    errors: list[RowError] = []
    code = row.values["code"]
    action = actions.get(code)
    objective = objectives.get(row.objective) or objectives.get(row.objective.lower())
    if objective is None:
        message = _("there is no objective “%(code)s” in this plan.") % {"code": row.objective}
        return None, [RowError(row.row, column_name("objective"), message)]
    if action is not None and action.objective_id != objective.pk:
        message = _("action %(code)s is under objective %(objective)s; an import does not move actions.") % {
            "code": code,
            "objective": action.objective.code,
        }
        return None, [RowError(row.row, column_name("objective"), message)]
    wanted = dict(row.values)
    for key in ("lead_organisation", "lead"):
        if key in wanted:
            wanted[key] = _choose(row, key, getattr(action, key) if action else None, errors)
    if errors:
        return None, errors
    before: dict[str, Any] = (
        {key: getattr(action, key) for key in (*ACTION_FIELDS, *UPDATE_FIELDS)} if action else NEW_ACTION_DEFAULTS
    )
    details = {
        key: value
        for key, value in wanted.items()
        if key in ACTION_FIELDS and (action is None or not _same(key, before[key], value))
    }
    update = {
        key: value for key, value in wanted.items() if key in UPDATE_FIELDS and not _same(key, before.get(key), value)
    }
    change = RowChange(
        row=row.row, code=code, title=str(wanted.get("title") or getattr(action, "title", "")), new=action is None
    )
    for key, value in [*details.items(), *update.items()]:
        if key == "code" and action is None:
            continue
        old = "" if action is None else _shown(key, before.get(key))
        change.changes.append((column_name(key), old, _shown(key, value)))
    if not details and not update:
        return None, []
    try:
        with transaction.atomic():
            if action is None:
                action = add_action(actor=actor, objective=objective, data=details)
            elif details:
                change_action(actor=actor, action=action, data=details)
            if update:
                update_action(actor=actor, action=action, data=update)
    except ValidationError as refusal:
        return None, _refusal_errors(row.row, refusal)
    return change, []


def import_actions(
    *,
    actor: Any,
    plan: Plan,
    upload: IO[bytes],
    kind: str,
    dry_run: bool = False,
    expect_digest: str | None = None,
) -> ImportOutcome:
    """Apply the file to the plan's actions, all or nothing; ``ImportRefused`` lists every problem by row.

    With ``dry_run`` the writes are made and rolled back, and the outcome says what confirming would do.
    With ``expect_digest`` (a preview's), anything other than the very changes the preview showed is rolled
    back with ``ImportOutdated``.
    """
    sheet = read_sheet(upload, kind)
    errors: ProblemList[RowError] = ProblemList(sheet.errors)
    if sheet.errors and not sheet.rows:
        raise ImportRefused(errors)
    outcome = ImportOutcome()
    try:
        with transaction.atomic(), acting_as(actor):
            Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one import of a plan at a time
            objectives: dict[str, Objective] = {}
            for objective in Objective.objects.filter(plan=plan):
                objectives.setdefault(objective.code.lower(), objective)
                objectives[objective.code] = objective
            actions = {
                action.code: action
                for action in Action.objects.filter(objective__plan=plan).select_related(
                    "objective__plan", "lead", "lead_organisation"
                )
            }
            found: list[RowError] = list(sheet.errors)
            for row in sheet.rows:
                change, row_errors = _import_row(actor, row, objectives, actions)
                found.extend(row_errors)
                if change is None:
                    outcome.unchanged += not row_errors
                elif change.new:
                    outcome.new.append(change)
                else:
                    outcome.changed.append(change)
            if found:
                raise ImportRefused(ProblemList(sorted(found, key=lambda error: error.row)))
            if expect_digest is not None and outcome.digest() != expect_digest:
                raise ImportOutdated(_("The plan's actions changed after the file was checked: check it again."))
            if dry_run:
                raise _DryRun(outcome)
    except _DryRun as preview:
        return preview.outcome
    return outcome
