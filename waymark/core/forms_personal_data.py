"""Forms for finding, exporting and erasing one person's data."""

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from waymark.core.personal_data import PersonIdentity

PHONE_CHARACTERS = re.compile(r"^[\d\s+().-]+$")
MIN_PHONE_DIGITS = 6  # fewer would match numbers that belong to other people


class PersonalDataSearchForm(forms.Form):
    """Who to look for: an e-mail address, a phone number or a username (any one is enough)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Finds records with this address in any letter case."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Spaces and dashes do not matter: 0161 496 0000 also finds 01614960000."),
    )
    username = forms.CharField(
        label=_("Username"),
        required=False,
        max_length=150,
        help_text=_("Finds the account, and records with the account's e-mail address."),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        if not PHONE_CHARACTERS.match(phone):
            raise forms.ValidationError(_("Enter a phone number using only digits, spaces, brackets, dashes and +."))
        if len(re.sub(r"\D", "", phone)) < MIN_PHONE_DIGITS:
            raise forms.ValidationError(
                _("Enter the whole phone number, with at least %(digits)s digits."), params={"digits": MIN_PHONE_DIGITS}
            )
        return phone

    def clean_username(self) -> Any:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(
                _("No account has the username “%(username)s”. Check the spelling."), params={"username": username}
            )
        return user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("email") or cleaned.get("phone") or cleaned.get("username")):
            self.add_error("email", _("Enter an e-mail address, a phone number or a username to search for."))
        return cleaned

    def identity(self) -> PersonIdentity:
        """The person the valid form describes. A username also brings in the account's e-mail address."""
        user = self.cleaned_data.get("username")
        email = self.cleaned_data.get("email") or (user.email if user else "")
        return PersonIdentity(email=email, phone=self.cleaned_data.get("phone", ""), user_id=user.pk if user else None)


class PersonalDataEraseForm(PersonalDataSearchForm):
    """The search again (as hidden fields on the results page), plus a confirmation."""

    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone"),
        error_messages={"required": _("Tick “I understand this cannot be undone” to erase this person’s data.")},
    )
