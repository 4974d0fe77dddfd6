"""Forms of the monitoring pages: uploads, the figures a reader asks for, access grants and publishing."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.core.forms_dates import date_field
from waymark.core.models import Area, EthnicCodeSet, Organisation
from waymark.core.reference_data import NHS_ETHNIC_CATEGORY, ONS_2021
from waymark.core.uploads import check_upload, upload_limits
from waymark.monitoring.choices import Measure
from waymark.monitoring.indicators import CONFIDENCE_LEVELS
from waymark.monitoring.models import AnalysisGroup, AnalysisGrouping, ProviderDataAccess
from waymark.monitoring.models_access import COMMISSIONER_TYPES

POPULATION_KINDS = ("csv", "xlsx")
ACTIVITY_KINDS = ("csv", "xlsx", "parquet")


class UploadForm(PlainErrorsMixin, forms.Form):
    """A file and the code set its ethnic codes come from."""

    kinds: tuple[str, ...] = ()

    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={
            "required": gettext_lazy("Choose the file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    code_set = forms.ModelChoiceField(
        label=gettext_lazy("Ethnic codes in the file"),
        queryset=EthnicCodeSet.objects.order_by("name"),
        empty_label=None,
        error_messages={"required": gettext_lazy("Choose the code set the file's ethnic codes come from.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload, kinds=self.kinds, limits=upload_limits("monitoring"))
        return upload


class PopulationUploadForm(UploadForm):
    kinds = POPULATION_KINDS

    year = forms.IntegerField(
        label=gettext_lazy("Year the counts describe"),
        min_value=1991,
        max_value=2100,
        help_text=gettext_lazy("For example 2021 for the 2021 census."),
        error_messages={"required": gettext_lazy("Enter the year the counts describe.")},
    )
    field_order = ["file", "code_set", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code_set"].initial = EthnicCodeSet.objects.filter(slug=ONS_2021).first()
        self.fields["file"].help_text = _(
            "CSV or XLSX with the columns area_code, ethnic_group_code, age_band, sex and count, "
            "as census tables give them."
        )


class ActivityUploadForm(UploadForm):
    kinds = ACTIVITY_KINDS

    provider = forms.ModelChoiceField(
        label=gettext_lazy("Provider"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("Only providers whose figures you may see are listed."),
        error_messages={"required": gettext_lazy("Choose the provider whose records these are.")},
    )
    aggregated = forms.TypedChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[("false", gettext_lazy("One row per record")), ("true", gettext_lazy("Counts already added up"))],
        coerce=lambda value: value == "true",
        initial="false",
        widget=forms.RadioSelect,
    )
    period_start = DateField(
        label=gettext_lazy("Period start"),
        subject=gettext_lazy("the first day of the period"),
        help_text=gettext_lazy("The first day of the first month the file covers."),
        error_messages={"required": gettext_lazy("Enter the first day of the period.")},
    )
    period_end = DateField(
        label=gettext_lazy("Period end"),
        subject=gettext_lazy("the last day of the period"),
        help_text=gettext_lazy(
            "The last day of the last month. Figures already imported for this provider, period and the "
            "measures in the file are replaced."
        ),
        error_messages={"required": gettext_lazy("Enter the last day of the period.")},
    )
    allow_invalid_codes = forms.BooleanField(
        label=gettext_lazy("Count records with invalid ethnic codes as invalid instead of refusing the file"),
        required=False,
        help_text=gettext_lazy("They appear in data quality; they are never guessed into a group."),
    )
    field_order = ["provider", "file", "aggregated", "code_set", "period_start", "period_end", "allow_invalid_codes"]

    def __init__(self, *args: Any, providers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["code_set"].initial = EthnicCodeSet.objects.filter(slug=NHS_ETHNIC_CATEGORY).first()
        self.fields["file"].help_text = _(
            "One row per record: person_id, ethnic_code, age or age_band, sex, area_code, provider_ods_code, "
            "service, measure and date. CSV, XLSX or Parquet. Person ids are used to count people and then discarded."
        )


class FiguresForm(forms.Form):
    """What a reader asks to see: measure, period, grouping, reference group and confidence. GET, never saved."""

    measure = forms.ChoiceField(label=gettext_lazy("Measure"), choices=Measure.choices, initial=Measure.MHA_DETENTION)
    year = forms.TypedChoiceField(label=gettext_lazy("Financial year"), coerce=int, choices=())
    grouping = forms.ModelChoiceField(
        label=gettext_lazy("Analysis grouping"), queryset=AnalysisGrouping.objects.all(), empty_label=None
    )
    reference = forms.ModelChoiceField(
        label=gettext_lazy("Compare with"),
        queryset=AnalysisGroup.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("Each group's rate is compared with this group's, and with all other groups together."),
    )
    confidence = forms.TypedChoiceField(
        label=gettext_lazy("Confidence level"),
        coerce=float,
        choices=[(str(level), f"{level * 100:g}%") for level in CONFIDENCE_LEVELS],
        initial=str(CONFIDENCE_LEVELS[0]),
    )

    def __init__(self, data: Any, *, years: list[int], **kwargs: Any) -> None:
        grouping = AnalysisGrouping.objects.filter(is_default=True).first() or AnalysisGrouping.objects.first()
        initial = {
            "year": years[0] if years else None,
            "grouping": grouping,
            "reference": grouping.default_reference if grouping else None,
            "measure": Measure.MHA_DETENTION,
            "confidence": str(CONFIDENCE_LEVELS[0]),
        }
        # Missing choices fall back to the defaults, so a bare URL shows the default figures.
        merged: dict[str, Any] = {key: getattr(value, "pk", value) for key, value in initial.items()}
        if data:
            merged.update({key: data[key] for key in data if data[key] not in ("", None)})
        super().__init__(merged, **kwargs)
        self.fields["year"].choices = [(year, _financial_year(year)) for year in years]  # type: ignore[attr-defined]
        chosen = self._chosen_grouping(grouping)
        self.fields["reference"].queryset = AnalysisGroup.objects.filter(grouping=chosen)  # type: ignore[attr-defined]

    def _chosen_grouping(self, default: AnalysisGrouping | None) -> AnalysisGrouping | None:
        key = str(self.data.get("grouping", ""))
        return AnalysisGrouping.objects.filter(pk=int(key)).first() if key.isdigit() else default


def _financial_year(start_year: int) -> str:
    return f"April {start_year} to March {start_year + 1}"


class AreaChoiceForm(forms.Form):
    """Which area's population a provider's figures are compared with."""

    area = forms.ModelChoiceField(label=gettext_lazy("Compare with the population of"), queryset=Area.objects.none())

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class ProviderAccessForm(PlainErrorsMixin, forms.ModelForm):
    """An administrator records a data-sharing agreement between a commissioner and a provider."""

    class Meta:
        model = ProviderDataAccess
        fields = ["provider", "commissioner", "agreement_reference", "agreement_date", "starts_on", "ends_on"]
        field_classes = {
            "agreement_date": date_field(gettext_lazy("the date the agreement was signed")),
            "starts_on": date_field(gettext_lazy("the date access starts")),
            "ends_on": date_field(gettext_lazy("the date access ends")),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(active=True).order_by("name")
        self.fields["provider"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["commissioner"].queryset = organisations.filter(  # type: ignore[attr-defined]
            org_type__in=COMMISSIONER_TYPES
        )
        self.fields["provider"].error_messages["required"] = _("Choose the provider whose figures are shared.")
        self.fields["commissioner"].error_messages["required"] = _("Choose the commissioning organisation.")
        self.fields["agreement_reference"].error_messages["required"] = _("Enter the data-sharing agreement.")
        self.fields["agreement_date"].error_messages["required"] = _("Enter the date the agreement was signed.")


class SnapshotForm(PlainErrorsMixin, forms.Form):
    """An analyst chooses the figures, names and explains the snapshot they are about to publish."""

    provider = forms.ModelChoiceField(
        label=gettext_lazy("Provider"),
        queryset=Organisation.objects.none(),
        error_messages={"required": gettext_lazy("Choose the provider whose figures to publish.")},
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("Financial year"),
        coerce=int,
        choices=(),
        error_messages={"required": gettext_lazy("Choose the financial year to publish.")},
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("Against the population of"),
        queryset=Area.objects.none(),
        error_messages={"required": gettext_lazy("Choose the area whose population the rates use.")},
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter a title for the snapshot.")},
    )
    methods_note = forms.CharField(
        label=gettext_lazy("Methods note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Say where the figures come from, what they mean and what they cannot tell readers. Markdown is allowed."
        ),
        error_messages={"required": gettext_lazy("Write a methods note: readers need to know what the figures mean.")},
    )
    include_national = forms.BooleanField(
        label=gettext_lazy("Show England's published figures beside the provider's"),
        required=False,
        help_text=gettext_lazy(
            "NHS England's Mental Health Act statistics for the same year (or the latest year before it) as "
            "loaded on the England's figures page, with England's rate ratios between groups."
        ),
    )

    def __init__(
        self, *args: Any, providers: QuerySet[Organisation], years: list[int], areas: QuerySet[Area], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["year"].choices = [(year, _financial_year(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class NationalUploadForm(PlainErrorsMixin, forms.Form):
    """England's published Mental Health Act annual statistics table, and the year it is for."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "NHS England's Mental Health Act Statistics, Annual Figures table as CSV or XLSX, with the columns "
            "Year, Measure, measureSubcategory, Demographic, DemographicBreakdown, OrganisationBreakdown, "
            "Datasource, OrgID, OrgName, MHSDS_Count, Acute_Count, Total_Count, CrudeRate, StdRate and "
            "Confidence_interval."
        ),
        error_messages={
            "required": gettext_lazy("Choose the file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    year = forms.CharField(
        label=gettext_lazy("Year"),
        max_length=7,
        help_text=gettext_lazy("The financial year the figures are for, for example 2023-24."),
        error_messages={"required": gettext_lazy("Enter the year the figures are for.")},
    )

    def clean_file(self) -> Any:
        from waymark.core.uploads import UploadLimits
        from waymark.monitoring.imports.national import NATIONAL_MAX_BYTES, NATIONAL_MAX_ROWS

        upload = self.cleaned_data["file"]
        limits = UploadLimits(
            max_bytes=NATIONAL_MAX_BYTES,
            max_members=1_000,
            max_uncompressed_bytes=4 * NATIONAL_MAX_BYTES,
            max_rows=NATIONAL_MAX_ROWS,
        )
        check_upload(upload, kinds=POPULATION_KINDS, limits=limits)
        return upload

    def clean_year(self) -> str:
        from waymark.monitoring.imports.national import check_year

        try:
            return check_year(self.cleaned_data["year"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class FunnelForm(forms.Form):
    """Which figure the providers are compared on (the funnel plot page). GET, never saved."""

    measure = forms.ChoiceField(label=gettext_lazy("Measure"), choices=Measure.choices)
    year = forms.TypedChoiceField(label=gettext_lazy("Financial year"), coerce=int, choices=())
    group = forms.ModelChoiceField(label=gettext_lazy("Ethnic group"), queryset=AnalysisGroup.objects.none())
    statistic = forms.ChoiceField(
        label=gettext_lazy("Compare"),
        choices=[
            ("share", gettext_lazy("The group's share of each provider's people")),
            ("rate", gettext_lazy("The group's rate per 100,000 of its population")),
        ],
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(
        label=gettext_lazy("People living in"),
        queryset=Area.objects.none(),
        help_text=gettext_lazy("Rates use this area's population of the group."),
    )

    def __init__(self, data: Any, *, years: list[int], areas: QuerySet[Area], grouping: AnalysisGrouping) -> None:
        groups = AnalysisGroup.objects.filter(grouping=grouping)
        defaults = {
            "measure": Measure.MHA_DETENTION,
            "year": years[0] if years else None,
            "group": getattr(groups.exclude(pk=grouping.default_reference_id or 0).first(), "pk", None),
            "statistic": "share",
            "area": getattr(areas.filter(area_type="local_authority").first() or areas.first(), "pk", None),
        }
        # Missing choices fall back to the defaults, so a bare URL shows a funnel.
        merged = {**defaults, **{key: data[key] for key in data if data[key] not in ("", None)}}
        super().__init__(merged)
        self.fields["year"].choices = [(year, _financial_year(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
