"""Template filters for the monitoring pages: figures to a fixed number of places, and the rate chart."""

from django import template
from django.utils.formats import number_format

from waymark.monitoring.indicators import IndicatorTable, RateChart
from waymark.monitoring.indicators import rate_chart as build_rate_chart

register = template.Library()


@register.filter
def figure(value: float | None, places: int = 1) -> str:
    """A number with thousands separators and exactly ``places`` decimals; empty for None."""
    if value is None:
        return ""
    return number_format(round(float(value), int(places)), decimal_pos=int(places), force_grouping=True)


@register.filter
def rate_chart(table: IndicatorTable) -> RateChart | None:
    return build_rate_chart(table)


@register.filter
def percent(value: float | None, places: int = 1) -> str:
    """A share (0 to 1) as a percentage with ``places`` decimals; empty for None."""
    if value is None:
        return ""
    return number_format(round(float(value) * 100, int(places)), decimal_pos=int(places)) + "%"
