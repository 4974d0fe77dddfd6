"""/api/v1/partnership/: the consultation calendar, read under the policy the pages follow.

Rows come from ``visible_to(user)``: working users read every consultation, everyone else those published
and open or reported.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.partnership.api import serializers
from waymark.partnership.filtersets import ConsultationFilterSet
from waymark.partnership.models import Consultation

TAG = "partnership"
UUID_REGEX = "[0-9a-fA-F-]{36}"


@extend_schema_view(
    list=extend_schema(summary="List consultations on the calendar", tags=[TAG]),
    retrieve=extend_schema(summary="Get a consultation", tags=[TAG]),
)
class ConsultationViewSet(ReadOnlyPolicyViewSet):
    """Planned, open and reported consultations: who asks which communities about what, and when."""

    queryset = (
        Consultation.objects.select_related("lead_organisation")
        .prefetch_related("themes", "communities")
        .order_by("starts_on", "pk")
    )
    serializer_class = serializers.ConsultationSerializer
    filterset_class = ConsultationFilterSet  # the calendar list's filters, so the two filter alike
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    # Published consultations are public; what else a caller sees is the visibility rule's answer.
    policy_permissions: dict[str, str | None] = {"list": None, "retrieve": None}
