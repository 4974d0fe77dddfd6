"""Template helpers for the NHS.UK component partials in templates/components/."""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def error_target_id(bound_field: BoundField) -> str:
    """The id of the element an error summary link should jump to: the field's first input."""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    if not bound_field.auto_id:
        return ""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    if isinstance(widget, forms.RadioSelect):  # also CheckboxSelectMultiple
        first = next(iter(bound_field.subwidgets), None)
        if first is not None:
            return first.id_for_label
    return bound_field.auto_id


@register.simple_tag
def error_summary_items(form: forms.BaseForm) -> list[dict[str, str]]:
    """Every error on a form, in page order: errors for the whole form first, without links."""
    items = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            if bound_field.is_hidden:
                items.append({"text": str(error), "href": ""})
            else:
                target = error_target_id(bound_field)
                items.append({"text": str(error), "href": f"#{target}" if target else ""})
    return items


# NHS.UK tag colours for the statuses used across Waymark's apps.
STATUS_COLOURS = {
    "queued": "grey",
    "draft": "grey",
    "pending": "grey",
    "not_started": "grey",
    "skipped": "grey",
    "closed": "grey",
    "cancelled": "grey",
    "withdrawn": "grey",
    "running": "blue",
    "open": "blue",
    "submitted": "blue",
    "in_progress": "blue",
    "under_review": "purple",
    "succeeded": "green",
    "sent": "green",
    "completed": "green",
    "published": "green",
    "approved": "green",
    "awarded": "green",
    "green": "green",
    "amber": "orange",
    "at_risk": "orange",
    "escalated": "orange",
    "overdue": "red",
    "failed": "red",
    "rejected": "red",
    "red": "red",
}


@register.filter
def status_colour(status: Any) -> str:
    """The NHS.UK tag colour for a status value ("" for the default blue)."""
    return STATUS_COLOURS.get(str(status).lower(), "")


@register.filter
def table_cell(value: Any) -> dict[str, Any]:
    """A table cell as a dict with at least "text"; plain values become {"text": value}."""
    if isinstance(value, dict):
        return value
    return {"text": value}


@register.filter
def table_rows(rows: Any, head: Any) -> list[list[dict[str, Any]]]:
    """Table rows as lists of cell dicts, each also carrying its column's heading text."""
    headings = [table_cell(heading)["text"] for heading in head or []]
    return [
        [
            {**table_cell(value), "heading": headings[index] if index < len(headings) else ""}
            for index, value in enumerate(row)
        ]
        for row in rows or []
    ]


@register.filter
def select_options(optgroups: Any) -> SafeString:
    """A select's options and option groups, the markup of Django's own widget templates, drawn in Python:
    those templates cost about 40 µs an option, which tells on the search filters' long lists."""
    parts: list[str] = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            value, label = conditional_escape(option["value"]), conditional_escape(option["label"])
            parts.append(f'\n  <option value="{value}"{flatatt(option["attrs"])}>{label}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above, every attribute by flatatt
