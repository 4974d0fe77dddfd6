"""/api/v1/plans/: plans, their objectives, actions and indicators, read under the policy the pages follow.

Rows come from ``visible_to(user)``: the public and network members read published plans (and what is in
them), a responder also their own organisation's drafts and plans they partner or lead an action in, staff,
analysts and administrators every plan. The lists filter with the FilterSets the list pages use. An indicator
is its stored definition; its values are read on the pages, where disclosure control applies per viewer.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.plans.api import serializers
from waymark.plans.filtersets import ActionFilterSet, IndicatorFilterSet, ObjectiveFilterSet, PlanFilterSet
from waymark.plans.models import Action, Indicator, Objective, Plan

TAG = "plans"
UUID_REGEX = "[0-9a-fA-F-]{36}"
# Published plans are public; what else a caller sees is the visibility rule's answer, not a permission's.
PUBLIC_READ: dict[str, str | None] = {"list": None, "retrieve": None}


@extend_schema_view(
    list=extend_schema(summary="List action plans", tags=[TAG]),
    retrieve=extend_schema(summary="Get an action plan", tags=[TAG]),
)
class PlanViewSet(ReadOnlyPolicyViewSet):
    """Race equality action plans (PCREF, EDS 2022, equality objectives, partnership plans)."""

    queryset = (
        Plan.objects.select_related("owner")
        .prefetch_related("partners", "co_produced_with")
        .order_by("-period_start", "title", "pk")
    )
    serializer_class = serializers.PlanSerializer
    filterset_class = PlanFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = PUBLIC_READ


@extend_schema_view(
    list=extend_schema(summary="List objectives of action plans", tags=[TAG]),
    retrieve=extend_schema(summary="Get an objective", tags=[TAG]),
)
class ObjectiveViewSet(ReadOnlyPolicyViewSet):
    """What each plan means to achieve, in the plan's order."""

    queryset = Objective.objects.select_related("plan").order_by("plan__title", "plan_id", "order", "code", "pk")
    serializer_class = serializers.PlanObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = PUBLIC_READ


@extend_schema_view(
    list=extend_schema(summary="List actions of action plans", tags=[TAG]),
    retrieve=extend_schema(summary="Get an action", tags=[TAG]),
)
class ActionViewSet(ReadOnlyPolicyViewSet):
    """Actions with their lead organisation, due date, status, progress and RAG with its reason."""

    queryset = Action.objects.select_related("objective__plan", "lead_organisation", "lead").order_by(
        "objective__plan__title", "objective__plan_id", "objective__order", "objective__code", "code", "pk"
    )
    serializer_class = serializers.PlanActionSerializer
    filterset_class = ActionFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = PUBLIC_READ


@extend_schema_view(
    list=extend_schema(summary="List indicators of action plans", tags=[TAG]),
    retrieve=extend_schema(summary="Get an indicator", tags=[TAG]),
)
class IndicatorViewSet(ReadOnlyPolicyViewSet):
    """The monitoring figure each indicator follows, its target and direction (not its values)."""

    queryset = Indicator.objects.select_related(
        "action__objective__plan", "objective__plan", "provider", "area", "grouping"
    ).order_by("created_at", "pk")
    serializer_class = serializers.PlanIndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = PUBLIC_READ
