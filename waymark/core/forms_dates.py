"""One way to enter a date across Waymark: the NHS.UK date input, with day, month and year boxes.

``DateField`` is a ``forms.DateField`` whose widget is ``DateInput``. The widget hands the field one string,
"year-month-day" as typed, so anything that reads a date field's data as one string still works; a plain
``name=2026-03-27`` (a link to a filtered list, the API's query parameters) is read as well. Whatever the
server fills in (a date, a datetime, an ISO string, a value typed and sent back) is shown in the three boxes.
Error messages name the field, as the NHS.UK pattern asks: "Enter the date the feedback was given",
"Date must include a month", "Date must be a real date".
"""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

DIGITS = re.compile(r"^\d+$")
PART_CLASSES = ("nhsuk-input--width-2", "nhsuk-input--width-2", "nhsuk-input--width-4")
SUFFIXES = ("_day", "_month", "_year")  # the boxes' names after the field's


class EnteredDate(str):
    """The three boxes as sent: reads as "year-month-day" where one string is expected, and keeps each part so
    that a refused date is shown again exactly as it was typed."""

    parts: tuple[str, str, str]  # day, month, year

    def __new__(cls, day: str, month: str, year: str) -> "EnteredDate":
        entered = super().__new__(cls, f"{year}-{month}-{day}")
        entered.parts = (day, month, year)
        return entered


def _parse_one_string(value: str) -> datetime.date | None:
    """A date written as one string, in ISO 8601 (with or without a time) or a form the site accepts."""
    value = value.strip()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for date_format in get_format("DATE_INPUT_FORMATS"):
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None


class DateInput(forms.MultiWidget):
    """Day, month and year boxes (the NHS.UK date input), named ``<name>_day``, ``_month`` and ``_year``."""

    template_name = "django/forms/widgets/nhsuk_date_input.html"
    part_labels = (_("Day"), _("Month"), _("Year"))
    # Set by DateField when only some boxes are wrong (a missing month): only those are marked in error.
    parts_in_error: frozenset[int] | None = None

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        parts: dict[str, forms.Widget | type[forms.Widget]] = {
            suffix.removeprefix("_"): forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
            for suffix in SUFFIXES
        }
        super().__init__(parts, attrs)

    def use_required_attribute(self, initial: Any) -> bool:
        # The browser's own check would stop the form before the page can say which part is missing.
        return False

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, EnteredDate):
            return list(value.parts)
        if isinstance(value, str):
            value = _parse_one_string(value) if value.strip() else None
        if isinstance(value, datetime.datetime):
            value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str | None:  # type: ignore[override]
        single = data.get(name)
        if single:  # one ISO date, as a link or the API sends it: newer than any boxes left in the query
            return str(single)
        parts = [data.get(name + suffix) for suffix in SUFFIXES]
        if all(part is None for part in parts):
            return single
        day, month, year = ("".join(str(part or "").split()) for part in parts)
        if not (day or month or year):
            return ""
        return EnteredDate(day, month, year)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and all(name + suffix not in data for suffix in SUFFIXES)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        for index, (subwidget, width) in enumerate(zip(subwidgets, PART_CLASSES, strict=True)):
            classes = subwidget["attrs"].get("class", "").split()
            if self.parts_in_error is not None and index not in self.parts_in_error:
                classes = [name for name in classes if name != "nhsuk-input--error"]
                subwidget["attrs"].pop("aria-invalid", None)
            extra = ["nhsuk-input", "nhsuk-date-input__input", width]
            subwidget["attrs"]["class"] = " ".join(dict.fromkeys([*extra, *classes]))
        context["widget"]["parts"] = list(zip(self.part_labels, subwidgets, strict=True))
        return context


class DateField(forms.DateField):
    """A date entered in day, month and year boxes, refused with messages that name the field.

    ``subject`` is how the messages speak of the field ("the date the feedback was given": "Enter the date the
    feedback was given", "The date the feedback was given must be a real date"); without it, by its label. Any
    message may be replaced through ``error_messages``; "%(subject)s" and "%(Subject)s" in it are filled in."""

    widget = DateInput
    default_error_messages = {
        "required": _("Enter %(subject)s"),
        "invalid": _("%(Subject)s must be a real date"),
        "missing_day": _("%(Subject)s must include a day"),
        "missing_month": _("%(Subject)s must include a month"),
        "missing_year": _("%(Subject)s must include a year"),
        "incomplete": _("%(Subject)s must include a day, month and year"),
        "year_digits": _("%(Subject)s must include a year with 4 numbers"),
    }
    default_subject: Any = None  # see date_field()

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self.subject = subject or self.default_subject
        super().__init__(**kwargs)

    def _params(self) -> dict[str, str]:
        if self.subject:
            subject = str(self.subject)
        else:  # a filter, say: its label ("Starts on or after") does not read as a date's name
            subject = str(_("the date in ‘%(label)s’") % {"label": self.label or _("Date")})
        return {"subject": subject, "Subject": subject[:1].upper() + subject[1:]}

    def _refuse(self, code: str, parts: list[int] | None = None) -> ValidationError:
        if isinstance(self.widget, DateInput):  # each form has its own copy of the field and its widget
            self.widget.parts_in_error = None if parts is None else frozenset(parts)
        return ValidationError(self.error_messages[code], code=code, params=self._params())

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(self.widget, DateInput):
            self.widget.parts_in_error = None
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, EnteredDate):
            return self._from_parts(*value.parts)
        parsed = _parse_one_string(str(value))
        if parsed is None:
            raise self._refuse("invalid")
        return parsed

    def _from_parts(self, day: str, month: str, year: str) -> datetime.date:
        parts = (day, month, year)
        missing = [index for index, part in enumerate(parts) if not part]
        if len(missing) > 1:
            raise self._refuse("incomplete", missing)
        if missing:
            raise self._refuse(("missing_day", "missing_month", "missing_year")[missing[0]], missing)
        not_numbers = [index for index, part in enumerate(parts) if not DIGITS.match(part)]
        if not_numbers:
            raise self._refuse("invalid", not_numbers)
        if len(year) != 4:
            raise self._refuse("year_digits", [2])
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._refuse("invalid") from None

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise self._refuse("required")


def date_field(subject: Any) -> type[DateField]:
    """A DateField class for a ModelForm's ``Meta.field_classes``, whose messages speak of ``subject``."""
    return type("DateField", (DateField,), {"default_subject": subject})
