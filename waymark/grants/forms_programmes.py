"""Forms for setting up a programme: the programme itself, and the rows of each of its parts (the form's
questions, the eligibility checker, the weighted criteria, the reporting tiers). They check and tidy what people
type and ask what the service will ask, so a refusal lands on the field it is about; the services write."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.forms.boundfield import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import AreaType, OrganisationType
from waymark.core.forms import PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Area, Community, Organisation
from waymark.grants.models import Programme
from waymark.grants.services.programmes import (
    MAX_MONTHS_AFTER_START,
    MAX_WEIGHT,
    MAX_WORD_LIMIT,
    MIN_WORD_LIMIT,
    PROGRAMME_FIELDS,
    CriterionRow,
    EligibilityRow,
    QuestionRow,
    ReportingTierRow,
    programme_problems,
)

EXTRA_ROWS = 2
MONEY_ERRORS = {"invalid": _("Enter an amount in pounds, for example 2500")}


def _areas() -> Any:
    """Local authorities and the wards of the latest boundaries: where a small grant's work happens."""
    latest = Area.objects.filter(area_type=OuterRef("area_type")).order_by("-vintage").values("vintage")[:1]
    return Area.objects.filter(
        Q(area_type__in=[AreaType.LOCAL_AUTHORITY, AreaType.WARD]), vintage=Subquery(latest)
    ).order_by("area_type", "name")


class ProgrammeForm(PlainErrorsMixin, forms.ModelForm):
    """The programme's own fields, in the groups a grants officer thinks in."""

    FIELDSETS: list[tuple[Promise, list[str]]] = [
        (_("About the programme"), ["title", "code", "funder", "summary", "criteria", "priorities"]),
        (_("Money"), ["budget", "minimum_award", "maximum_award"]),
        (_("Who may apply"), ["eligible_types", "accepts_individuals", "areas", "communities"]),
        (_("Published timetable"), ["opens_on", "closes_on", "decision_by", "payment_by"]),
        (_("How it runs"), ["languages", "panel_enabled", "published"]),
    ]

    eligible_types = forms.MultipleChoiceField(
        label=_("Who may apply"),
        choices=[
            (value, label)
            for value, label in OrganisationType.choices
            if value
            in {
                OrganisationType.COMMUNITY_GROUP,
                OrganisationType.CHARITY,
                OrganisationType.SOCIAL_ENTERPRISE,
                OrganisationType.FAITH_GROUP,
                OrganisationType.HEALTHWATCH,
                OrganisationType.PRIVATE_COMPANY,
            }
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Unregistered community groups get an identifier of their own for open data."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the form is offered in, besides English"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "code",
            "funder",
            "summary",
            "criteria",
            "priorities",
            "budget",
            "minimum_award",
            "maximum_award",
            "eligible_types",
            "accepts_individuals",
            "areas",
            "communities",
            "opens_on",
            "closes_on",
            "decision_by",
            "payment_by",
            "languages",
            "panel_enabled",
            "published",
        ]
        field_classes = {
            "opens_on": date_field(_("the date the programme opens")),
            "closes_on": date_field(_("the date the programme closes")),
            "decision_by": date_field(_("the date by which decisions are made")),
            "payment_by": date_field(_("the date by which awards are paid")),
        }
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "communities": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "criteria": forms.Textarea(attrs={"rows": 5}),
            "priorities": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "budget": MONEY_ERRORS,
            "minimum_award": MONEY_ERRORS,
            "maximum_award": MONEY_ERRORS,
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        funders = Organisation.objects.visible_to(user).filter(active=True)
        if self.instance.pk:
            funders = Organisation.objects.visible_to(user).filter(Q(active=True) | Q(pk=self.instance.funder_id))
        fields = self.fields
        cast(forms.ModelChoiceField, fields["funder"]).queryset = funders.order_by("name")
        cast(forms.ModelMultipleChoiceField, fields["areas"]).queryset = _areas()
        cast(forms.ModelMultipleChoiceField, fields["communities"]).queryset = Community.objects.order_by("name")
        fields["code"].help_text = _("Lower-case letters, numbers and hyphens, for example ‘seed-2027’.")

    def fieldsets(self) -> list[tuple[Promise, list[BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean(self) -> dict[str, Any]:
        """Ask what the service will ask (award range, budget against awards made, dates in order), so each
        refusal is shown on its field."""
        data = super().clean() or {}
        probe = Programme(pk=self.instance.pk, **{name: data.get(name) for name in PROGRAMME_FIELDS - {"funder"}})
        for name, problem in programme_problems(probe).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, problem)
        return data

    def service_values(self) -> dict[str, Any]:
        """What ``create_programme`` / ``update_programme`` take."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _remove_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("Take this row off"), required=False)


class QuestionForm(PlainErrorsMixin, forms.Form):
    mark_optional_fields = False  # a row's fields are needed once the row is used; a blank row adds nothing

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    help_text = forms.CharField(label=_("Hint shown under the question"), max_length=500, required=False)
    word_limit = forms.IntegerField(
        label=_("Word limit"),
        min_value=MIN_WORD_LIMIT,
        max_value=MAX_WORD_LIMIT,
        initial=250,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )
    required = forms.BooleanField(label=_("Must be answered"), required=False, initial=True)
    remove = _remove_field()

    def row(self) -> QuestionRow | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("remove") or not data.get("text"):
            return None
        return QuestionRow(
            text=data["text"],
            word_limit=data["word_limit"],
            key=data.get("key") or "",
            help_text=data.get("help_text") or "",
            required=bool(data.get("required")),
        )


class EligibilityForm(PlainErrorsMixin, forms.Form):
    mark_optional_fields = False  # a row's fields are needed once the row is used; a blank row adds nothing

    text = forms.CharField(label=_("Yes or no question"), max_length=300, required=False)
    required_answer = forms.TypedChoiceField(
        label=_("The answer that may apply"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Why the other answer cannot apply"),
        max_length=500,
        required=False,
        help_text=_("Shown straight away to someone who answers otherwise."),
    )
    remove = _remove_field()

    def row(self) -> EligibilityRow | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("remove") or not (data.get("text") or data.get("explanation")):
            return None
        return EligibilityRow(
            text=data.get("text") or "",
            explanation=data.get("explanation") or "",
            required_answer=bool(data.get("required_answer")),
        )


class CriterionForm(PlainErrorsMixin, forms.Form):
    mark_optional_fields = False  # a row's fields are needed once the row is used; a blank row adds nothing

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    guidance = forms.CharField(
        label=_("What a good answer shows"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=MAX_WEIGHT,
        initial=1,
        help_text=_("1 to 10: a criterion of weight 2 counts twice as much as one of weight 1."),
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
    )
    remove = _remove_field()

    def row(self) -> CriterionRow | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("remove") or not data.get("title"):
            return None
        return CriterionRow(
            title=data["title"], weight=data["weight"], guidance=data.get("guidance") or "", id=data.get("id")
        )


class ReportingTierForm(PlainErrorsMixin, forms.Form):
    mark_optional_fields = False  # a row's fields are needed once the row is used; a blank row adds nothing

    up_to_amount = forms.DecimalField(
        label=_("For grants up to (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave blank for any larger grant."),
        error_messages=MONEY_ERRORS,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    questions = forms.CharField(
        label=_("Questions, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few short questions; a story is always asked for as well."),
    )
    months_after_start = forms.IntegerField(
        label=_("Due months after the grant starts"),
        min_value=1,
        max_value=MAX_MONTHS_AFTER_START,
        initial=12,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
    )
    remove = _remove_field()

    def row(self) -> ReportingTierRow | None:
        data = getattr(self, "cleaned_data", None) or {}
        questions = tuple(line.strip() for line in (data.get("questions") or "").splitlines() if line.strip())
        if data.get("remove") or not questions:
            return None
        return ReportingTierRow(
            up_to_amount=data.get("up_to_amount"), questions=questions, months_after_start=data["months_after_start"]
        )


class RowsFormSet(forms.BaseFormSet):
    """Rows of one part of a programme; a blank row, or one marked to take off, is left out."""

    def rows(self) -> list[Any]:
        return [row for row in (form.row() for form in self.forms) if row is not None]


# What each part's page is made of: its form, its rows as saved, and the service's field name for refusals.
PART_FORMS: dict[str, type[forms.Form]] = {
    "questions": QuestionForm,
    "eligibility_questions": EligibilityForm,
    "criteria": CriterionForm,
    "reporting_tiers": ReportingTierForm,
}


def initial_rows(programme: Programme, part: str) -> list[dict[str, Any]]:
    if part == "questions":
        return [
            {"key": q.key, "text": q.text, "help_text": q.help_text, "word_limit": q.word_limit, "required": q.required}
            for q in programme.questions.all()
        ]
    if part == "eligibility_questions":
        return [
            {"text": q.text, "explanation": q.explanation, "required_answer": "yes" if q.required_answer else "no"}
            for q in programme.eligibility_questions.all()
        ]
    if part == "criteria":
        return [
            {"id": c.pk, "title": c.title, "guidance": c.guidance, "weight": c.weight}
            for c in programme.criteria_set.all()
        ]
    return [
        {
            "up_to_amount": t.up_to_amount,
            "questions": "\n".join(t.questions),
            "months_after_start": t.months_after_start,
        }
        for t in programme.reporting_tiers.all()
    ]


def part_formset(data: Any, *, programme: Programme, part: str) -> RowsFormSet:
    """The part's saved rows with empty rows below for more."""
    factory = forms.formset_factory(PART_FORMS[part], formset=RowsFormSet, extra=EXTRA_ROWS)
    return cast(RowsFormSet, factory(data, prefix=part.replace("_", "-"), initial=initial_rows(programme, part)))
