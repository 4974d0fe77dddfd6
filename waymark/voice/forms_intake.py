"""Staff forms for intake: recording an item gathered at an event or outreach, correcting an item's
language (with its English summary), the words that may be quoted publicly, and the languages a member of
staff reads."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField
from waymark.core.models import Community, EthnicGroup, Language, Organisation, Theme
from waymark.directory.models import Service
from waymark.voice.choices_items import AgeBand, Disability, Faith, Gender, HowGathered, Sentiment, SourceType
from waymark.voice.models import TEXT_MAX_LENGTH


def language_label(language: Any) -> str:
    """The English name with the language's own name, so people who read it recognise it. The own name is
    isolated (U+2068…U+2069) so a right-to-left name does not pull the brackets around it out of order."""
    if language.native_name and language.native_name != language.name:
        return f"{language.name} (\u2068{language.native_name}\u2069)"
    return str(language.name)


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return language_label(obj)


class LanguageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return language_label(obj)


class EthnicGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.high_level_group}: {obj.label}"


class ItemRecordForm(forms.Form):
    """Everything staff know about a piece of feedback they gathered; only the words, date and route are needed."""

    text = forms.CharField(
        label=_("What was said"),
        help_text=_("In the words used, in the language used."),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    english_summary = forms.CharField(
        label=_("English summary"), required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = DateField(
        label=_("Date"), subject=_("the date the feedback was given"), help_text=_("For example, 27 3 2026.")
    )
    how_gathered = forms.ChoiceField(
        label=_("How it was gathered"), choices=HowGathered.choices, widget=forms.RadioSelect
    )
    venue = forms.CharField(
        label=_("Venue or event"),
        required=False,
        max_length=200,
        help_text=_("Where it was said: the event, outreach session or place. For example, Eid fair, Bow Road."),
    )
    source_type = forms.ChoiceField(label=_("Who it came from"), choices=SourceType.choices, widget=forms.RadioSelect)
    original_language = LanguageChoiceField(
        label=_("Language it was said in"),
        queryset=Language.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty to have it detected."),
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter was needed"), required=False)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[("", _("Not recorded")), *Sentiment.choices], required=False
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.order_by("name"), required=False, widget=forms.CheckboxSelectMultiple
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities affected"),
        queryset=Community.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations it concerns"), queryset=Organisation.objects.order_by("name"), required=False
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services it concerns"), queryset=Service.objects.order_by("name"), required=False
    )
    consent_to_share = forms.BooleanField(label=_("Consent to share with the services it concerns"), required=False)
    consent_to_publish = forms.BooleanField(label=_("Consent to quote the words publicly"), required=False)
    safeguarding = forms.BooleanField(
        label=_("Safeguarding concern"),
        required=False,
        help_text=_("Someone may be at risk. It goes to the top of triage."),
    )
    contact_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    wants_updates = forms.BooleanField(
        label=_("Tell me what happens about this"),
        help_text=_("The person asked to be e-mailed when an action that answers what they raised changes."),
        required=False,
    )
    ethnic_group = EthnicGroupChoiceField(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.select_related("code_set").filter(code_set__slug="ons-2021"),
        required=False,
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", _("Not given")), *AgeBand.choices], required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", _("Not given")), *Gender.choices], required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), choices=[("", _("Not given")), *Disability.choices], required=False
    )
    faith = forms.ChoiceField(
        label=_("Religion or belief"), choices=[("", _("Not given")), *Faith.choices], required=False
    )

    relation_fields = ("themes", "communities", "organisations", "services")
    demographic_fields = ("ethnic_group", "age_band", "gender", "disability", "faith")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = self.fields["organisations"]
        services = self.fields["services"]
        assert isinstance(organisations, forms.ModelMultipleChoiceField)
        assert isinstance(services, forms.ModelMultipleChoiceField)
        organisations.queryset = Organisation.objects.visible_to(user).order_by("name")
        services.queryset = Service.objects.visible_to(user).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("source_type", SourceType.INDIVIDUAL)

    def clean_received_on(self) -> Any:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past."))
        return received_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("consent_to_publish") and not cleaned.get("consent_to_share"):
            self.add_error("consent_to_share", _("Quoting the words publicly needs consent to share them too."))
        if cleaned.get("wants_updates") and not cleaned.get("contact_email") and "contact_email" not in self.errors:
            self.add_error(
                "contact_email", _("Give the person's e-mail address to tell them what happens, or untick the box.")
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["demographics"] = {name: data.pop(name) for name in self.demographic_fields}
        return data


SESSION_CONVERSATIONS = 6


class SessionForm(forms.Form):
    """Quick mode: what several conversations from one outreach session or event have in common."""

    received_on = DateField(label=_("Date of the session"), subject=_("the date of the session"))
    how_gathered = forms.ChoiceField(
        label=_("How it was gathered"),
        choices=[(value, label) for value, label in HowGathered.choices if value != HowGathered.ONLINE_FORM],
        initial=HowGathered.OUTREACH,
        widget=forms.RadioSelect,
    )
    venue = forms.CharField(
        label=_("Venue or event"),
        max_length=200,
        help_text=_("For example, Eid fair, Bow Road."),
        error_messages={"required": _("Enter the venue or event where the conversations happened")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def clean_received_on(self) -> Any:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past."))
        return received_on


class ConversationForm(forms.Form):
    """One conversation in quick mode: the words, and what cannot wait for the full record."""

    text = forms.CharField(
        label=_("What was said"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    original_language = LanguageChoiceField(
        label=_("Language it was said in"),
        queryset=Language.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty to have it detected."),
    )
    consent_to_share = forms.BooleanField(label=_("Consent to share with the services it concerns"), required=False)
    safeguarding = forms.BooleanField(label=_("Safeguarding concern"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("text") or "").strip() and (cleaned.get("consent_to_share") or cleaned.get("safeguarding")):
            self.add_error("text", _("Enter what was said, or untick the boxes for this conversation"))
        return cleaned


ConversationFormSet = forms.formset_factory(
    ConversationForm, extra=SESSION_CONVERSATIONS, max_num=SESSION_CONVERSATIONS, validate_max=True
)


class LanguageCorrectionForm(forms.Form):
    """A member of staff sets the language the item is in and, if they can, writes the English summary."""

    original_language = LanguageChoiceField(
        label=_("Language it is written in"), queryset=Language.objects.order_by("name")
    )
    english_summary = forms.CharField(
        label=_("English summary"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Once it has an English summary, the item leaves the interpreting queue."),
    )
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed to follow it up"), required=False)


class InterpretingRequestForm(forms.Form):
    """Ask for an item to be interpreted by someone who reads its language, and by when."""

    needed_by = DateField(
        label=_("Needed by"),
        required=False,
        subject=_("the date the interpreting is needed by"),
        help_text=_("Leave empty if there is no deadline."),
    )


class PublicQuoteForm(forms.Form):
    """Staff write the words that may be quoted on public pages, never a copy of the words as sent."""

    public_quote = forms.CharField(
        label=_("Words we may quote"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Write the words as they may appear on public pages. Remove names, places, relationships and "
            "anything else that could identify the person or someone else. Leave it empty to quote nothing."
        ),
    )


class StaffLanguagesForm(forms.Form):
    languages = LanguageMultipleChoiceField(
        label=_("Languages you read"),
        help_text=_("Items in a language nobody on staff reads go to the interpreting queue. English is assumed."),
        queryset=Language.objects.exclude(code="eng").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
