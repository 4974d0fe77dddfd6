"""The board dashboard's one choice: whose plans to look at."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.core.models import Organisation
from waymark.plans.board import board_organisations


class BoardForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        help_text=_("A trust, integrated care board or partner that owns plans you can see."),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=_("Choose an organisation"),
    )
    show = forms.ChoiceField(
        required=False,
        choices=[("overdue", _("Overdue actions")), ("stale", _("Stale actions"))],
        widget=forms.HiddenInput,
    )

    def __init__(self, data: Any = None, *, user: Any, **kwargs: Any) -> None:
        organisations = board_organisations(user)
        if data is not None and not data.get("organisation"):
            # Nobody to choose between: the one organisation's dashboard straight away.
            only = list(organisations[:2])
            data = {**dict(data.items()), "organisation": str(only[0].uuid)} if len(only) == 1 else None
        super().__init__(data, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
