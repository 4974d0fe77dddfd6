"""The applicant's forms, one per step. They check and tidy what was typed; ``services.applications`` saves it.

Every field of a step is optional while it is a draft, so a half-written step can be saved; what must be there
is checked when the application is sent (``missing_for_submission``) and listed on the check-answers page.
"""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import OrganisationType
from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Area, Community
from waymark.core.uploads import UploadValidator
from waymark.grants.choices import ApplicantKind
from waymark.grants.models import Application, Programme
from waymark.grants.services.applications import ATTACHMENT_KINDS, answer_field
from waymark.grants.words import count_words

# Kinds of group a community applicant may be (core's public bodies and companies apply elsewhere).
APPLICANT_TYPES = (
    OrganisationType.COMMUNITY_GROUP,
    OrganisationType.CHARITY,
    OrganisationType.SOCIAL_ENTERPRISE,
    OrganisationType.FAITH_GROUP,
)

# The 360Giving DEI taxonomy's groups a race-equality programme asks about (codes from the standard's codelist).
DEI_CHOICES = [
    ("DEI010000", _("Communities experiencing racial inequity")),
    ("DEI010100", _("Black / African / Caribbean / Black British")),
    ("DEI010110", _("African")),
    ("DEI010120", _("Caribbean")),
    ("DEI010200", _("Mixed or multiple ethnic groups")),
    ("DEI010300", _("Asian / Asian British")),
    ("DEI010310", _("Indian")),
    ("DEI010320", _("Pakistani")),
    ("DEI010330", _("Bangladeshi")),
    ("DEI010340", _("Chinese")),
    ("DEI019910", _("Arab")),
    ("DEI019920", _("Jewish")),
    ("DEI019930", _("Gypsy, Roma and Traveller communities")),
    ("DEI019999", _("Any other ethnic group")),
    ("DEI020200", _("People with mental health conditions")),
]


class StartForm(PlainErrorsMixin, forms.Form):
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the link back to your application here, and write to you about it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].error_messages["required"] = _("Enter your name")
        self.fields["contact_email"].error_messages["required"] = _("Enter your e-mail address")
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"


class LostLinkForm(forms.Form):
    email = forms.EmailField(label=_("The e-mail address you started your application with"))


class GroupForm(PlainErrorsMixin, forms.ModelForm):
    """Step 1: about the group (or the person, where a programme funds individuals)."""

    # A draft saves with any field empty; what is truly optional says so in its label.
    mark_optional_fields = False

    class Meta:
        model = Application
        fields = [
            "applicant_kind",
            "organisation_name",
            "organisation_type",
            "charity_number",
            "company_number",
            "mutual_number",
            "postcode",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        labels = {
            "applicant_kind": _("Who is applying?"),
            "organisation_name": _("Name of your group"),
            "organisation_type": _("What kind of group is it?"),
            "charity_number": _("Charity number (if registered)"),
            "company_number": _("Company number (if registered)"),
            "mutual_number": _("Mutual society number (if registered)"),
            "postcode": _("Your group's postcode"),
            "contact_name": _("Your name"),
            "contact_email": _("Your e-mail address"),
            "contact_phone": _("Your telephone number (optional)"),
        }
        help_texts = {
            "organisation_name": _("Groups that are not registered can apply: use the name people know you by."),
            "charity_number": _("Leave these empty if your group is not registered."),
        }
        widgets = {"applicant_kind": forms.RadioSelect, "organisation_type": forms.RadioSelect}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["contact_name"].required = True
        self.fields["contact_email"].required = True
        kind = self.fields["organisation_type"]
        kind.choices = [(value, OrganisationType(value).label) for value in APPLICANT_TYPES]  # type: ignore[attr-defined]
        if not programme.accepts_individuals:
            del self.fields["applicant_kind"]
        else:
            self.fields["applicant_kind"].choices = ApplicantKind.choices  # type: ignore[attr-defined]
            self.fields["applicant_kind"].required = True


class ProjectForm(PlainErrorsMixin, forms.ModelForm):
    """Step 2: the project, the money and the dates."""

    mark_optional_fields = False

    class Meta:
        model = Application
        fields = ["project_title", "project_summary", "amount_requested", "starts_on", "ends_on", "beneficiary_area"]
        labels = {
            "project_title": _("A short title for your project"),
            "project_summary": _("What will you do? A few lines"),
            "amount_requested": _("How much are you asking for (£)?"),
            "starts_on": _("When will it start?"),
            "ends_on": _("When will it end?"),
            "beneficiary_area": _("Where will the work happen?"),
        }
        widgets = {"project_summary": forms.Textarea(attrs={"rows": 5})}
        field_classes = {
            "starts_on": date_field(_("the date your project will start")),
            "ends_on": date_field(_("the date your project will end")),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        amount = self.fields["amount_requested"]
        amount.help_text = _("Between £%(low)s and £%(high)s.") % {
            "low": f"{programme.minimum_award:,.0f}",
            "high": f"{programme.maximum_award:,.0f}",
        }
        amount.widget.attrs.update({"inputmode": "decimal"})
        area = self.fields["beneficiary_area"]
        allowed = list(programme.areas.values_list("pk", flat=True))
        rows = (
            Area.objects.filter(Q(pk__in=allowed) | Q(parent_id__in=allowed))
            if allowed
            else Area.objects.filter(area_type__in=["local_authority", "ward"])
        )
        area.queryset = rows.order_by("name")[:1000]  # type: ignore[attr-defined]
        area.empty_label = _("Choose the area")  # type: ignore[attr-defined]

    def validate_constraints(self) -> None:
        """Dates out of order are refused by the service, on the end date and naming the start; the database's
        own check would only say that a constraint failed."""


class QuestionsForm(PlainErrorsMixin, forms.Form):
    """Step 3: the programme's own questions, each with its word limit."""

    mark_optional_fields = False

    def __init__(self, *args: Any, programme: Programme, answers: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(programme.questions.all())
        for question in self.questions:
            name = answer_field(question.key)
            text = answers.get(question.key, "")
            hint = _("At most %(limit)s words.") % {"limit": question.word_limit}
            self.fields[name] = forms.CharField(
                label=question.text
                if question.required
                else _("%(question)s (optional)") % {"question": question.text},
                required=False,
                initial=text,
                help_text=f"{question.help_text} {hint}".strip(),
                widget=forms.Textarea(
                    attrs={"rows": 6, "data-word-limit": question.word_limit, "aria-describedby": f"{name}-count"}
                ),
            )

    def word_counts(self) -> list[dict[str, Any]]:
        """Each question's field with the words it holds now (as typed, or as saved) and its limit, for the
        count shown under it: with JavaScript it updates as you type, without it on each save."""
        rows = []
        for question in self.questions:
            bound = self[answer_field(question.key)]
            words = count_words(str(bound.value() or ""))
            rows.append(
                {"field": bound, "words": words, "limit": question.word_limit, "over": words > question.word_limit}
            )
        return rows

    def answers(self) -> dict[str, str]:
        return {question.key: self.cleaned_data[answer_field(question.key)] for question in self.questions}


class CommunitiesForm(PlainErrorsMixin, forms.ModelForm):
    """Step 4: communities served, and the optional DEI questions with a clear choice about publishing."""

    dei_codes = forms.MultipleChoiceField(
        label=_("Is your group led by, or mainly for, any of these groups? (optional)"),
        help_text=_("Choose any that apply. You do not have to answer."),
        choices=DEI_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Application
        fields = ["communities", "dei_codes", "dei_may_publish"]
        labels = {
            "communities": _("Which communities will the project serve?"),
            "dei_may_publish": _("You may publish our answers to this question as open data"),
        }
        help_texts = {
            "communities": _("Choose any that apply."),
            "dei_may_publish": _(
                "Funders publish their grants openly (360Giving). We publish these answers only if you tick this box, "
                "and never for a grant to an individual. Your answer does not affect our decision."
            ),
        }
        widgets = {"communities": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communities"].required = False
        self.fields["communities"].queryset = Community.objects.order_by("name")  # type: ignore[attr-defined]


class AttachmentForm(PlainErrorsMixin, forms.Form):
    """Step 5: a file to send with the application, checked by type (by its content) and size."""

    title = forms.CharField(label=_("What is the file?"), max_length=200, help_text=_("For example: our budget."))
    file = forms.FileField(
        label=_("Choose the file"),
        help_text=_("A PDF, Word or OpenDocument file, a spreadsheet, or a photo (PNG or JPEG), up to 5 MB."),
        validators=[UploadValidator("grant_attachments", ATTACHMENT_KINDS)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Say what the file is")
        self.fields["file"].error_messages["required"] = _("Choose a file to upload")


class CheckForm(forms.Form):
    """Step 6: send. A confirmation only."""

    confirm = forms.BooleanField(
        label=_("The information in this application is true, to the best of my knowledge"),
        error_messages={"required": _("Confirm the information is true before you send it")},
    )
