"""The form for naming a new API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waymark.accounts.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("A name to recognise it by later, for example 'Power BI dashboard'."),
        error_messages={"required": _("Enter a name for the token.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the token."))
        return name
