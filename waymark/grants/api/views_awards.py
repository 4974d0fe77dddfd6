"""/api/v1/grants/awards/: the published awards, public, in 360Giving's shape (see ``grants.open_data``).

Rows are plain dictionaries from ``open_data.award_rows`` (one query per page, amounts paid and wards read by
subqueries); a grant is fetched by its 360Giving identifier."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from waymark.grants import open_data
from waymark.grants.api.serializers_awards import PublishedAwardSerializer

TAG = "grants"


@extend_schema_view(
    list=extend_schema(summary="List published awards (360Giving)", tags=[TAG]),
    retrieve=extend_schema(summary="Get a published award by its 360Giving identifier", tags=[TAG]),
)
class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Awards of the published programmes, as 360Giving grants. No account needed."""

    serializer_class = PublishedAwardSerializer
    lookup_field = "grant_id"
    lookup_value_regex = "[A-Za-z0-9._-]{1,120}"
    policy_permissions = {"list": None, "retrieve": None}

    def get_queryset(self) -> QuerySet:
        return open_data.award_rows(open_data.published_awards())

    def get_object(self) -> Any:
        decision = open_data.find_award(self.kwargs["grant_id"])
        if decision is None:
            raise Http404
        row = open_data.award_rows(open_data.published_awards().filter(pk=decision.pk)).first()
        if row is None:
            raise Http404
        return row
