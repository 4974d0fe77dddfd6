"""Forms for the shared ground. They check and tidy what people type; the services do the writing."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import OrganisationType
from waymark.core.forms_dates import DateField as DateField  # the one date field every form uses
from waymark.core.forms_dates import DateInput
from waymark.core.models import Organisation, SitePage
from waymark.core.postcodes import normalise_postcode
from waymark.core.services import find_similar_organisations

# Every date is a DateField (day, month and year boxes, see forms_dates). The widget alone is kept for a form
# not yet moved over: with a plain forms.DateField it still reads and shows dates, but words errors generically.
DATE_WIDGET = DateInput()

CHARITY_NUMBER = re.compile(r"^\d{6,8}(-\d{1,2})?$")
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
ODS_CODE = re.compile(r"^[A-Z0-9]{3,6}$")
PHONE_NUMBER = re.compile(r"^\+?[\d\s()-]+$")


def attach_errors(form: forms.BaseForm, error: Exception) -> None:
    """Show a service's refusal on the form, so nothing typed is lost: on each field it names, else above
    the fields. A refusal that is not a ``ValidationError`` is shown by its message."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, str(error))


class PlainErrorsMixin:
    """Error messages that name the field, for the messages Django would otherwise word generically."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            label = str(field.label)
            messages = {
                "max_length": _("%(label)s must be %%(limit_value)d characters or fewer") % {"label": label},
                "null_characters_not_allowed": _(
                    "%(label)s contains a hidden character that cannot be saved. Type it again rather than pasting it"
                )
                % {"label": label},
            }
            field.error_messages = {**messages, **field.error_messages}


class OrganisationForm(PlainErrorsMixin, forms.ModelForm):
    """Add or change an organisation: the shared record every app points to."""

    # (legend, field names): the template shows the form in these groups.
    FIELDSETS: list[tuple[Promise, list[str]]] = [
        (_("About the organisation"), ["name", "alternate_name", "org_type", "description", "sectors", "active"]),
        (_("Registration numbers"), ["charity_number", "company_number", "ods_code"]),
        (_("Address"), ["address_line_1", "address_line_2", "town", "postcode"]),
        (_("Contact details"), ["website", "phone", "email"]),
    ]

    class Meta:
        model = Organisation
        fields = [
            "name",
            "alternate_name",
            "org_type",
            "description",
            "sectors",
            "active",
            "charity_number",
            "company_number",
            "ods_code",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "website",
            "phone",
            "email",
        ]
        labels = {
            "name": _("Name"),
            "alternate_name": _("Other name"),
            "org_type": _("Type of organisation"),
            "description": _("What the organisation does"),
            "sectors": _("Sectors"),
            "active": _("The organisation is active"),
            "charity_number": _("Charity number"),
            "company_number": _("Company number"),
            "ods_code": _("ODS code"),
            "address_line_1": _("Address line 1"),
            "address_line_2": _("Address line 2"),
            "town": _("Town or city"),
            "postcode": _("Postcode"),
            "website": _("Website"),
            "phone": _("Phone number"),
            "email": _("E-mail address"),
        }
        help_texts = {
            "alternate_name": _("A short name, or a name people also know it by."),
            "sectors": _("Select all that apply."),
            "active": _("Untick when the organisation has closed or stopped working in the area."),
            "charity_number": _("From the Charity Commission register for England and Wales, like 1123456."),
            "company_number": _("From Companies House: 8 characters, like 01234567 or SC123456."),
            "ods_code": _("The NHS Organisation Data Service code, like RV5."),
            "website": _("Like https://www.example.org"),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the organisation")},
            "org_type": {
                "required": _("Select the type of organisation"),
                "invalid_choice": _("Select the type of organisation"),
            },
            "sectors": {"invalid_choice": _("Select sectors from the list")},
            "website": {"invalid": _("Enter a website address in the correct format, like https://www.example.org")},
            "email": {"invalid": _("Enter an e-mail address in the correct format, like name@example.org")},
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple,
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
            "address_line_1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line_2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "website": forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
            "charity_number": forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            "company_number": forms.TextInput(attrs={"spellcheck": "false"}),
            "ods_code": forms.TextInput(attrs={"spellcheck": "false"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_type = cast(forms.ChoiceField, self.fields["org_type"])
        org_type.choices = [("", _("Select a type")), *OrganisationType.choices]

    @property
    def fieldsets(self) -> list[tuple[Promise, list[BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def organisation_data(self) -> dict[str, Any]:
        """The cleaned values to hand to ``services.create_organisation`` / ``update_organisation``."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[union-attr]

    def clean_charity_number(self) -> str:
        value = _without_spaces(self.cleaned_data["charity_number"])
        if value and not CHARITY_NUMBER.match(value):
            raise forms.ValidationError(_("Enter a charity number of 6 to 8 digits, like 1123456"))
        return value

    def clean_company_number(self) -> str:
        value = _without_spaces(self.cleaned_data["company_number"]).upper()
        if value.isdigit() and 6 <= len(value) < 8:
            value = value.zfill(8)  # Companies House numbers are often written without their leading zeros.
        if value and not COMPANY_NUMBER.match(value):
            raise forms.ValidationError(_("Enter a company number of 8 characters, like 01234567 or SC123456"))
        return value

    def clean_ods_code(self) -> str:
        value = _without_spaces(self.cleaned_data["ods_code"]).upper()
        if value and not ODS_CODE.match(value):
            raise forms.ValidationError(_("Enter an ODS code of 3 to 6 letters and numbers, like RV5"))
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"]
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a full UK postcode, like SW1A 1AA")) from None

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        digits = sum(character.isdigit() for character in value)
        if value and (not PHONE_NUMBER.match(value) or not 7 <= digits <= 15):
            raise forms.ValidationError(_("Enter a phone number, like 020 7946 0000 or +44 20 7946 0000"))
        return value


class NewOrganisationForm(OrganisationForm):
    """Adding an organisation: warns when it may already have a record, and asks before making a second one."""

    field_order = ["different_organisation"]  # shown above the other fields, so listed first in the error summary
    different_organisation = forms.BooleanField(
        label=_("This is a different organisation"),
        required=False,
        help_text=_("Tick this only if none of the organisations listed is the one you are adding."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.similar_organisations: list[Organisation] = []

    def clean(self) -> dict[str, Any]:
        super().clean()
        name = self.cleaned_data.get("name")
        if name and "postcode" not in self.errors:
            similar = find_similar_organisations(name, self.cleaned_data.get("postcode", ""))
            self.similar_organisations = list(similar.visible_to(self.user).order_by("name"))
        if self.similar_organisations and not self.cleaned_data.get("different_organisation"):
            self.add_error(
                "different_organisation",
                _(
                    "Check whether the organisation already has a record. "
                    "If it is not one of those listed, tick ‘This is a different organisation’"
                ),
            )
        return self.cleaned_data


class SitePageForm(PlainErrorsMixin, forms.ModelForm):
    """Edit a site page such as the accessibility statement."""

    class Meta:
        model = SitePage
        fields = ["title", "body"]
        labels = {"title": _("Title"), "body": _("Page text")}
        help_texts = {
            "body": _(
                "Write in Markdown: ## for a heading, - for a list item, **bold**, [link text](https://…). "
                "Scripts and other code are removed."
            )
        }
        error_messages = {
            "title": {"required": _("Enter the page title")},
            "body": {"required": _("Enter the page text")},
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}


def _without_spaces(value: str) -> str:
    return "".join(value.split())
