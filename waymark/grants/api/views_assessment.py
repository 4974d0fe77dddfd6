"""/api/v1/grants/assessments/: an assessor's own seats, and scoring through them.

Only the caller's own seats are listed (grants officers read everyone's on the pages). A seat opens, and
takes scores, under ``grant_assessment.score``'s object rule: its own assessor, after declaring no conflict.
A conflicted seat answers 403 to both; the services refuse it again underneath. Declarations are made on the
page, where the applicant's name is shown before anything else.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.grants import scoring
from waymark.grants.api import serializers_assessment as serializers
from waymark.grants.models import Assessment
from waymark.grants.services import assessment as services

TAG = "grants"
UUID_REGEX = "[0-9a-fA-F-]{36}"


@extend_schema_view(
    list=extend_schema(summary="List my assessment seats", tags=[TAG]),
    retrieve=extend_schema(summary="Open an application I assess (after declaring no conflict)", tags=[TAG]),
)
class AssessmentViewSet(ReadOnlyPolicyViewSet):
    """The caller's seats on grant applications: declare on the page, then read and score here."""

    queryset = Assessment.objects.select_related("application__programme", "application__organisation").order_by(
        "-assigned_at", "pk"
    )
    serializer_class = serializers.SeatSerializer
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions: dict[str, str | None] = {
        "list": "grant_assessment.score",  # without a seat: anyone signed in, who sees only their own
        "retrieve": "grant_assessment.score",  # the object rule: own seat, no conflict declared
        "scores": "grant_assessment.score",
    }

    def get_queryset(self) -> QuerySet[Assessment]:
        rows = super().get_queryset().filter(assessor_id=self.request.user.pk)
        if self.action != "list":
            rows = rows.prefetch_related(scoring.scores_prefetch(), "application__programme__questions")
        return rows

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.OpenSeatSerializer
        if self.action == "scores":
            return serializers.ScoringSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="Save my scores as a draft, or submit them",
        request=serializers.ScoringSerializer,
        responses=serializers.OpenSeatSerializer,
        tags=[TAG],
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def scores(self, request: Request, uuid: str) -> Response:
        seat = self.get_object()  # 403 unless the caller's own seat, declared with no conflict
        scoring_input = serializers.ScoringSerializer(data=request.data)
        scoring_input.is_valid(raise_exception=True)
        data: Any = scoring_input.validated_data
        services.save_scores(
            seat,
            scores=scoring_input.score_rows(),
            recommendation=data["recommendation"],
            overall_comment=data["overall_comment"],
            actor=request.user,
        )
        if data["submit"]:
            services.submit_assessment(seat, actor=request.user)
        fresh = self.get_queryset().get(pk=seat.pk)
        return Response(serializers.OpenSeatSerializer(fresh).data, status=status.HTTP_200_OK)
