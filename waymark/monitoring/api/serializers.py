"""Shapes of the monitoring API: the same indicator tables the pages show, and published snapshots."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waymark.core.api.serializers import SMALL_POSITIVE
from waymark.monitoring import dashboards, national
from waymark.monitoring.choices import Measure
from waymark.monitoring.models import ImportBatch, NationalFigure, PublishedSnapshot

# The import API lists as many errors as the batch page's first page of them.
LISTED_ERRORS = 100
# Django guarantees 0 to 2**31 - 1 for a PositiveIntegerField on every database (see SMALL_POSITIVE).
POSITIVE = {"min_value": 0, "max_value": 2_147_483_647}


class IntervalSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(help_text="Why there is no value or interval, when there is none.")


class GroupRowSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="The analysis group.")
    count = serializers.IntegerField(allow_null=True, help_text="Distinct people; null when suppressed.")
    population = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()
    rate = IntervalSerializer(help_text="Crude rate per `per` people.")
    age_standardised = IntervalSerializer(
        help_text="Directly age-standardised rate (ESP2013, Dobson interval); given with full figures only."
    )
    ratio_to_reference = IntervalSerializer()
    ratio_to_others = IntervalSerializer(help_text="Rate ratio to all other groups together.")
    flag_reference = serializers.CharField(
        help_text='"higher" or "lower" when the 95% (or chosen) interval of the ratio to the reference group lies '
        "wholly above or below 1; empty otherwise."
    )
    flag_others = serializers.CharField(help_text="The same flag for the ratio to all other groups together.")
    is_reference = serializers.BooleanField()
    standardised_method = serializers.CharField(
        help_text="Which standardisation made `age_standardised`: directly standardised (Dobson) from 10 events, "
        "indirectly standardised (observed over expected, Byar's or exact Poisson interval) below."
    )
    unknown_band = IntervalSerializer(
        help_text="When fewer than 95% of the people counted have a known ethnic group: the rate (`value`), and "
        "the rate if none (`lower`) or all (`upper`) of the people of unknown ethnicity were in this group. "
        "With disclosure-controlled figures, worked from the published counts and the rounded unknown count."
    )
    unknown_ratio_band = IntervalSerializer(help_text="The same band for the ratio to the reference group.")
    trend = serializers.CharField(
        help_text='The rate\'s trend over the last five years: "increasing", "decreasing", "no significant '
        'change" or "cannot be calculated" (chi-squared test for trend); empty with fewer than five years.'
    )
    ratio_trend = serializers.CharField(
        help_text="The same for the ratio to the reference group (the test on the group's share of the two "
        "groups' events); empty for the reference group itself."
    )


class IndicatorTableSerializer(serializers.Serializer):
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    grouping_name = serializers.CharField(help_text="The analysis grouping and mapping version the groups come from.")
    reference_group = serializers.CharField()
    confidence = serializers.FloatField()
    per = serializers.IntegerField()
    protected = serializers.BooleanField(help_text="True when the figures passed statistical disclosure control.")
    rows = GroupRowSerializer(many=True)
    total_count = serializers.IntegerField(allow_null=True)
    total_population = serializers.IntegerField(allow_null=True)
    rate_method = serializers.CharField()
    ratio_method = serializers.CharField()
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="Which method made each figure, and why a figure is missing."
    )
    unknown_count = serializers.IntegerField(
        allow_null=True,
        help_text="People of unknown ethnic group: rounded with disclosure-controlled figures, and null when "
        "small enough to be suppressed.",
    )
    completeness = serializers.FloatField(
        allow_null=True, help_text="The share of the people counted whose ethnic group is known."
    )
    trend_period = serializers.CharField(help_text="The five years the trend markers cover; empty when fewer.")


class NationalRowSerializer(serializers.Serializer):
    group = serializers.CharField()
    trust_rate = IntervalSerializer(help_text="The provider's crude rate per 100,000, as its table shows it.")
    england_count = serializers.IntegerField(allow_null=True)
    england_rate = IntervalSerializer(help_text="England's crude rate per 100,000 as published (no interval).")
    england_standardised = IntervalSerializer(help_text="England's standardised rate and interval as published.")
    england_ratio = IntervalSerializer(
        help_text="England's rate ratio to the reference group, from the published counts and the populations "
        "they imply (count ÷ crude rate × 100,000), with its log-normal interval."
    )
    is_reference = serializers.BooleanField()


class NationalComparisonSerializer(serializers.Serializer):
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    year = serializers.CharField(help_text='The financial year of England\'s figures, e.g. "2024-25".')
    published_measure = serializers.CharField(help_text="NHS England's measure, as published.")
    measure_subcategory = serializers.CharField()
    reference_group = serializers.CharField()
    same_year = serializers.BooleanField(help_text="False when England's latest figures are for an earlier year.")
    rows = NationalRowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class DashboardSerializer(serializers.Serializer):
    provider = serializers.UUIDField(source="provider.uuid")
    provider_name = serializers.CharField(source="provider.name")
    area_code = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    financial_year = serializers.IntegerField(source="year", help_text="The year the financial year starts (April).")
    grouping_name = serializers.CharField()
    protected = serializers.BooleanField()
    tables = IndicatorTableSerializer(many=True)
    national = serializers.SerializerMethodField(
        help_text="England's published figures beside the provider's, for the same year or the latest before it."
    )

    @extend_schema_field(NationalComparisonSerializer(many=True))
    def get_national(self, dashboard: Any) -> list[dict]:
        return list(NationalComparisonSerializer(self.context.get("national", []), many=True).data)


class DashboardQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, help_text="Financial year start; the latest with figures if left out."
    )
    area = serializers.CharField(required=False, help_text="ONS code of the area whose population to compare with.")
    reference = serializers.CharField(required=False, help_text="The reference group's label, e.g. White British.")
    confidence = serializers.ChoiceField(choices=["0.95", "0.998"], required=False, default="0.95")


class QualityMonthSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    records = serializers.IntegerField()
    valid_stated = serializers.IntegerField()
    not_stated = serializers.IntegerField()
    not_known = serializers.IntegerField()
    invalid_code = serializers.IntegerField()
    missing_area = serializers.IntegerField()
    completeness = IntervalSerializer(help_text="Share with a valid, stated code, with its 95% Wilson interval.")
    meets_target = serializers.BooleanField(help_text="At or above the 95% completeness target.")


class SnapshotSummarySerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", allow_null=True, default=None)
    area_name = serializers.CharField(source="area.name", allow_null=True, default=None)

    class Meta:
        model = PublishedSnapshot
        fields = ["uuid", "title", "provider_name", "area_name", "period_start", "period_end", "published_on"]


class SnapshotSerializer(SnapshotSummarySerializer):
    tables = serializers.SerializerMethodField()

    class Meta(SnapshotSummarySerializer.Meta):
        fields = [
            *SnapshotSummarySerializer.Meta.fields,
            "grouping_name",
            "methods_note",
            "disclosure_rules",
            "tables",
            "national",
        ]

    national = serializers.SerializerMethodField(
        help_text="England's published figures as the snapshot froze them; empty when its publisher left them out."
    )

    @extend_schema_field(IndicatorTableSerializer(many=True))
    def get_tables(self, snapshot: PublishedSnapshot) -> list[dict]:
        return list(IndicatorTableSerializer(dashboards.snapshot_tables(snapshot), many=True).data)

    @extend_schema_field(NationalComparisonSerializer(many=True))
    def get_national(self, snapshot: PublishedSnapshot) -> list[dict]:
        return list(NationalComparisonSerializer(national.snapshot_comparisons(snapshot.tables), many=True).data)


class ImportProviderSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The row of the file, counting the header as row 1.")
    field = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportErrorCountSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()
    count = serializers.IntegerField()


class ImportBatchSerializer(serializers.ModelSerializer):
    """One uploaded file and what became of it; no record-level rows exist to show."""

    provider = ImportProviderSerializer(allow_null=True, help_text="Null for population files.")
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=Measure.choices), help_text="The measures found in the file."
    )
    error_summary = ImportErrorCountSerializer(many=True, help_text="Every error, counted by field and message.")
    error_total = serializers.IntegerField(help_text="How many errors the file had in all.")
    listed_errors = serializers.SerializerMethodField(help_text=f"The first {LISTED_ERRORS} errors, by row and field.")
    uploaded_by = serializers.SerializerMethodField(help_text="The uploader's display name.")
    replaced: serializers.SlugRelatedField[ImportBatch] = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True, help_text="The batches whose figures this one replaced."
    )

    class Meta:
        model = ImportBatch
        fields = [
            "uuid",
            "kind",
            "status",
            "provider",
            "file_name",
            "file_size",
            "sha256",
            "period_start",
            "period_end",
            "population_year",
            "measures",
            "rows_read",
            "rows_invalid",
            "figures_written",
            "error_total",
            "error_summary",
            "listed_errors",
            "uploaded_by",
            "created_at",
            "finished_at",
            "replaced",
        ]
        extra_kwargs = {
            "population_year": SMALL_POSITIVE,
            "rows_read": POSITIVE,
            "rows_invalid": POSITIVE,
            "figures_written": POSITIVE,
        }

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_listed_errors(self, batch: ImportBatch) -> list[dict]:
        return list(ImportErrorSerializer(batch.errors[:LISTED_ERRORS], many=True).data)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_uploaded_by(self, batch: ImportBatch) -> str | None:
        return batch.uploaded_by.get_full_name() if batch.uploaded_by else None


class NationalQuerySerializer(serializers.Serializer):
    year = serializers.RegexField(
        r"^\d{4}-\d{2}$",
        required=False,
        help_text='Financial year as published, e.g. "2023-24"; every year if left out.',
    )
    measure = serializers.ChoiceField(choices=Measure.choices, required=False)
    group = serializers.CharField(
        required=False, max_length=200, help_text="A Waymark group's label or the label as published, e.g. Caribbean."
    )
    reference = serializers.CharField(
        required=False,
        max_length=200,
        default="White British",
        help_text="The group every ratio is to (a Waymark group's label or the label as published).",
    )
    confidence = serializers.ChoiceField(choices=["0.95", "0.998"], required=False, default="0.95")


class NationalFigureSerializer(serializers.ModelSerializer):
    """England's published figure with the rate ratio to the chosen reference group worked out from it."""

    year = serializers.CharField(source="release.year")
    group = serializers.SerializerMethodField(help_text="The Waymark group the published label maps to, if any.")
    implied_population = serializers.FloatField(
        allow_null=True, help_text="The denominator implied by the count and crude rate: count ÷ rate x 100,000."
    )
    ratio_to_reference = serializers.SerializerMethodField(
        help_text="Rate ratio to the reference group from the published counts and implied denominators "
        "(log-normal interval)."
    )
    reference_group = serializers.SerializerMethodField()

    class Meta:
        model = NationalFigure
        fields = [
            "year",
            "measure",
            "published_measure",
            "measure_subcategory",
            "published_group",
            "level",
            "group",
            "broad_group",
            "mhsds_count",
            "acute_count",
            "total_count",
            "crude_rate",
            "std_rate",
            "std_rate_lower",
            "std_rate_upper",
            "implied_population",
            "ratio_to_reference",
            "reference_group",
        ]
        extra_kwargs = {"mhsds_count": POSITIVE, "acute_count": POSITIVE, "total_count": POSITIVE}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_group(self, figure: NationalFigure) -> str | None:
        return figure.analysis_group.label if figure.analysis_group else None

    @extend_schema_field(IntervalSerializer)
    def get_ratio_to_reference(self, figure: NationalFigure) -> dict:
        interval = self.context["ratios"][figure.pk]
        return {"value": interval.value, "lower": interval.lower, "upper": interval.upper, "reason": interval.reason}

    def get_reference_group(self, figure: NationalFigure) -> str:
        return str(self.context["reference"])
