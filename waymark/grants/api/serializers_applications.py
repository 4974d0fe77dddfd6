"""Applications for grants officers: who applied, for what, the answers, and where the application is.

The contact's details are in it: the endpoint is for grants officers only (``grant_application.view``), and
its rows come from ``visible_to``, so an officer never reads one they declared a conflict on."""

from rest_framework import serializers

from waymark.core.models import Community
from waymark.grants.models import Application, Attachment


class ApplicationAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["uuid", "title", "uploaded_at"]


class GrantApplicationSerializer(serializers.ModelSerializer):
    programme = serializers.UUIDField(source="programme.uuid", read_only=True)
    programme_code = serializers.CharField(source="programme.code", read_only=True)
    organisation = serializers.UUIDField(source="organisation.uuid", read_only=True, allow_null=True)
    beneficiary_area_code = serializers.CharField(source="beneficiary_area.code", read_only=True, allow_null=True)
    communities: serializers.SlugRelatedField[Community] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    attachments = ApplicationAttachmentSerializer(many=True, read_only=True)
    # core's organisation types, named once in the schema (OrgTypeEnum on organisations)
    organisation_type = serializers.CharField(read_only=True, help_text="One of core's organisation types, or blank.")
    # blank until a grants officer has screened the application
    screening_outcome = serializers.CharField(
        read_only=True, help_text="eligible or ineligible once screened; blank before."
    )

    class Meta:
        model = Application
        fields = [
            "uuid",
            "reference",
            "programme",
            "programme_code",
            "status",
            "channel",
            "language",
            "applicant_kind",
            "contact_name",
            "contact_email",
            "contact_phone",
            "organisation",
            "organisation_name",
            "organisation_type",
            "charity_number",
            "company_number",
            "mutual_number",
            "postcode",
            "project_title",
            "project_summary",
            "amount_requested",
            "starts_on",
            "ends_on",
            "beneficiary_area_code",
            "communities",
            "answers",
            "eligibility_flags",
            "screening_outcome",
            "screening_reason",
            "attachments",
            "created_at",
            "submitted_at",
        ]
        read_only_fields = fields
