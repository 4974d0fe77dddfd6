"""Reading the audit trail: who changed what and when, field by field, for any audited record.

Every app's history page calls ``render_history`` after its own permission check;
the template is ``core/history.html``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.core.lists import page_of

HISTORY_PAGE_SIZE = 20
ACTIONS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    history_type: str  # simple-history's "+" created, "~" changed, "-" deleted
    changes: list[FieldChange]
    reason: str = ""  # the note the person gave with the change (simple-history's change reason), if any


def render_history(
    request: HttpRequest, obj: Model, *, breadcrumbs: Sequence[tuple[str, str]], per_page: int = HISTORY_PAGE_SIZE
) -> HttpResponse:
    """The history page of ``obj``, newest change first. ``breadcrumbs`` are (label, URL) pairs above the record."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")  # type: ignore[attr-defined]
    page = page_of(request, records, per_page)
    entries = []
    if page.paginator.count:
        # Each change is read against the entry before it, so fetch one record past the end of the page.
        window = list(records[page.start_index() - 1 : page.end_index() + 1])
        on_page = window[: page.end_index() - page.start_index() + 1]
        entries = [
            describe_change(record, previous) for record, previous in zip(on_page, [*window[1:], None], strict=False)
        ]
    context = {"object": obj, "entries": entries, "page_obj": page, "breadcrumbs": breadcrumbs}
    return render(request, "core/history.html", context)


def describe_change(record: Any, previous: Any | None) -> HistoryEntry:
    """One history row as a person reads it: the action, who did it, and each field's old and new value."""
    user = record.history_user
    who = str(user) if user is not None else _("System")
    action = str(ACTIONS.get(record.history_type, record.history_type))
    if record.history_type == "+":
        changes = _initial_values(record)
    elif record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, foreign_keys_are_objs=True)
        model = record.instance_type
        order = _field_order(model)
        changes = [
            FieldChange(
                label=_label(model, change.field),
                old=_display(model, change.field, change.old),
                new=_display(model, change.field, change.new),
            )
            for change in sorted(delta.changes, key=lambda change: order.get(change.field, 0))
        ]
    else:
        changes = []
    return HistoryEntry(
        when=record.history_date,
        who=who,
        action=action,
        history_type=record.history_type,
        changes=changes,
        reason=record.history_change_reason or "",
    )


def _initial_values(record: Any) -> list[FieldChange]:
    """What a new record was created with: every field that was filled in."""
    model = record.instance_type
    not_recorded = _("Not recorded")
    m2m_names = [field.name for field in record._history_m2m_fields]
    names = [field.name for field in record.tracked_fields if field.editable and not field.primary_key] + m2m_names
    changes = []
    for name in names:
        if name in m2m_names:
            target = _m2m_target(model, name)
            value = [{target: getattr(row, target)} for row in getattr(record, name).select_related(target)]
        else:
            value = getattr(record, name)
        shown = _display(model, name, value)
        if shown != not_recorded:
            changes.append(FieldChange(label=_label(model, name), old=not_recorded, new=shown))
    return changes


def _field_order(model: type[Model]) -> dict[str, int]:
    """Fields in the order the model declares them, so changes read like the record's own page."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return {field.name: position for position, field in enumerate(fields)}


def _label(model: type[Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return capfirst(str(field.verbose_name))


def _display(model: type[Model], name: str, value: Any) -> str:
    """A value as a person reads it: choice labels, Yes/No, dates in words, related records by name."""
    field: Any = model._meta.get_field(name)
    if value is None or value == "" or value == []:
        return _("Not recorded")
    if field.many_to_many:
        target = _m2m_target(model, name)
        return ", ".join(str(row[target]) if row[target] is not None else _("(since deleted)") for row in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime | date):
        return formats.date_format(value, "j F Y, H:i" if isinstance(value, datetime) else "j F Y")
    return str(value)


def _m2m_target(model: type[Model], name: str) -> str:
    """The name of the through-table column that points at the related records (``sector`` for ``sectors``)."""
    field: Any = model._meta.get_field(name)
    return field.m2m_reverse_field_name()
