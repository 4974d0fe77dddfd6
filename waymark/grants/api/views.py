"""/api/v1/grants/: the grants app's endpoints. Each topic adds its viewsets here.

Programmes are public once published (``visible_to``: working users also read unpublished ones), with their
parts, so a funder's timetable and questions can be republished elsewhere without scraping the pages.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.grants.api import serializers
from waymark.grants.models import Programme

TAG = "grants"
UUID_REGEX = "[0-9a-fA-F-]{36}"
PUBLIC_READ: dict[str, str | None] = {"list": None, "retrieve": None}


@extend_schema_view(
    list=extend_schema(summary="List grants programmes", tags=[TAG]),
    retrieve=extend_schema(summary="Get a grants programme", tags=[TAG]),
)
class ProgrammeViewSet(ReadOnlyPolicyViewSet):
    """Small grants programmes: money, who may apply, the published timetable, questions, criteria, reporting."""

    queryset = (
        Programme.objects.select_related("funder")
        .prefetch_related(
            "areas",
            "communities",
            "eligibility_questions",
            "questions",
            "criteria_set",
            "reporting_tiers",
        )
        .order_by("-opens_on", "title", "pk")
    )
    serializer_class = serializers.GrantProgrammeSerializer
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = PUBLIC_READ
