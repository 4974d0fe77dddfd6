"""Shapes of the rest of the Open Referral UK profile: /taxonomies, /taxonomy_terms, /service_at_locations
and /organizations (HSDS 3.0), for the OpenAPI schema and for reading the query.

The answers are built by ``directory.hsds.export`` (``export_taxonomy``, ``export_taxonomy_term``,
``export_service_at_location``, ``export_organisation``); a test checks every answer against these and
against the profile's own schemas.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from waymark.directory.api.serializers import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    HsdsLocationSerializer,
    HsdsOrganizationSerializer,
    HsdsServiceSerializer,
    HsdsTaxonomySerializer,
    HsdsTaxonomyTermSerializer,
    ServiceQuerySerializer,
)
from waymark.directory.hsds.published import Origin
from waymark.directory.search import locate

# Further than this from a postcode is not "nearby" for a borough's directory, and a typing slip.
MAX_PROXIMITY_METRES = 100_000


class PageSerializer(serializers.Serializer):
    """The Open Referral UK page format; each list names what its ``contents`` hold."""

    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField(help_text="How many items are on this page.")
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField(help_text="True when nothing matched.")


class HsdsTaxonomyPageSerializer(PageSerializer):
    contents = HsdsTaxonomySerializer(many=True)


class HsdsTaxonomyTermPageSerializer(PageSerializer):
    contents = HsdsTaxonomyTermSerializer(many=True)


class HsdsOrganizationBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    website = serializers.URLField(required=False)


class HsdsServiceSummarySerializer(serializers.Serializer):
    """A service's own fields (Open Referral UK service_list), with its organisation's basic fields."""

    id = serializers.UUIDField()
    organization_id = serializers.UUIDField()
    name = serializers.CharField()
    alternate_name = serializers.CharField(required=False)
    description = serializers.CharField()
    url = serializers.URLField(required=False)
    email = serializers.EmailField(required=False)
    status = serializers.ChoiceField(choices=["active", "temporarily closed"])
    minimum_age = serializers.IntegerField(required=False)
    maximum_age = serializers.IntegerField(required=False)
    assured_date = serializers.DateField(help_text="When the details were last checked.", required=False)
    organization = HsdsOrganizationBriefSerializer()


class HsdsServiceAtLocationBriefSerializer(serializers.Serializer):
    """A public service at one of its places: the place as the public may see it, the service in brief."""

    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    location = HsdsLocationSerializer()
    service = HsdsServiceSummarySerializer()


class HsdsServiceAtLocationFullSerializer(serializers.Serializer):
    """A public service at one of its places, with the service fully nested."""

    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    location = HsdsLocationSerializer()
    service = HsdsServiceSerializer()


class HsdsServiceAtLocationPageSerializer(PageSerializer):
    contents = HsdsServiceAtLocationBriefSerializer(many=True)


class HsdsOrganizationPageSerializer(PageSerializer):
    contents = HsdsOrganizationSerializer(many=True)


class HsdsOrganizationWithServicesSerializer(HsdsOrganizationSerializer):
    services = HsdsServiceSummarySerializer(
        many=True, help_text="Its public services: in brief, or fully nested with full_service=true."
    )


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1, default=1, help_text="Page number, from 1.")
    per_page = serializers.IntegerField(
        required=False,
        min_value=1,
        default=DEFAULT_PER_PAGE,
        help_text=f"Items per page (at most {MAX_PER_PAGE}; more gives {MAX_PER_PAGE}).",
    )


class TaxonomyTermQuerySerializer(PageQuerySerializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words in the term's name, code or description."
    )
    taxonomy_id = serializers.UUIDField(required=False, help_text="Only terms of this taxonomy.")
    parent_id = serializers.UUIDField(required=False, help_text="Only the terms directly under this term.")
    top_only = serializers.BooleanField(
        required=False, default=False, help_text="Only the terms at the top of their taxonomy (with no parent)."
    )


class OrganizationQuerySerializer(PageQuerySerializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Words in the organisation's name."
    )


class OrganizationDetailQuerySerializer(serializers.Serializer):
    full_service = serializers.BooleanField(
        required=False, default=False, help_text="Nest each public service in full rather than in brief."
    )


class ServiceAtLocationQuerySerializer(ServiceQuerySerializer):
    """The Open Referral UK parameters of /service_at_locations (the /services ones, then postcode and
    proximity), HSDS 3.0's organization_id, then Waymark's own filters."""

    postcode = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10,
        help_text="Nearest first from this postcode (or postcode district, e.g. RV1); places the public "
        "may not see placed come last. An unknown postcode is a 400.",
    )
    proximity = serializers.FloatField(
        required=False,
        min_value=1,
        max_value=MAX_PROXIMITY_METRES,
        help_text=f"Only places within this many metres of the postcode (1 to {MAX_PROXIMITY_METRES}); needs postcode.",
    )

    def validate(self, attrs: dict) -> dict:
        """Finds the postcode once: ``origin`` is where to measure from (with the proximity), or None."""
        attrs = super().validate(attrs)
        postcode, proximity = attrs.get("postcode", "").strip(), attrs.get("proximity")
        attrs["origin"] = None
        if postcode:
            place = locate(postcode)
            if place.latitude is None or place.longitude is None:
                raise serializers.ValidationError(
                    {
                        "postcode": _(
                            "We could not find “%(postcode)s”: give a UK postcode, like RV1 2AB, "
                            "or its district, like RV1."
                        )
                        % {"postcode": postcode}
                    }
                )
            attrs["origin"] = Origin(place.latitude, place.longitude, proximity)
        elif proximity is not None:
            raise serializers.ValidationError({"proximity": _("Give a postcode to measure the proximity from.")})
        return attrs
