"""/api/v1/grants/applications/: grants officers' read of applications, filtered by programme and status.

Drafts are the applicant's until sent, but an officer may need to help with one on the phone, so they are
listed too (filter ``status=draft``). Writes go through the pages and their services."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.grants.api import serializers_applications
from waymark.grants.filtersets_applications import ApplicationFilterSet
from waymark.grants.models import Application

TAG = "grants"
UUID_REGEX = "[0-9a-fA-F-]{36}"


@extend_schema_view(
    list=extend_schema(summary="List grant applications", tags=[TAG]),
    retrieve=extend_schema(summary="Get a grant application", tags=[TAG]),
)
class ApplicationViewSet(ReadOnlyPolicyViewSet):
    """Applications to the grants programmes, with the applicant's answers, flags and screening."""

    queryset = (
        Application.objects.select_related("programme", "organisation", "beneficiary_area")
        .prefetch_related("communities", "attachments")
        .order_by("-created_at", "pk")
    )
    serializer_class = serializers_applications.GrantApplicationSerializer
    filterset_class = ApplicationFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = {"list": "grant_application.view", "retrieve": "grant_application.view"}
