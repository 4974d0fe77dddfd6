"""What the plans API returns: what the plan pages show, to the people they show it to.

A named lead is a person: their name goes only to working roles (who read it on the pages); everyone else
gets the lead organisation. No e-mail addresses.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from waymark.core import policy
from waymark.core.models import Organisation
from waymark.core.rest.serializers import BlankAsNullChoiceField
from waymark.plans import progress
from waymark.plans.choices import Freshness, Rag
from waymark.plans.models import Action, Indicator, Objective, Plan

SMALL = {"min_value": 0, "max_value": 32_767}
RATED = [choice for choice in Rag.choices if choice[0]]


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The address of the record's page on the site."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        url = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PlanOrganisationSerializer(serializers.ModelSerializer):
    """An organisation named inside a plan."""

    class Meta:
        model = Organisation
        fields = ["uuid", "name"]


class PlanSerializer(serializers.ModelSerializer):
    owner = PlanOrganisationSerializer(read_only=True)
    partners = PlanOrganisationSerializer(many=True, read_only=True)
    co_produced_with = PlanOrganisationSerializer(many=True, read_only=True)
    page = PageField()

    class Meta:
        model = Plan
        fields = [
            "uuid",
            "title",
            "plan_type",
            "status",
            "summary",
            "owner",
            "partners",
            "co_produced_with",
            "period_start",
            "period_end",
            "review_cycle_months",
            "update_interval_days",
            "board_lead_name",
            "board_lead_role",
            "approved_at",
            "published_at",
            "page",
        ]
        extra_kwargs = {"review_cycle_months": SMALL, "update_interval_days": SMALL}


class PlanObjectiveSerializer(serializers.ModelSerializer):
    plan = serializers.UUIDField(source="plan.uuid", read_only=True)

    class Meta:
        model = Objective
        fields = ["uuid", "plan", "code", "title", "description", "order", "source_note"]
        extra_kwargs = {"order": SMALL}


class PlanActionSerializer(serializers.ModelSerializer):
    plan = serializers.UUIDField(source="objective.plan.uuid", read_only=True)
    objective = serializers.UUIDField(source="objective.uuid", read_only=True)
    objective_code = serializers.CharField(source="objective.code", read_only=True)
    lead_organisation = PlanOrganisationSerializer(read_only=True)
    lead_name = serializers.SerializerMethodField(help_text="The named lead; null unless the caller works on plans.")
    rag = BlankAsNullChoiceField(choices=RATED, help_text="Null when not rated.")
    freshness = serializers.SerializerMethodField(
        help_text="How long since the lead's last update, against the plan's update interval."
    )
    page = PageField()

    class Meta:
        model = Action
        fields = [
            "uuid",
            "plan",
            "objective",
            "objective_code",
            "code",
            "title",
            "description",
            "lead_organisation",
            "lead_name",
            "due_date",
            "status",
            "progress",
            "rag",
            "rag_reason",
            "evidence",
            "last_updated_at",
            "completed_on",
            "freshness",
            "page",
        ]
        extra_kwargs = {"progress": {"min_value": 0, "max_value": 100}}

    def _sees_leads(self) -> bool:
        """Asked once per response: the list serializer's children share the root's answer."""
        root = self.root
        if not hasattr(root, "_sees_leads_answer"):
            user = getattr(self.context.get("request"), "user", None)
            root._sees_leads_answer = bool(user and user.is_authenticated and policy.can(user, "plan.view"))  # type: ignore[attr-defined]
        return bool(root._sees_leads_answer)  # type: ignore[attr-defined]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead_name(self, action: Action) -> str | None:
        if action.lead is None or not self._sees_leads():
            return None
        return str(action.lead.get_full_name() or action.lead.get_username())

    @extend_schema_field(serializers.ChoiceField(choices=Freshness.choices))
    def get_freshness(self, action: Action) -> str:
        return str(progress.freshness(action, action.objective.plan))


class PlanIndicatorSerializer(serializers.ModelSerializer):
    action = serializers.UUIDField(source="action.uuid", read_only=True, allow_null=True)
    objective = serializers.UUIDField(source="objective.uuid", read_only=True, allow_null=True)
    plan = serializers.SerializerMethodField()
    provider = PlanOrganisationSerializer(read_only=True)
    area_code = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    grouping = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    page = PageField()

    class Meta:
        model = Indicator
        fields = [
            "uuid",
            "plan",
            "action",
            "objective",
            "title",
            "measure",
            "provider",
            "area_code",
            "area_name",
            "grouping",
            "group",
            "reference_group",
            "statistic",
            "target",
            "direction",
            "baseline_year",
            "page",
        ]
        extra_kwargs = {"baseline_year": SMALL}

    @extend_schema_field(OpenApiTypes.UUID)
    def get_plan(self, indicator: Indicator) -> str:
        objective = indicator.action.objective if indicator.action is not None else indicator.objective
        assert objective is not None  # a constraint: every indicator is on an action or an objective
        return str(objective.plan.uuid)
