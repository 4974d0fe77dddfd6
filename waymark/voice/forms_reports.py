"""The intelligence report's choices: a period, and optionally a theme and a community."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField
from waymark.core.models import Community, Theme
from waymark.voice.reports import ReportScope, default_scope

LONGEST_PERIOD_DAYS = 5 * 366


class ReportForm(forms.Form):
    date_from = DateField(label=_("From"), subject=_("the start of the period"), help_text=_("For example, 1 4 2026"))
    date_to = DateField(label=_("To"), subject=_("the end of the period"), help_text=_("For example, 31 3 2027"))
    theme = forms.ModelChoiceField(
        label=_("Theme (optional)"),
        queryset=Theme.objects.select_related("parent").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    community = forms.ModelChoiceField(
        label=_("Community (optional)"),
        queryset=Community.objects.order_by("name"),
        required=False,
        empty_label=_("All communities"),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None and not any(
            self.base_fields[name].widget.value_from_datadict(data, {}, name) for name in ("date_from", "date_to")
        ):
            # No period chosen (the first visit, or a bare export link): the last twelve months.
            default = default_scope()
            data = {
                **dict(data.items()),
                "date_from": default.date_from.isoformat(),
                "date_to": default.date_to.isoformat(),
            }
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: datetime.date | None = cleaned.get("date_from")
        end: datetime.date | None = cleaned.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The end date must be on or after the start date."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("date_to", _("A report can cover at most 5 years."))
        return cleaned

    def scope(self) -> ReportScope:
        data = self.cleaned_data
        return ReportScope(
            date_from=data["date_from"],
            date_to=data["date_to"],
            theme=data.get("theme"),
            community=data.get("community"),
        )
