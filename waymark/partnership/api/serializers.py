"""What the partnership API returns: the consultation calendar as its pages show it, to the people they show
it to. The lead's contact goes to working users, who plan consultations and need to reach each other; the
public gets the lead body and where to take part."""

from typing import Any

from rest_framework import serializers

from waymark.core import policy
from waymark.core.models import Community, Organisation, Theme
from waymark.core.rest.serializers import BlankAsNullEmailField, BlankAsNullURLField
from waymark.partnership.models import Consultation


class ConsultationOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["uuid", "name"]


class ConsultationThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


class ConsultationCommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name"]


class ConsultationSerializer(serializers.ModelSerializer):
    lead_organisation = ConsultationOrganisationSerializer(read_only=True)
    themes = ConsultationThemeSerializer(many=True, read_only=True)
    communities = ConsultationCommunitySerializer(many=True, read_only=True)
    public_link = BlankAsNullURLField()
    report_url = BlankAsNullURLField()
    # The lead's contact: null for callers who are not working users.
    contact_name = serializers.CharField(read_only=True, allow_null=True)
    contact_email = BlankAsNullEmailField()
    contact_phone = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "uuid",
            "title",
            "purpose",
            "status",
            "method",
            "starts_on",
            "ends_on",
            "lead_organisation",
            "themes",
            "communities",
            "public_link",
            "report_summary",
            "report_url",
            "reported_on",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policy.can(request.user, "consultation.view"):
            for field in ("contact_name", "contact_email", "contact_phone"):
                data[field] = None
        return data
