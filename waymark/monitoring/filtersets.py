"""Filters of the import batch list and the published snapshot list, shared by the pages and the API.

The choices offered are drawn from rows the caller may already see: the provider filter of the batch list
names only providers of batches visible to the caller (``core.policy`` through ``visible_to``), so a
filter never tells anyone which other providers have loaded files.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import DateFilter, WaymarkFilterSet
from waymark.core.models import Area, Organisation
from waymark.monitoring.choices import ImportKind, ImportStatus
from waymark.monitoring.models import ImportBatch, PublishedSnapshot

UPLOADED_BY_ME = "me"


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _batch_providers(request: Any) -> QuerySet[Organisation]:
    """Providers of the batches this user may see."""
    visible = ImportBatch.objects.visible_to(_user(request)).filter(provider__isnull=False)
    return Organisation.objects.filter(pk__in=visible.values("provider_id")).order_by("name")


def _snapshot_providers(request: Any) -> QuerySet[Organisation]:
    """Providers with a published snapshot (snapshots are public)."""
    published = PublishedSnapshot.objects.visible_to(_user(request)).filter(provider__isnull=False)
    return Organisation.objects.filter(pk__in=published.values("provider_id")).order_by("name")


def _snapshot_areas(request: Any) -> QuerySet[Area]:
    """Areas with a published snapshot."""
    published = PublishedSnapshot.objects.visible_to(_user(request)).filter(area__isnull=False)
    return Area.objects.filter(pk__in=published.values("area_id")).order_by("name")


class ImportBatchFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("File name contains"), field_name="file_name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind of file"), choices=ImportKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ImportStatus.choices)
    provider = django_filters.ModelChoiceFilter(label=_("Provider"), to_field_name="uuid", queryset=_batch_providers)
    uploaded_by = django_filters.ChoiceFilter(
        label=_("Uploaded by"),
        choices=[(UPLOADED_BY_ME, _("Me"))],
        empty_label=_("Anyone"),
        method="filter_uploaded_by",
    )
    uploaded_from = DateFilter(label=_("Uploaded on or after"), field_name="created_at__date", lookup_expr="gte")
    uploaded_to = DateFilter(label=_("Uploaded on or before"), field_name="created_at__date", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = ImportBatch
        fields = ["q", "kind", "status", "provider", "uploaded_by", "uploaded_from", "uploaded_to"]

    def filter_uploaded_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value != UPLOADED_BY_ME:
            return queryset
        user = _user(self.request)
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(uploaded_by=user)


class PublishedSnapshotFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    provider = django_filters.ModelChoiceFilter(label=_("Provider"), to_field_name="uuid", queryset=_snapshot_providers)
    area = django_filters.ModelChoiceFilter(label=_("Area"), to_field_name="code", queryset=_snapshot_areas)
    published_from = DateFilter(label=_("Published on or after"), field_name="published_on", lookup_expr="gte")
    published_to = DateFilter(label=_("Published on or before"), field_name="published_on", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = PublishedSnapshot
        fields = ["q", "provider", "area", "published_from", "published_to"]
