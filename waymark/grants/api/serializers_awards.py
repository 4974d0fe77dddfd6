"""Published awards in 360Giving's shape: each grant is the record ``grants.open_data`` writes to the files, so
the API, the page's downloads and ``manage.py export_360giving`` can never disagree. The fields are declared so
that the OpenAPI schema describes the record; the values come from ``open_data.grant_record``."""

from typing import Any

from rest_framework import serializers

from waymark.grants import open_data


class PublishedAwardSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The 360Giving grant identifier.")
    title = serializers.CharField()
    description = serializers.CharField()
    currency = serializers.CharField(help_text="Always GBP.")
    amountAppliedFor = serializers.FloatField(required=False)
    amountAwarded = serializers.FloatField()
    amountDisbursed = serializers.FloatField(help_text="What has been paid so far.")
    awardDate = serializers.DateField()
    plannedDates = serializers.ListField(child=serializers.DictField(), required=False)
    recipientOrganization = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="Identifier, name and the ward (ONS code) it is in."
    )
    recipientIndividual = serializers.DictField(
        required=False, help_text="A grant to a person: a funder's identifier and a generic name, nothing more."
    )
    beneficiaryLocation = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="The area served, as an ONS code."
    )
    fundingOrganization = serializers.ListField(child=serializers.DictField())
    grantProgramme = serializers.ListField(child=serializers.DictField())
    fromOpenCall = serializers.CharField()
    dateModified = serializers.DateTimeField()
    deiDetails = serializers.DictField(
        required=False,
        help_text="360Giving DEI extension: answers only with the group's permission, never for a grant to a person.",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return open_data.grant_record(instance) or {}
