"""What the voice API returns: feedback items for staff (never demographics or contact details), and the
public record of issues, answers and timeliness exactly as the "you said, we did" pages show it."""

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waymark.core.models import Community, Language, Organisation, Theme
from waymark.core.rest.serializers import BlankAsNullChoiceField, PublishedCountSerializer
from waymark.voice import published
from waymark.voice.choices_items import Sentiment
from waymark.voice.models import Escalation, FeedbackItem, Issue


class FeedbackItemSerializer(serializers.ModelSerializer):
    themes: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    communities: serializers.StringRelatedField[Community] = serializers.StringRelatedField(many=True, read_only=True)
    organisations: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True
    )
    services: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True
    )
    original_language: serializers.SlugRelatedField[Language] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    sentiment = BlankAsNullChoiceField(choices=Sentiment.choices, help_text="Null when nobody has judged it.")

    class Meta:
        model = FeedbackItem
        fields = [
            "uuid",
            "reference",
            "text",
            "english_summary",
            "received_on",
            "how_gathered",
            "source_type",
            "sentiment",
            "themes",
            "communities",
            "organisations",
            "services",
            "original_language",
            "language_confidence",
            "language_corrected",
            "interpreter_needed",
            "consent_to_share",
            "consent_to_publish",
            "safeguarding",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class OrganisationRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()


class PublishedAnswerSerializer(serializers.ModelSerializer):
    """One published answer: who was asked, when, and what they said and changed."""

    responder = OrganisationRefSerializer()
    answered_on = serializers.SerializerMethodField()
    outcome = serializers.CharField(source="response.outcome")
    reasons = serializers.CharField(source="response.reasons")
    what_changed = serializers.CharField(source="response.what_changed")
    text = serializers.CharField(source="response.text")
    recorded_on_behalf = serializers.BooleanField(source="response.on_behalf")

    class Meta:
        model = Escalation
        fields = [
            "responder",
            "sent_at",
            "due_on",
            "answered_on",
            "outcome",
            "reasons",
            "what_changed",
            "text",
            "recorded_on_behalf",
        ]

    @extend_schema_field(OpenApiTypes.DATE)
    def get_answered_on(self, escalation: Escalation) -> str:
        from django.utils import timezone

        return timezone.localdate(escalation.response.created_at).isoformat()


class PublicIssueSerializer(serializers.ModelSerializer):
    themes: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    communities: serializers.StringRelatedField[Community] = serializers.StringRelatedField(many=True, read_only=True)
    answers = PublishedAnswerSerializer(source="published_escalations", many=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Issue
        fields = ["uuid", "title", "description", "status", "themes", "communities", "answers", "page"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, issue: Issue) -> str:
        url = reverse("voice:you_said_we_did_issue", args=[issue.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PublicIssueDetailSerializer(PublicIssueSerializer):
    """An issue with how much feedback it grew from (disclosure-controlled) and consented quotes."""

    feedback_count = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()

    class Meta(PublicIssueSerializer.Meta):
        fields = [*PublicIssueSerializer.Meta.fields, "feedback_count", "quotes"]

    @extend_schema_field(PublishedCountSerializer)
    def get_feedback_count(self, issue: Issue) -> dict[str, Any]:
        count = published.item_count(issue)
        return {"value": count.value, "suppressed": count.suppressed, "reason": count.reason}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_quotes(self, issue: Issue) -> list[str]:
        return [quote.text for quote in published.publishable_quotes(issue)]


class TimelinessSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    sent = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    waiting = serializers.IntegerField()
    overdue = serializers.IntegerField()
    on_time_percent = serializers.IntegerField(allow_null=True)
