"""Forms for gradings: the EDS 2022 grade page (eleven outcomes by domain, graders as repeated rows) and a
PCREF competency self-assessment. They check and tidy what people type; the grading services write."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.core.models import Organisation
from waymark.plans.choices import CompetencyLevel, EdsGrade, GraderRole, PlanType
from waymark.plans.gradings import by_group, eds_outcomes, evidence_field, grade_field, pcref_competencies
from waymark.plans.models import EdsGrading, Plan, TemplateItem

GRADER_ROWS = 6  # empty rows offered for graders; a grading with more shows them all and two more


def _organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).filter(active=True).order_by("name")


class EdsGradingForm(PlainErrorsMixin, forms.Form):
    """The whole grading on one page. Grades are not required here: the service refuses a missing one on its
    own field, naming the outcome, so the message is the same whichever way the grading arrives."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation graded"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    year = forms.IntegerField(
        label=_("Year graded"),
        help_text=_("The first year of the financial year: 2025 means 2025/26."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
    )
    graded_on = DateField(label=_("Date graded"), subject=_("the date it was graded"))
    publish_by = DateField(
        label=_("To be published by"),
        subject=_("the date by which the grading must be published"),
        help_text=_("EDS 2022 gradings are published; after this date an unpublished grading shows as late."),
        error_messages={"required": _("Enter the date by which the grading must be published")},
    )
    plan = forms.ModelChoiceField(
        label=_("EDS 2022 plan it belongs to"), queryset=Plan.objects.none(), to_field_name="uuid", required=False
    )
    evidence = forms.CharField(
        label=_("Evidence and how the grading was done"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, grading: EdsGrading | None = None, **kwargs: Any) -> None:
        self.grading = grading
        self.outcomes = eds_outcomes()
        graders = list(grading.graders.select_related("organisation")) if grading else []
        self.grader_count = max(GRADER_ROWS, len(graders) + 2)
        if grading is not None:
            initial = {
                "year": grading.year,
                "graded_on": grading.graded_on,
                "publish_by": grading.publish_by,
                "plan": grading.plan.uuid if grading.plan else None,
                "evidence": grading.evidence,
            }
            for row in grading.grades.select_related("outcome"):
                initial[grade_field(row.outcome.code)] = row.grade
                initial[evidence_field(row.outcome.code)] = row.evidence
            for number, grader in enumerate(graders, start=1):
                initial[f"grader_organisation_{number}"] = grader.organisation.uuid
                initial[f"grader_role_{number}"] = grader.role
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        else:
            # A new grading is most often of the financial year under way (April to March).
            today = timezone.localdate()
            kwargs["initial"] = {
                "year": today.year if today.month >= 4 else today.year - 1,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        organisations = _organisations(user)
        if grading is None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
        plans = Plan.objects.visible_to(user).filter(plan_type=PlanType.EDS)
        if grading is not None:
            plans = plans.filter(owner=grading.organisation)
        self.fields["plan"].queryset = plans.order_by("-period_start", "title")  # type: ignore[attr-defined]
        grade_choices = [(grade.value, f"{grade.value} {grade.label}") for grade in EdsGrade]
        for outcome in self.outcomes:
            self.fields[grade_field(outcome.code)] = forms.TypedChoiceField(
                label=f"{outcome.code} {outcome.title}",
                choices=grade_choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[evidence_field(outcome.code)] = forms.CharField(
                label=_("Evidence for %(code)s") % {"code": outcome.code},
                required=False,
                max_length=5_000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for number in range(1, self.grader_count + 1):
            self.fields[f"grader_organisation_{number}"] = forms.ModelChoiceField(
                label=_("Organisation %(number)s") % {"number": number},
                queryset=organisations,
                to_field_name="uuid",
                required=False,
            )
            self.fields[f"grader_role_{number}"] = forms.ChoiceField(
                label=_("Its part in the grading"),
                choices=[("", _("Choose a part")), *GraderRole.choices],
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, self.grader_count + 1):
            organisation = cleaned.get(f"grader_organisation_{number}")
            role = cleaned.get(f"grader_role_{number}")
            if organisation and not role:
                self.add_error(
                    f"grader_role_{number}",
                    _("Choose whether %(organisation)s graded as staff, stakeholders or peers")
                    % {"organisation": organisation.name},
                )
            elif role and not organisation:
                self.add_error(f"grader_organisation_{number}", _("Choose the organisation that took part"))
        return cleaned

    # What the template lays out: the particulars, the outcomes under their domains, and the grader rows.

    @property
    def particulars(self) -> list[BoundField]:
        names = ["organisation", "year", "graded_on", "publish_by", "plan", "evidence"]
        return [self[name] for name in names if name in self.fields]

    @property
    def domains(self) -> list[tuple[str, list[tuple[BoundField, BoundField]]]]:
        return [
            (group, [(self[grade_field(item.code)], self[evidence_field(item.code)]) for item in items])
            for group, items in by_group(self.outcomes)
        ]

    @property
    def grader_rows(self) -> list[tuple[int, BoundField, BoundField]]:
        return [
            (number, self[f"grader_organisation_{number}"], self[f"grader_role_{number}"])
            for number in range(1, self.grader_count + 1)
        ]

    def grading_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ("graded_on", "publish_by", "plan")} | {
            "evidence": self.cleaned_data.get("evidence", "")
        }

    def grades(self) -> dict[str, tuple[int | None, str]]:
        return {
            item.code: (
                self.cleaned_data.get(grade_field(item.code)),
                self.cleaned_data.get(evidence_field(item.code), ""),
            )
            for item in self.outcomes
            if self.cleaned_data.get(grade_field(item.code)) not in (None, "")
        }

    def graders(self) -> list[tuple[Organisation, str]]:
        rows = []
        for number in range(1, self.grader_count + 1):
            organisation = self.cleaned_data.get(f"grader_organisation_{number}")
            role = self.cleaned_data.get(f"grader_role_{number}")
            if organisation and role:
                rows.append((organisation, role))
        return rows

    def typed_grades(self) -> list[int]:
        """The grades as they stand on the form (typed, or the saved ones), for the running total."""
        values = []
        for item in self.outcomes:
            bound = self[grade_field(item.code)]
            raw = bound.value()
            try:
                values.append(int(raw))
            except (TypeError, ValueError):
                continue
        return values


class CompetencyAssessmentForm(PlainErrorsMixin, forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=TemplateItem.objects.none(), empty_label=_("Choose a competency")
    )
    level = forms.ChoiceField(label=_("How far it has got"), choices=CompetencyLevel.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label=_("Evidence"),
        help_text=_(
            "What shows it: reports, survey results, minutes, what communities said. Needed unless not started."
        ),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    assessed_on = DateField(label=_("Date of the assessment"), subject=_("the date of the assessment"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competencies = [item.pk for item in pcref_competencies()]
        self.fields["competency"].queryset = TemplateItem.objects.filter(pk__in=competencies).order_by("order")  # type: ignore[attr-defined]
