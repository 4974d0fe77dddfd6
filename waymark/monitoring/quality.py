"""Reads of the providers' latest month of ethnic coding quality: the data-quality list and the analyst's
home-page count of providers below the 95% completeness target use the same queryset functions."""

from typing import Any

from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum

from waymark.core.models import Organisation
from waymark.monitoring.models import DataQualityFigure


def _latest_month_total(field: str) -> Subquery:
    figures = (
        DataQualityFigure.objects.filter(provider=OuterRef("pk"), period_start=OuterRef("latest_period"))
        .values("provider")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Subquery(figures, output_field=IntegerField())


def latest_quality(user: Any) -> QuerySet[Organisation]:
    """Providers whose coding quality the user may see, each with its latest month (every measure together):
    ``latest_period``, ``latest_records`` and ``latest_valid`` (records with a stated ethnic group)."""
    latest = DataQualityFigure.objects.filter(provider=OuterRef("pk")).order_by("-period_start").values("period_start")
    return (
        Organisation.objects.filter(pk__in=DataQualityFigure.objects.visible_to(user).values("provider_id"))
        .annotate(latest_period=Subquery(latest[:1]))
        .annotate(latest_records=_latest_month_total("records"), latest_valid=_latest_month_total("valid_stated"))
        .order_by("name", "pk")
    )


def below_target[Providers: QuerySet[Organisation]](providers: Providers) -> Providers:
    """The data-quality list's ``?below_target=1``: latest month's completeness under 95% (whole numbers, so a
    provider at exactly 95% meets the target as on its data-quality page)."""
    return providers.annotate(shortfall=F("latest_records") * 95 - F("latest_valid") * 100).filter(shortfall__gt=0)
