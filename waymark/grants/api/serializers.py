"""What the grants API returns. A programme is public once published: everything an applicant needs to decide
whether to apply (who may, how much, the timetable it promises, the questions with their word limits, how
applications are scored and what reporting follows), and nothing about anyone who applied."""

from rest_framework import serializers

from waymark.core.api.serializers import SMALL_POSITIVE
from waymark.core.models import Area, Community, Organisation
from waymark.grants.models import Criterion, EligibilityQuestion, Programme, Question, ReportingTier


class GrantFunderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["uuid", "name"]


class GrantAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["code", "name", "area_type"]


class GrantCommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["id", "name"]


class GrantEligibilityQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EligibilityQuestion
        fields = ["text", "required_answer", "explanation"]


class GrantQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["key", "text", "help_text", "word_limit", "required"]
        extra_kwargs = {"word_limit": SMALL_POSITIVE}


class GrantCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["title", "guidance", "weight"]
        extra_kwargs = {"weight": SMALL_POSITIVE}


class GrantReportingTierSerializer(serializers.ModelSerializer):
    questions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ReportingTier
        fields = ["up_to_amount", "questions", "months_after_start"]
        extra_kwargs = {"months_after_start": SMALL_POSITIVE}


class GrantProgrammeSerializer(serializers.ModelSerializer):
    funder = GrantFunderSerializer(read_only=True)
    eligible_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(
        child=serializers.CharField(), source="offered_languages", read_only=True, help_text="English first."
    )
    areas = GrantAreaSerializer(many=True, read_only=True)
    communities = GrantCommunitySerializer(many=True, read_only=True)
    eligibility_questions = GrantEligibilityQuestionSerializer(many=True, read_only=True)
    questions = GrantQuestionSerializer(many=True, read_only=True)
    criteria_set = GrantCriterionSerializer(many=True, read_only=True)
    reporting_tiers = GrantReportingTierSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "uuid",
            "code",
            "title",
            "funder",
            "summary",
            "criteria",
            "priorities",
            "budget",
            "minimum_award",
            "maximum_award",
            "eligible_types",
            "accepts_individuals",
            "areas",
            "communities",
            "opens_on",
            "closes_on",
            "decision_by",
            "payment_by",
            "languages",
            "panel_enabled",
            "published",
            "eligibility_questions",
            "questions",
            "criteria_set",
            "reporting_tiers",
        ]
