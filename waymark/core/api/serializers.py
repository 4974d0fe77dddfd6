"""API representations of the shared ground. Writes go through waymark.core.services."""

from rest_framework import serializers

from waymark.core.models import (
    Area,
    Community,
    EthnicCodeSet,
    EthnicGroup,
    Language,
    Organisation,
    Postcode,
    Sector,
    Theme,
)
from waymark.core.services import ORGANISATION_FIELDS

# Django guarantees 0 to 32767 for a PositiveSmallIntegerField on every database; saying so keeps the
# schema the same on SQLite (which would advertise 2**63 - 1) and PostgreSQL.
SMALL_POSITIVE = {"min_value": 0, "max_value": 32767}


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail", lookup_field="uuid")
    sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, required=False, queryset=Sector.objects.all(), help_text="Sector slugs."
    )

    class Meta:
        model = Organisation
        fields = ["uuid", "url", *ORGANISATION_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["uuid", "created_at", "updated_at"]


class AreaSummarySerializer(serializers.ModelSerializer):
    """An area named inside another record: enough to show it and to look it up."""

    class Meta:
        model = Area
        fields = ["code", "name", "area_type", "vintage"]
        extra_kwargs = {"vintage": SMALL_POSITIVE}


class AreaSerializer(serializers.ModelSerializer):
    parent = AreaSummarySerializer(read_only=True, allow_null=True)
    best_fit_ward = AreaSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Area
        fields = ["id", "code", "name", "area_type", "vintage", "parent", "best_fit_ward"]
        extra_kwargs = {"vintage": SMALL_POSITIVE}


class PostcodeSerializer(serializers.ModelSerializer):
    lsoa = AreaSummarySerializer(read_only=True, allow_null=True)
    ward = AreaSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Postcode
        fields = ["postcode", "district", "latitude", "longitude", "lsoa", "ward"]


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name", "native_name", "direction"]


class EthnicGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = EthnicGroup
        fields = ["code", "label", "high_level_group", "is_stated", "sort_order"]
        extra_kwargs = {"sort_order": SMALL_POSITIVE}


class EthnicGroupReferenceSerializer(serializers.ModelSerializer):
    """An ethnic group named from elsewhere, with the code set that gives its code a meaning."""

    code_set: serializers.SlugRelatedField[EthnicCodeSet] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = EthnicGroup
        fields = ["code_set", "code", "label"]


class EthnicCodeSetSerializer(serializers.ModelSerializer):
    groups = EthnicGroupSerializer(many=True, read_only=True)

    class Meta:
        model = EthnicCodeSet
        fields = ["slug", "name", "version", "source_url", "groups"]


class CommunitySerializer(serializers.ModelSerializer):
    language: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    ethnic_groups = EthnicGroupReferenceSerializer(many=True, read_only=True)

    class Meta:
        model = Community
        fields = ["id", "name", "kind", "description", "language", "ethnic_groups"]


class ThemeSerializer(serializers.ModelSerializer):
    # DRF moves declared fields off the class, so this does not replace Field.parent; mypy cannot know that.
    parent: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Theme
        fields = ["slug", "name", "description", "parent"]
