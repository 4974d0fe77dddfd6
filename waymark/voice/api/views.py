"""/api/v1/voice/: feedback items for staff; the public "you said, we did" record for anyone.

Items come through ``visible_to`` (staff only) and never carry demographics or contact details. Issues,
answers and timeliness are chosen by ``voice.published``, the same rules as the public pages, whoever calls.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.voice import published
from waymark.voice.api import serializers
from waymark.voice.filtersets import FeedbackItemFilterSet
from waymark.voice.models import FeedbackItem, Issue

TAG = "voice"


@extend_schema_view(
    list=extend_schema(summary="List feedback items", tags=[TAG]),
    retrieve=extend_schema(summary="Get a feedback item", tags=[TAG]),
)
class FeedbackItemViewSet(ReadOnlyPolicyViewSet):
    """Feedback and soft intelligence, for staff: without demographics or the person's contact details."""

    queryset = FeedbackItem.objects.select_related("original_language").prefetch_related(
        "themes", "communities", "organisations", "services"
    )
    serializer_class = serializers.FeedbackItemSerializer
    filterset_class = FeedbackItemFilterSet
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    policy_permissions = {"list": "voice_item.view", "retrieve": "voice_item.view"}


@extend_schema_view(
    list=extend_schema(summary="List issues with a published answer", tags=[TAG]),
    retrieve=extend_schema(summary="Get an issue with its published answers", tags=[TAG]),
)
class PublicIssueViewSet(viewsets.ReadOnlyModelViewSet):
    """ "You said, we did": issues with a published answer, with no personal data."""

    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    policy_permissions = {"list": None, "retrieve": None}

    def get_queryset(self) -> QuerySet[Issue]:
        return published.public_issues()

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.PublicIssueDetailSerializer
        return serializers.PublicIssueSerializer


class TimelinessView(APIView):
    """How quickly each organisation asked to answer has answered: counts of escalations, not of people."""

    policy_permissions = {"get": None}

    @extend_schema(
        summary="Response timeliness per organisation",
        operation_id="voice_timeliness",
        tags=[TAG],
        responses=serializers.TimelinessSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(serializers.TimelinessSerializer(published.timeliness(), many=True).data)
