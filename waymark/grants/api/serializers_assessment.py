"""What the assessments API returns: an assessor's own seats. The list names the applicant and the project
(enough to declare an interest); a seat's detail, with the application's answers, opens only as the page does:
to its assessor, after declaring no conflict."""

from typing import Any

from rest_framework import serializers

from waymark.grants import scoring
from waymark.grants.choices import PanelRecommendation
from waymark.grants.models import Assessment, Score
from waymark.grants.services.assessment import COMMENT_LIMIT, JUSTIFICATION_LIMIT, TOP_SCORE


class SeatSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference", read_only=True)
    programme = serializers.CharField(source="application.programme.title", read_only=True)
    applicant = serializers.CharField(source="application.applicant_name", read_only=True)
    project_title = serializers.CharField(source="application.project_title", read_only=True)

    class Meta:
        model = Assessment
        fields = ["uuid", "reference", "programme", "applicant", "project_title", "role", "status", "assigned_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    criterion_id = serializers.IntegerField(source="criterion.pk", read_only=True)
    criterion = serializers.CharField(source="criterion.title", read_only=True)
    weight = serializers.IntegerField(source="criterion.weight", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion_id", "criterion", "weight", "score", "justification"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    key = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class OpenSeatSerializer(SeatSerializer):
    """A seat its assessor may open: the application's words, their scores and the weighted score."""

    project_summary = serializers.CharField(source="application.project_summary", read_only=True)
    amount_requested = serializers.DecimalField(
        source="application.amount_requested", max_digits=12, decimal_places=2, read_only=True
    )
    answers = serializers.SerializerMethodField()
    scores = ScoreSerializer(many=True, read_only=True)
    weighted_score = serializers.SerializerMethodField()

    class Meta(SeatSerializer.Meta):
        fields = [
            *SeatSerializer.Meta.fields,
            "project_summary",
            "amount_requested",
            "answers",
            "scores",
            "weighted_score",
            "recommendation",
            "overall_comment",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_answers(self, seat: Assessment) -> list[dict[str, str]]:
        application = seat.application
        return AnswerSerializer(
            [
                {"key": q.key, "question": q.text, "answer": application.answers.get(q.key, "")}
                for q in application.programme.questions.all()
            ],
            many=True,
        ).data  # type: ignore[return-value]

    def get_weighted_score(self, seat: Assessment) -> str | None:
        score = scoring.weighted_score(seat)
        return None if score is None else str(score)


class ScoreInputSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=TOP_SCORE, allow_null=True, help_text="Null for N/A.")
    justification = serializers.CharField(max_length=JUSTIFICATION_LIMIT, allow_blank=True, default="")


class ScoringSerializer(serializers.Serializer):
    """Scores to save as a draft (criteria left out keep what was saved), and ``submit`` to send them."""

    scores = ScoreInputSerializer(many=True)
    recommendation = serializers.ChoiceField(choices=PanelRecommendation.choices, allow_blank=True, default="")
    overall_comment = serializers.CharField(max_length=COMMENT_LIMIT, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False)

    def score_rows(self) -> dict[int, tuple[int | None, str]]:
        data: Any = self.validated_data
        return {row["criterion_id"]: (row["score"], row["justification"]) for row in data["scores"]}
