"""Forms for screening and assessment: they check and tidy what people type; ``services.screening`` and
``services.assessment`` decide and write."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.grants.choices import AssessorRole, PanelRecommendation, ScreeningOutcome
from waymark.grants.models import Criterion
from waymark.grants.services.assessment import COMMENT_LIMIT, DETAILS_LIMIT, JUSTIFICATION_LIMIT, NOTES_LIMIT, TOP_SCORE
from waymark.grants.services.screening import REASON_LIMIT

NOT_APPLICABLE = "na"


class ScreeningForm(PlainErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Screening decision"), choices=ScreeningOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say which rule or flag it rests on. It is kept with the application and who screened it."),
    )


class AssignAssessorForm(PlainErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Assessor's e-mail address"),
        help_text=_("The address they sign in with. They declare their interests before the application opens."),
    )
    role = forms.ChoiceField(label=_("They assess as"), choices=AssessorRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, panel_enabled: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not panel_enabled:
            self.fields["role"].choices = [(AssessorRole.STAFF.value, AssessorRole.STAFF.label)]  # type: ignore[attr-defined]
            self.fields["role"].initial = AssessorRole.STAFF

    def clean_email(self) -> Any:
        """The account with this address: a person may be known by their address, never listed to choose from."""
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
        if user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        self.cleaned_data["assessor"] = user
        return email


class DeclarationForm(PlainErrorsMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this applicant?"),
        choices=[("no", _("No: I have no interest to declare")), ("yes", _("Yes: I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "For example: you work for, volunteer with, are a trustee of, or are related to someone at the group. "
            "If you have a conflict, you will not see or score the application."
        ),
    )
    details = forms.CharField(
        label=_("What the interest is"),
        max_length=DETAILS_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if you have a conflict. For example: I am a trustee of the group."),
    )


def score_field(criterion: Criterion) -> str:
    return f"score_{criterion.pk}"


def justification_field(criterion: Criterion) -> str:
    return f"justification_{criterion.pk}"


class ScoresForm(PlainErrorsMixin, forms.Form):
    """A score (0 to 5, or N/A) and a reason for each of the programme's criteria, a recommendation and an
    overall comment. A criterion left "not scored yet" keeps what was saved before."""

    mark_optional_fields = False  # every field may wait while the scores are a draft; submitting says what is missing

    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=[("", _("Not decided yet")), *PanelRecommendation.choices],
        required=False,
    )
    overall_comment = forms.CharField(
        label=_("Overall comment"), max_length=COMMENT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [
            ("", _("Not scored yet")),
            *[(str(value), str(value)) for value in range(TOP_SCORE + 1)],
            (NOT_APPLICABLE, _("N/A: does not apply")),
        ]
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            fields[score_field(criterion)] = forms.ChoiceField(
                label=_("Score for %(criterion)s (weight %(weight)d)")
                % {"criterion": criterion.title, "weight": criterion.weight},
                choices=choices,
                required=False,
                help_text=criterion.guidance,
            )
            fields[justification_field(criterion)] = forms.CharField(
                label=_("Why this score"),
                max_length=JUSTIFICATION_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for criterion in self.criteria:
            if cleaned.get(score_field(criterion), "") == "" and cleaned.get(justification_field(criterion)):
                self.add_error(
                    score_field(criterion),
                    _("Choose a score or N/A for %(criterion)s, so its reason can be saved.")
                    % {"criterion": criterion.title},
                )
        return cleaned

    def scores(self) -> dict[int, tuple[int | None, str]]:
        """{criterion id: (score or None for N/A, reason)} for the criteria given a score or marked N/A."""
        rows: dict[int, tuple[int | None, str]] = {}
        for criterion in self.criteria:
            chosen = self.cleaned_data.get(score_field(criterion), "")
            justification = self.cleaned_data.get(justification_field(criterion), "")
            if chosen == "":
                continue
            rows[criterion.pk] = (None if chosen == NOT_APPLICABLE else int(chosen), justification)
        return rows


class PanelDecisionForm(PlainErrorsMixin, forms.Form):
    recommendation = forms.ChoiceField(label=_("The panel's recommendation"), choices=PanelRecommendation.choices)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=1_000, initial=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=1_000, initial=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=1_000, initial=0)
    notes = forms.CharField(
        label=_("The panel's reasons"), max_length=NOTES_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )
    met_on = DateField(label=_("Panel met on"), subject=_("the date the panel met"))
