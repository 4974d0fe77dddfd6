"""Filters of the staff list of services, and the rule for when a record is due for checking."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import WaymarkFilterSet
from waymark.core.models import Organisation
from waymark.directory.choices import ServiceStatus, VolunteerReliance
from waymark.directory.models import Service, TaxonomyTerm


def _visible_organisations(request: Any) -> QuerySet[Organisation]:
    user = getattr(request, "user", None)
    return Organisation.objects.visible_to(user).order_by("name")


class ServiceFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or description contains"), method="filter_q")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), to_field_name="uuid", queryset=_visible_organisations
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ServiceStatus.choices)
    published = django_filters.BooleanFilter(label=_("Shown to the public"))
    need = django_filters.ModelChoiceFilter(
        label=_("Need"),
        to_field_name="uuid",
        queryset=TaxonomyTerm.objects.order_by("name"),
        method="filter_need",
    )
    volunteer_reliance = django_filters.ChoiceFilter(label=_("Who runs it"), choices=VolunteerReliance.choices)
    not_verified = django_filters.BooleanFilter(label=_("Not verified for 12 months"), method="filter_not_verified")

    class Meta(WaymarkFilterSet.Meta):
        model = Service
        fields = ["q", "organisation", "status", "published", "need", "volunteer_reliance", "not_verified"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(alternate_name__icontains=value) | Q(description__icontains=value)
        )

    def filter_need(self, queryset: QuerySet, name: str, value: TaxonomyTerm | None) -> QuerySet:
        """The need and the needs beneath it, two levels down."""
        if value is None:
            return queryset
        terms = TaxonomyTerm.objects.filter(Q(pk=value.pk) | Q(parent=value) | Q(parent__parent=value))
        return queryset.filter(pk__in=Service.objects.filter(categories__in=terms).values("pk"))

    def filter_not_verified(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        due = Service.objects.due_for_review().values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)
