"""Render every Django form with NHS.UK frontend markup.

With ``FORM_RENDERER = "waymark.core.forms_rendering.WaymarkFormRenderer"``,
``{{ form }}`` and ``{{ field.as_field_group }}`` produce NHS.UK form groups:
label, hint, error message and a control carrying the NHS.UK classes, linked
by ``aria-describedby``. Forms need no per-widget styling of their own.
"""

from typing import Any

from django.forms import widgets
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext

from waymark.core.pickers import picker_url

# The kinds of control the field template knows how to lay out.
TEXT = "text"
TEXTAREA = "textarea"
SELECT = "select"
RADIOS = "radios"
CHECKBOXES = "checkboxes"
CHECKBOX = "checkbox"
FILE = "file"
GROUP = "group"  # several inputs in one fieldset, such as a split date and time


def control_kind(widget: widgets.Widget) -> str:
    """Which NHS.UK control a widget is drawn as (the order matters: subclasses first)."""
    if isinstance(widget, widgets.CheckboxSelectMultiple):
        return CHECKBOXES
    if isinstance(widget, widgets.RadioSelect):
        return RADIOS
    if isinstance(widget, widgets.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, widgets.FileInput):
        return FILE
    if isinstance(widget, widgets.Textarea):
        return TEXTAREA
    if isinstance(widget, widgets.Select | widgets.SelectDateWidget):
        return SELECT
    if isinstance(widget, widgets.MultiWidget):
        return GROUP
    return TEXT


# CSS classes put on the control itself, and the extra class it gets when in error.
CONTROL_CLASSES: dict[str, tuple[str, str]] = {
    TEXT: ("nhsuk-input", "nhsuk-input--error"),
    TEXTAREA: ("nhsuk-textarea", "nhsuk-textarea--error"),
    SELECT: ("nhsuk-select", "nhsuk-select--error"),
    RADIOS: ("nhsuk-radios__input", ""),
    CHECKBOXES: ("nhsuk-checkboxes__input", ""),
    CHECKBOX: ("nhsuk-checkboxes__input", ""),
    FILE: ("nhsuk-file-upload__input", ""),
    GROUP: ("nhsuk-input", "nhsuk-input--error"),
}


def merge_classes(*class_strings: str) -> str:
    """Join CSS class strings, dropping repeats and keeping the first order seen."""
    seen: dict[str, None] = {}
    for classes in class_strings:
        for name in (classes or "").split():
            seen.setdefault(name, None)
    return " ".join(seen)


class WaymarkBoundField(BoundField):
    """A BoundField whose widgets carry NHS.UK classes and whose template knows the control kind."""

    @property
    def control(self) -> str:
        return control_kind(self.field.widget)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: widgets.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        base, error = CONTROL_CLASSES[control_kind(widget)]
        # Extra attrs replace the widget's own "class", so carry the form author's classes over.
        attrs["class"] = merge_classes(
            str(widget.attrs.get("class", "")), str(attrs.get("class", "")), base, error if self.errors else ""
        )
        # A select of organisations, services or people becomes a type-ahead in the browser (core.pickers).
        lookup = picker_url(self.field, widget)
        if lookup:
            attrs["data-picker"] = lookup
            if isinstance(widget, widgets.SelectMultiple):
                attrs["data-picker-remove"] = gettext("Remove")  # the button beside each one chosen
        return attrs

    def get_context(self) -> dict[str, Any]:
        return {"field": self, "control": self.control}


class WaymarkFormRenderer(TemplatesSetting):
    """Form renderer for the whole site; templates live in waymark/templates/django/forms/."""

    form_template_name = "django/forms/nhsuk_form.html"
    field_template_name = "django/forms/nhsuk_field.html"
    bound_field_class = WaymarkBoundField
