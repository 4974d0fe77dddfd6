"""FilterSets for the shared ground, used by both the list pages and the API, so the two filter alike."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core.choices import AreaType, CommunityKind, ExportKind, OrganisationType, TextDirection
from waymark.core.forms import DateField
from waymark.core.models import Area, Community, EthnicCodeSet, ExportLog, Language, Organisation, Sector, Theme


def _contains_any(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    """Rows where any of ``fields`` contains ``value``, ignoring case."""
    value = value.strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class FilterForm(forms.Form):
    """Every filter is optional, so the page does not label each one "(optional)"."""

    mark_optional_fields = False


class DateFilter(django_filters.DateFilter):
    """A date filter with day, month and year boxes on the page; the API's ``?name=2026-03-27`` is read too."""

    field_class = DateField


class WaymarkFilterSet(django_filters.FilterSet):
    """The base of every FilterSet shared by a list page and the API."""

    class Meta:
        form = FilterForm


class OrganisationFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or description contains"), method="filter_q")
    org_type = django_filters.ChoiceFilter(label=_("Type"), choices=OrganisationType.choices)
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="sectors", to_field_name="slug", queryset=Sector.objects.all()
    )
    active = django_filters.BooleanFilter(label=_("Active"))
    has_ods_code = django_filters.BooleanFilter(label=_("Has an ODS code"), method="filter_has_ods_code")

    class Meta(WaymarkFilterSet.Meta):
        model = Organisation
        fields = ["q", "org_type", "sector", "active", "has_ods_code"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _contains_any(queryset, ("name", "alternate_name", "description"), value)

    def filter_has_ods_code(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.exclude(ods_code="") if value else queryset.filter(ods_code="")


class AreaFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or code contains"), method="filter_q")
    area_type = django_filters.ChoiceFilter(label=_("Kind of area"), choices=AreaType.choices)
    parent = django_filters.CharFilter(label=_("Parent area code"), field_name="parent__code")
    vintage = django_filters.NumberFilter(label=_("Boundary year"))

    class Meta(WaymarkFilterSet.Meta):
        model = Area
        fields = ["q", "area_type", "parent", "vintage"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _contains_any(queryset, ("name", "code"), value)


class LanguageFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or code contains"), method="filter_q")
    direction = django_filters.ChoiceFilter(label=_("Text direction"), choices=TextDirection.choices)

    class Meta(WaymarkFilterSet.Meta):
        model = Language
        fields = ["q", "direction"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _contains_any(queryset, ("name", "native_name", "code"), value)


class CommunityFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or description contains"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind of community"), choices=CommunityKind.choices)
    language = django_filters.CharFilter(label=_("Language code"), field_name="language__code")

    class Meta(WaymarkFilterSet.Meta):
        model = Community
        fields = ["q", "kind", "language"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _contains_any(queryset, ("name", "description"), value)


class ThemeFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name or description contains"), method="filter_q")
    parent = django_filters.CharFilter(label=_("Parent theme (slug)"), field_name="parent__slug")
    top_level = django_filters.BooleanFilter(
        label=_("Top-level themes only"), field_name="parent", lookup_expr="isnull"
    )

    class Meta(WaymarkFilterSet.Meta):
        model = Theme
        fields = ["q", "parent", "top_level"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _contains_any(queryset, ("name", "description"), value)


class EthnicCodeSetFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")

    class Meta(WaymarkFilterSet.Meta):
        model = EthnicCodeSet
        fields = ["q"]


class ExportLogFilterSet(WaymarkFilterSet):
    """The export log, by person, kind and date."""

    person = django_filters.CharFilter(
        label=_("Username contains"), field_name="user__username", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ExportKind.choices)
    date_from = DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte")
    date_to = DateFilter(label=_("To"), field_name="created_at", lookup_expr="date__lte")

    class Meta(WaymarkFilterSet.Meta):
        model = ExportLog
        fields = ["person", "kind", "date_from", "date_to"]
