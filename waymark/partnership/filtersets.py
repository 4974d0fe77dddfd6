"""Filters of the consultation calendar, shared by its list, its month grid, its downloads and the API, so that
all of them filter alike."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import DateFilter, FilterForm, WaymarkFilterSet
from waymark.core.models import Community, Organisation, Theme
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.models import Consultation, Partnership


def _lead_bodies(request: Any) -> QuerySet[Organisation]:
    """Organisations leading a consultation the caller may see: a short list, not every organisation."""
    seen = Consultation.objects.visible_to(getattr(request, "user", None))
    return Organisation.objects.filter(pk__in=seen.values("lead_organisation_id")).order_by("name")


def _partnerships(request: Any) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(getattr(request, "user", None)).order_by("name")


def theme_and_below(theme: Theme) -> list[int]:
    """A theme and the themes under it (two levels deep, as the taxonomy is): asking for "Health" finds
    consultations about crisis care too."""
    children = list(Theme.objects.filter(parent=theme).values_list("pk", flat=True))
    grandchildren = list(Theme.objects.filter(parent__in=children).values_list("pk", flat=True))
    return [theme.pk, *children, *grandchildren]


class ConsultationFilterForm(FilterForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the date range must be on or after its start."))
        return cleaned


class ConsultationFilterSet(WaymarkFilterSet):
    """Consultations by whom they ask, about what, who leads them, where they stand and when they run. A date
    range finds the consultations running at any time within it."""

    q = django_filters.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    community = django_filters.ModelChoiceFilter(
        label=_("Community asked"), field_name="communities", queryset=Community.objects.order_by("name")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        to_field_name="slug",
        queryset=Theme.objects.order_by("name"),
        method="filter_theme",
        help_text=_("Includes the themes under it."),
    )
    lead = django_filters.ModelChoiceFilter(
        label=_("Lead body"), field_name="lead_organisation", to_field_name="uuid", queryset=_lead_bodies
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConsultationStatus.choices)
    partnership = django_filters.ModelChoiceFilter(label=_("Partnership"), to_field_name="uuid", queryset=_partnerships)
    date_from = DateFilter(label=_("Running on or after"), field_name="ends_on", lookup_expr="gte")
    date_to = DateFilter(label=_("Running on or before"), field_name="starts_on", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = Consultation
        form = ConsultationFilterForm
        fields = ["q", "community", "theme", "lead", "status", "partnership", "date_from", "date_to"]

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme | None) -> QuerySet:
        if value is None:
            return queryset
        about = Consultation.themes.through.objects.filter(theme__in=theme_and_below(value))
        return queryset.filter(pk__in=about.values("consultation_id"))
