"""The public feedback form and the reference look-up. No account needed; every message is translated
(tests/test_translations checks that), and what a person typed stays on the page whatever goes wrong."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from waymark.core.models import EthnicGroup
from waymark.core.reference_data import ONS_2021
from waymark.voice.choices_items import AgeBand, Disability, Faith, Gender
from waymark.voice.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, TEXT_MAX_LENGTH

# The ONS 2021 ethnic groups come from the database in English; listed here so makemessages extracts them
# and the public form can show them in the person's language.
ETHNIC_GROUP_LABELS = (
    gettext_noop("Asian, Asian British or Asian Welsh"),
    gettext_noop("Black, Black British, Black Welsh, Caribbean or African"),
    gettext_noop("Mixed or Multiple ethnic groups"),
    gettext_noop("White"),
    gettext_noop("Other ethnic group"),
    gettext_noop("Bangladeshi"),
    gettext_noop("Chinese"),
    gettext_noop("Indian"),
    gettext_noop("Pakistani"),
    gettext_noop("Other Asian"),
    gettext_noop("African"),
    gettext_noop("Caribbean"),
    gettext_noop("Other Black"),
    gettext_noop("White and Asian"),
    gettext_noop("White and Black African"),
    gettext_noop("White and Black Caribbean"),
    gettext_noop("Other Mixed or Multiple ethnic groups"),
    gettext_noop("English, Welsh, Scottish, Northern Irish or British"),
    gettext_noop("Irish"),
    gettext_noop("Gypsy or Irish Traveller"),
    gettext_noop("Roma"),
    gettext_noop("Other White"),
    gettext_noop("Arab"),
    gettext_noop("Any other ethnic group"),
)

HONEYPOT_FIELD = "website"

# Urdu and Bengali keyboards type their own digits; a reference is shown in Latin digits, so these are read as them.
NATIVE_DIGITS = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹০১২৩৪৫৬৭৮৯",  # Arabic-Indic, Extended Arabic-Indic (Urdu), Bengali
    "0123456789" * 3,
)


class TranslatedEthnicGroupField(forms.ModelChoiceField):
    """The ONS 2021 groups under their high-level headings, in the language of the page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=EthnicGroup.objects.none(), **kwargs)

    def set_groups(self, groups: QuerySet[EthnicGroup]) -> None:
        self.queryset = groups
        headings: dict[str, list[tuple[int, str]]] = {}
        for group in groups:
            headings.setdefault(group.high_level_group, []).append((group.pk, gettext(group.label)))
        self.choices = [("", _("Prefer not to say")), *[(gettext(h), rows) for h, rows in headings.items()]]


class PublicFeedbackForm(forms.Form):
    """What someone wants to tell us, whether we may share or quote it, and (optionally) who they are."""

    mark_optional_fields = True

    text = forms.CharField(
        label=_("What would you like to tell us?"),
        help_text=_(
            "Write in any language. Tell us which service it is about, what happened and what would make it better."
        ),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Tell us what you would like to say"),
            "max_length": _("Your message must be %(limit_value)s characters or fewer (it has %(show_value)s)"),
        },
    )
    consent_to_share = forms.BooleanField(
        label=_("You may share what I wrote with the services it is about, without my name"), required=False
    )
    consent_to_publish = forms.BooleanField(
        label=_("You may quote my words on this website, without my name"),
        help_text=_("We remove anything that could identify you or someone else before we quote it."),
        required=False,
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address like name@example.com, or leave it empty")},
    )
    contact_phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False)
    wants_updates = forms.BooleanField(
        label=_("Tell me what happens about this"),
        help_text=_(
            "We will e-mail you when an action that answers what you raised changes. Needs your e-mail address."
        ),
        required=False,
    )
    ethnic_group = TranslatedEthnicGroupField(label=_("Your ethnic group"), required=False)
    age_band = forms.ChoiceField(
        label=_("Your age"), choices=[("", _("Choose an answer")), *AgeBand.choices], required=False
    )
    gender = forms.ChoiceField(
        label=_("Your gender"), choices=[("", _("Choose an answer")), *Gender.choices], required=False
    )
    disability = forms.ChoiceField(
        label=_("Do you have a disability or long-term condition?"),
        choices=[("", _("Choose an answer")), *Disability.choices],
        required=False,
    )
    faith = forms.ChoiceField(
        label=_("Your religion or belief"), choices=[("", _("Choose an answer")), *Faith.choices], required=False
    )
    # Hidden from people (and from screen readers); bots that fill every field fill this one too.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    contact_fields = ("contact_name", "contact_email", "contact_phone")
    about_you_fields = ("ethnic_group", "age_band", "gender", "disability", "faith")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ethnic_group = self.fields["ethnic_group"]
        assert isinstance(ethnic_group, TranslatedEthnicGroupField)
        ethnic_group.set_groups(
            EthnicGroup.objects.filter(code_set__slug=ONS_2021, is_stated=True).order_by("sort_order", "pk")
        )
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        """The honeypot was filled in: treated as sent, and not saved."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("consent_to_publish") and not cleaned.get("consent_to_share"):
            self.add_error(
                "consent_to_share",
                _("To let us quote your words, also tick that we may share them, or untick quoting"),
            )
        if cleaned.get("wants_updates") and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", _("Give an e-mail address to be told what happens, or untick the box"))
        return cleaned

    def demographics(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.about_you_fields}


class ReferenceLookupForm(forms.Form):
    """Find your feedback by the reference you were given."""

    mark_optional_fields = False

    # No max_length: Django's own too-long message is not translated into every offered language, and
    # clean_reference refuses anything of the wrong length in the page's language anyway.
    reference = forms.CharField(
        label=_("Your reference"),
        error_messages={"required": _("Enter your reference")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].help_text = gettext(
            "%(length)s English letters and numbers, for example %(example)s"
        ) % {
            "length": REFERENCE_LENGTH,
            "example": "K7MX4PQRTA",
        }

    def clean_reference(self) -> str:
        """Forgive spaces, dashes, lower case and Urdu or Bengali digits; refuse anything that could never be a
        reference."""
        raw = self.cleaned_data["reference"].translate(NATIVE_DIGITS)
        reference = "".join(character for character in raw.upper() if character not in " -")
        if len(reference) != REFERENCE_LENGTH or any(character not in REFERENCE_ALPHABET for character in reference):
            raise forms.ValidationError(
                _(
                    "A reference is %(length)s English letters and numbers, like the one on the page you saw after "
                    "sending"
                ),
                params={"length": REFERENCE_LENGTH},
            )
        return reference
