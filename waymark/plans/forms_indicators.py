"""The form an analyst fills in to follow a monitoring figure on an action or objective. It checks what is typed;
the service (``plans.services.indicators``) checks the figure can be seen and answered, and saves."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from waymark.core.forms import PlainErrorsMixin
from waymark.core.models import Area, Organisation
from waymark.monitoring import dashboards
from waymark.monitoring.choices import Measure
from waymark.monitoring.models import AnalysisGroup, AnalysisGrouping
from waymark.plans.choices import Direction, Statistic

FORM_FIELDS = (
    "title",
    "measure",
    "provider",
    "area",
    "grouping",
    "group",
    "reference_group",
    "statistic",
    "target",
    "direction",
    "baseline_year",
)


def group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every grouping's groups, under the grouping's name (the service checks the group is in the one chosen)."""
    choices: dict[str, list[tuple[str, str]]] = {}
    for group in AnalysisGroup.objects.select_related("grouping").order_by("grouping__name", "sort_order"):
        choices.setdefault(group.grouping.name, []).append((group.label, group.label))
    return list(choices.items())


class IndicatorForm(PlainErrorsMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: detention rate ratio, Black Caribbean against White British."),
    )
    measure = forms.ChoiceField(
        label=gettext_lazy("Measure"),
        choices=Measure.choices,
        error_messages={"required": gettext_lazy("Choose the measure to follow.")},
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Provider"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Only providers whose figures you may see unsuppressed are listed."),
        error_messages={
            "required": gettext_lazy("Choose the provider whose figures to follow."),
            "invalid_choice": gettext_lazy(
                "You may not see this provider's figures unsuppressed, so you cannot set a target on them."
            ),
        },
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Against the population of"),
        queryset=Area.objects.none(),
        help_text=gettext_lazy("Where the people counted live; rates use this area's population."),
        error_messages={"required": gettext_lazy("Choose the area whose population the rates use.")},
    )
    grouping = forms.ModelChoiceField(
        label=gettext_lazy("Analysis grouping"),
        queryset=AnalysisGrouping.objects.none(),
        error_messages={"required": gettext_lazy("Choose the analysis grouping.")},
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Group"),
        choices=(),
        error_messages={"required": gettext_lazy("Choose the group the action is for.")},
    )
    reference_group = forms.ChoiceField(
        label=gettext_lazy("Compared with"),
        choices=(),
        help_text=gettext_lazy("The reference group, for a rate ratio against it."),
        error_messages={"required": gettext_lazy("Choose the reference group.")},
    )
    statistic = forms.ChoiceField(
        label=gettext_lazy("Figure"),
        choices=Statistic.choices,
        initial=Statistic.RATIO_TO_REFERENCE,
        error_messages={"required": gettext_lazy("Choose which figure to follow.")},
    )
    target = forms.FloatField(
        label=gettext_lazy("Target"),
        min_value=0,
        help_text=gettext_lazy("For a rate ratio, 1 means no difference; for a rate, people per 100,000."),
        error_messages={
            "required": gettext_lazy("Enter the target."),
            "invalid": gettext_lazy("Enter the target as a number, for example 1.5."),
        },
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Which side of the target is better"),
        choices=Direction.choices,
        initial=Direction.AT_MOST,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose which side of the target is better.")},
    )
    baseline_year = forms.TypedChoiceField(
        label=gettext_lazy("Baseline year"),
        coerce=int,
        choices=(),
        help_text=gettext_lazy("The financial year the work started from; a completed action should move from it."),
        error_messages={"required": gettext_lazy("Choose the baseline year.")},
    )

    def __init__(self, *args: Any, providers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["area"].queryset = dashboards.areas_with_population()  # type: ignore[attr-defined]
        self.fields["grouping"].queryset = AnalysisGrouping.objects.order_by("-is_default", "name")  # type: ignore[attr-defined]
        groups = group_choices()
        self.fields["group"].choices = [("", ""), *groups]  # type: ignore[attr-defined]
        self.fields["reference_group"].choices = [("", ""), *groups]  # type: ignore[attr-defined]
        years = sorted(dashboards.years_for(), reverse=True)
        self.fields["baseline_year"].choices = [  # type: ignore[attr-defined]
            (year, dashboards.financial_year_label(year)) for year in years
        ]
        if not self.is_bound and "grouping" not in self.initial:
            grouping = AnalysisGrouping.objects.filter(is_default=True).select_related("default_reference").first()
            if grouping is not None:
                self.initial["grouping"] = grouping
                if grouping.default_reference is not None:
                    self.initial.setdefault("reference_group", grouping.default_reference.label)

    def values(self) -> dict[str, Any]:
        """What the service is asked to save."""
        return {name: self.cleaned_data[name] for name in FORM_FIELDS}
