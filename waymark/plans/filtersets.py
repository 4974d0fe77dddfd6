"""Filters of the plans lists, shared by the list pages and the API so the two filter alike."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import WaymarkFilterSet
from waymark.core.models import Organisation
from waymark.plans.choices import ActionStatus, PlanStatus, PlanType, Rag
from waymark.plans.models import Action, EdsGrading, Indicator, Objective, Plan


def _owners(request: Any) -> QuerySet[Organisation]:
    """Organisations owning a plan the caller may see."""
    plans = Plan.objects.visible_to(getattr(request, "user", None))
    return Organisation.objects.filter(pk__in=plans.values("owner_id")).order_by("name")


class PlanFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    plan_type = django_filters.ChoiceFilter(label=_("Type of plan"), choices=PlanType.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    owner = django_filters.ModelChoiceFilter(label=_("Owning organisation"), to_field_name="uuid", queryset=_owners)

    class Meta(WaymarkFilterSet.Meta):
        model = Plan
        fields = ["q", "plan_type", "status", "owner"]


class ActionFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Action contains"), field_name="title", lookup_expr="icontains")
    plan = django_filters.UUIDFilter(label=_("Plan"), field_name="objective__plan__uuid")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    rag = django_filters.ChoiceFilter(label=_("RAG rating"), choices=[c for c in Rag.choices if c[0]])

    class Meta(WaymarkFilterSet.Meta):
        model = Action
        fields = ["q", "plan", "status", "rag"]


def _graded_organisations(request: Any) -> QuerySet[Organisation]:
    """Organisations with an EDS 2022 grading the caller may see."""
    gradings = EdsGrading.objects.visible_to(getattr(request, "user", None))
    return Organisation.objects.filter(pk__in=gradings.values("organisation_id")).order_by("name")


class EdsGradingFilterSet(WaymarkFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), to_field_name="uuid", queryset=_graded_organisations
    )
    year = django_filters.NumberFilter(label=_("Year graded"), help_text=_("2025 means 2025/26."))

    class Meta(WaymarkFilterSet.Meta):
        model = EdsGrading
        fields = ["organisation", "year"]


class ObjectiveFilterSet(WaymarkFilterSet):
    """Objectives of the plans the caller may see (the API's list; a plan page shows its own)."""

    q = django_filters.CharFilter(label=_("Objective contains"), field_name="title", lookup_expr="icontains")
    plan = django_filters.UUIDFilter(label=_("Plan"), field_name="plan__uuid")

    class Meta(WaymarkFilterSet.Meta):
        model = Objective
        fields = ["q", "plan"]


class IndicatorFilterSet(WaymarkFilterSet):
    """Indicators by plan (on its actions or its objectives), action or objective."""

    plan = django_filters.UUIDFilter(label=_("Plan"), method="filter_plan")
    action = django_filters.UUIDFilter(label=_("Action"), field_name="action__uuid")
    objective = django_filters.UUIDFilter(label=_("Objective"), field_name="objective__uuid")

    class Meta(WaymarkFilterSet.Meta):
        model = Indicator
        fields = ["plan", "action", "objective"]

    def filter_plan(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(Q(action__objective__plan__uuid=value) | Q(objective__plan__uuid=value))
