"""Filters of a partnership's decision log: by year, and by the kind of evidence a decision rests on (counting
only evidence the viewer may see, so a filter never reveals what the page would hide)."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import WaymarkFilterSet
from waymark.partnership.decision_log import EVIDENCE_KINDS, decision_years, resting_on
from waymark.partnership.models import Decision, Partnership


class DecisionFilterSet(WaymarkFilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="decided_on__year", choices=[], empty_label=_("Any"))
    evidence = django_filters.ChoiceFilter(
        label=_("Rests on"),
        choices=[(key, label) for key, _link, label in EVIDENCE_KINDS],
        method="filter_evidence",
        empty_label=_("Any evidence or none"),
    )

    class Meta(WaymarkFilterSet.Meta):
        model = Decision
        fields = ["year", "evidence"]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.filters["year"]
        year.extra["choices"] = [(value, str(value)) for value in decision_years(partnership)]

    def filter_evidence(self, queryset: QuerySet[Decision], name: str, value: str) -> QuerySet[Decision]:
        return resting_on(queryset, value, getattr(self.request, "user", None))
