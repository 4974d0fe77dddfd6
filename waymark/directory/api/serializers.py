"""Shapes of the Open Referral UK endpoints, for the OpenAPI schema and for reading the query.

The responses themselves are built by ``directory.hsds.export.export_service(public=True)``; these
serializers describe that shape field by field (a test checks every response against them). Field
names are HSDS 3.0's; fields that are only present when they have a value are not required.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from waymark.directory.choices import WEEKDAY_BY_INDEX, Weekday

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
_DAY_NAMES = dict(
    zip(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], WEEKDAY_BY_INDEX, strict=True)
)


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Who publishes this directory (the site's operator).")
    identifier = serializers.CharField(
        required=False, help_text="The publisher's organisation identifier (org-id.guide form, e.g. GB-LAE-ABC)."
    )
    url = serializers.URLField(help_text="The publisher's site.")


class DirectoryInfoSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="The HSDS version this API follows.")
    profile = serializers.URLField(help_text="The HSDS profile this API follows: Open Referral UK.")
    openapi_url = serializers.URLField(help_text="The OpenAPI schema that defines this API.")
    publisher = PublisherSerializer(help_text="Who publishes this directory.")


class HsdsTaxonomySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    uri = serializers.URLField(required=False)
    version = serializers.CharField(required=False)


class HsdsTaxonomyTermSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    parent_id = serializers.UUIDField(required=False)
    taxonomy = serializers.CharField(help_text="The name of the taxonomy.")
    taxonomy_id = serializers.UUIDField()
    taxonomy_detail = HsdsTaxonomySerializer()


class HsdsAttributeSerializer(serializers.Serializer):
    """A taxonomy term attached to a record: a need a service meets, or one of Waymark's details
    (taxonomy "Waymark service details"), whose ``value`` holds the fact."""

    id = serializers.UUIDField()
    link_id = serializers.UUIDField()
    taxonomy_term_id = serializers.UUIDField()
    link_entity = serializers.CharField(help_text="The table of link_id: service, organization, location…")
    value = serializers.CharField(required=False)
    taxonomy_term = HsdsTaxonomyTermSerializer()


class HsdsPhoneSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField(required=False)
    contact_id = serializers.UUIDField(required=False)
    number = serializers.CharField()


class HsdsAddressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    address_1 = serializers.CharField(allow_blank=True, help_text="Empty where only the postcode district is shown.")
    address_2 = serializers.CharField(required=False)
    city = serializers.CharField(allow_blank=True)
    state_province = serializers.CharField()
    postal_code = serializers.CharField(help_text="The postcode, or only its district (e.g. RV1) for a private place.")
    country = serializers.CharField()
    address_type = serializers.CharField()


class HsdsAccessibilitySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    description = serializers.CharField()


class HsdsLocationSerializer(serializers.Serializer):
    """A place the service is delivered. Refuges and people's homes show only a postcode district
    (no street, no coordinates) or nothing but "Contact to arrange"."""

    id = serializers.UUIDField()
    location_type = serializers.CharField()
    organization_id = serializers.UUIDField()
    name = serializers.CharField(required=False)
    latitude = serializers.FloatField(required=False)
    longitude = serializers.FloatField(required=False)
    addresses = HsdsAddressSerializer(many=True, required=False)
    accessibility = HsdsAccessibilitySerializer(many=True)


class HsdsServiceAtLocationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    location = HsdsLocationSerializer()


class HsdsScheduleSerializer(serializers.Serializer):
    """Weekly hours (freq WEEKLY, one byday) or holiday dates (valid_from to valid_to, no freq;
    closed unless opens_at and closes_at are given)."""

    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    freq = serializers.ChoiceField(choices=["WEEKLY"], required=False)
    byday = serializers.ChoiceField(choices=Weekday.values, required=False)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False)
    description = serializers.CharField(required=False)
    opens_at = serializers.CharField(help_text="HH:MM, local time.", required=False)
    closes_at = serializers.CharField(help_text="HH:MM, local time.", required=False)
    notes = serializers.CharField(required=False)


class HsdsLanguageSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    name = serializers.CharField()
    code = serializers.CharField(help_text="ISO 639-3 code.")


class HsdsOrganizationIdentifierSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    organization_id = serializers.UUIDField()
    identifier_scheme = serializers.CharField(help_text="org-id.guide scheme: GB-CHC, GB-COH or GB-NHS.")
    identifier_type = serializers.CharField()
    identifier = serializers.CharField()


class HsdsOrganizationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    alternate_name = serializers.CharField(required=False)
    description = serializers.CharField(allow_blank=True)
    website = serializers.URLField(required=False)
    organization_identifiers = HsdsOrganizationIdentifierSerializer(many=True)
    attributes = HsdsAttributeSerializer(many=True)


class HsdsCostOptionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    option = serializers.CharField()
    amount = serializers.FloatField(help_text="0 for a free service.", required=False)
    currency = serializers.CharField(required=False)
    amount_description = serializers.CharField(required=False)


class HsdsContactSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    service_id = serializers.UUIDField()
    title = serializers.CharField(help_text="The role to ask for, such as 'Duty worker'.")
    name = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    phones = HsdsPhoneSerializer(many=True)
    attributes = HsdsAttributeSerializer(many=True)


class HsdsMetadataSerializer(serializers.Serializer):
    """Provenance (HSDS metadata): a service read from a neighbouring directory's feed names its publisher
    (``updated_by``, with the feed's address), its id there (``previous_value``) and the day Waymark last
    found it there (``last_action_date``)."""

    id = serializers.UUIDField()
    resource_id = serializers.UUIDField()
    resource_type = serializers.CharField()
    last_action_date = serializers.DateField()
    last_action_type = serializers.CharField()
    field_name = serializers.CharField()  # type: ignore[assignment]  # HSDS's name; DRF takes fields off the class
    previous_value = serializers.CharField()
    replacement_value = serializers.CharField()
    updated_by = serializers.CharField()


class HsdsServiceSerializer(serializers.Serializer):
    """A fully nested service, as Open Referral UK defines it, with HSDS 3.0's extra fields."""

    id = serializers.UUIDField()
    organization_id = serializers.UUIDField()
    name = serializers.CharField()
    alternate_name = serializers.CharField(required=False)
    description = serializers.CharField()
    url = serializers.URLField(required=False)
    email = serializers.EmailField(required=False)
    status = serializers.ChoiceField(choices=["active", "temporarily closed"])
    interpretation_services = serializers.CharField(required=False)
    application_process = serializers.CharField(help_text="How to get in.", required=False)
    fees_description = serializers.CharField(required=False)
    eligibility_description = serializers.CharField(required=False)
    minimum_age = serializers.IntegerField(required=False)
    maximum_age = serializers.IntegerField(required=False)
    assured_date = serializers.DateField(help_text="When the details were last checked.", required=False)
    phones = HsdsPhoneSerializer(many=True)
    schedules = HsdsScheduleSerializer(many=True)
    service_at_locations = HsdsServiceAtLocationSerializer(many=True)
    languages = HsdsLanguageSerializer(many=True)
    organization = HsdsOrganizationSerializer()
    cost_options = HsdsCostOptionSerializer(many=True)
    contacts = HsdsContactSerializer(many=True)
    attributes = HsdsAttributeSerializer(many=True)
    metadata = HsdsMetadataSerializer(
        many=True, required=False, help_text="Where the service came from, when it was read from another directory."
    )


class HsdsServicePageSerializer(serializers.Serializer):
    """One page of services, in the Open Referral UK page format."""

    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField(help_text="How many services are on this page.")
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField(help_text="True when no service matched.")
    contents = HsdsServiceSerializer(many=True)


class ServiceQuerySerializer(serializers.Serializer):
    """The Open Referral UK query parameters, then Waymark's own filters."""

    search = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Words to search for.")
    page = serializers.IntegerField(required=False, min_value=1, default=1, help_text="Page number, from 1.")
    per_page = serializers.IntegerField(
        required=False,
        min_value=1,
        default=DEFAULT_PER_PAGE,
        help_text=f"Services per page (at most {MAX_PER_PAGE}; more gives {MAX_PER_PAGE}).",
    )
    taxonomy_term_id = serializers.UUIDField(
        required=False, help_text="Services meeting this need (taxonomy term id) or any need under it."
    )
    taxonomy_id = serializers.UUIDField(required=False, help_text="Services with any term of this taxonomy.")
    organization_id = serializers.UUIDField(
        required=False, help_text="Only services this organisation runs (HSDS 3.0)."
    )
    minimum_age = serializers.IntegerField(
        required=False, min_value=0, max_value=150, help_text="Services open to someone at least this old."
    )
    maximum_age = serializers.IntegerField(
        required=False, min_value=0, max_value=150, help_text="Services open to someone no older than this."
    )
    day = serializers.CharField(
        required=False, help_text="Open on this day: a weekday name (Monday) or an iCalendar BYDAY code (MO)."
    )
    start_time = serializers.TimeField(
        required=False, input_formats=["%H:%M", "%H:%M:%S"], help_text="Open at some time after this (HH:MM)."
    )
    end_time = serializers.TimeField(
        required=False, input_formats=["%H:%M", "%H:%M:%S"], help_text="Open at some time before this (HH:MM)."
    )
    language = serializers.CharField(required=False, max_length=3, help_text="A language spoken: ISO 639-3 code.")
    community = serializers.IntegerField(required=False, help_text="A community served: its id in /communities/.")
    ward = serializers.CharField(required=False, max_length=12, help_text="A ward's ONS code, e.g. E05000001.")
    referral = serializers.ChoiceField(
        required=False, choices=["self", "professional", "gp"], help_text="Who may refer."
    )
    open_now = serializers.BooleanField(required=False, default=False, help_text="Only services open now.")
    free = serializers.BooleanField(required=False, default=False, help_text="Only free services.")
    postcode = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="Nearest first from this postcode (or district)."
    )

    def validate_day(self, value: str) -> str:
        day = value.strip()
        if day.upper() in Weekday.values:
            return day.upper()
        if day.lower() in _DAY_NAMES:
            return _DAY_NAMES[day.lower()]
        raise serializers.ValidationError(_("Give a weekday name, like Monday, or a code, like MO."))

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("start_time"), attrs.get("end_time")
        if isinstance(start, datetime.time) and isinstance(end, datetime.time) and end <= start:
            raise serializers.ValidationError({"end_time": _("The end time must be after the start time.")})
        low, high = attrs.get("minimum_age"), attrs.get("maximum_age")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"maximum_age": _("The maximum age must not be below the minimum.")})
        return attrs
