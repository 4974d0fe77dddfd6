"""FilterSets for voice lists, shared by pages and the API so the two filter alike."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import DateFilter, WaymarkFilterSet
from waymark.core.models import Community, Theme
from waymark.voice.choices_items import HowGathered, ItemStatus, Sentiment
from waymark.voice.models import FeedbackItem


class FeedbackItemFilterSet(WaymarkFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ItemStatus.choices)
    how_gathered = django_filters.ChoiceFilter(label=_("How gathered"), choices=HowGathered.choices)
    sentiment = django_filters.ChoiceFilter(label=_("Sentiment"), choices=Sentiment.choices)
    safeguarding = django_filters.BooleanFilter(label=_("Safeguarding concern"))
    received_from = DateFilter(label=_("Received on or after"), field_name="received_on", lookup_expr="gte")
    received_to = DateFilter(label=_("Received on or before"), field_name="received_on", lookup_expr="lte")
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme (or a theme beneath it)"),
        to_field_name="slug",
        queryset=Theme.objects.all(),
        method="filter_theme",
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Community"), field_name="communities", queryset=Community.objects.all()
    )
    language = django_filters.CharFilter(label=_("Original language (ISO 639-3)"), field_name="original_language__code")

    class Meta(WaymarkFilterSet.Meta):
        model = FeedbackItem
        fields = [
            "status",
            "how_gathered",
            "sentiment",
            "safeguarding",
            "received_from",
            "received_to",
            "theme",
            "community",
            "language",
        ]

    def filter_theme(self, queryset: QuerySet, name: str, value: Theme) -> QuerySet:
        return queryset.filter(
            pk__in=FeedbackItem.objects.filter(Q(themes=value) | Q(themes__parent=value)).values("pk")
        )
