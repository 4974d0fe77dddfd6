"""CSV and XLSX downloads of indicator tables, the same rows the pages, API and snapshots show, and of the
"Compare providers" funnel page's table.

One row per measure and group, with the analysis grouping, the confidence level and whether the
figures were disclosure-controlled written on every row, so a row lifted into another spreadsheet
still says what it is. Suppressed counts are written as empty cells with the word "suppressed" in the
note column, never as zero.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core.file_headers import FileHeader
from waymark.core.spreadsheets import download, write_csv, write_xlsx
from waymark.monitoring import comparisons, provider_funnel
from waymark.monitoring.dashboards import Dashboard, financial_year_label
from waymark.monitoring.indicators import Flag, IndicatorTable, Interval
from waymark.monitoring.models_access import PublishedSnapshot
from waymark.monitoring.national import ComparisonRow, NationalComparison, by_measure_and_group


def headings() -> list[str]:
    return [
        _("Measure"),
        _("Analysis grouping"),
        _("Ethnic group"),
        _("Count"),
        _("Population"),
        _("Rate per %(per)s") % {"per": "100,000"},
        _("Rate lower limit"),
        _("Rate upper limit"),
        _("Age-standardised rate"),
        _("Age-standardised lower limit"),
        _("Age-standardised upper limit"),
        _("Reference group"),
        _("Rate ratio to reference group"),
        _("Ratio lower limit"),
        _("Ratio upper limit"),
        _("Rate ratio to all other groups"),
        _("Ratio to others lower limit"),
        _("Ratio to others upper limit"),
        _("Flag"),
        _("Confidence level"),
        _("Disclosure-controlled"),
        _("Note"),
        _("Rate method"),
        _("Ratio method"),
        _("Standardisation method"),
        _("Rate if none of the unknown ethnicity were in the group"),
        _("Rate if all of the unknown ethnicity were in the group"),
        _("Ratio to reference if none of the unknown ethnicity were in the group"),
        _("Ratio to reference if all of the unknown ethnicity were in the group"),
        _("Trend"),
        _("Trend in ratio to reference"),
        _("Trend method"),
        _("England: count"),
        _("England: crude rate per 100,000"),
        _("England: standardised rate"),
        _("England: standardised lower limit"),
        _("England: standardised upper limit"),
        _("England: rate ratio to reference group"),
        _("England: ratio lower limit"),
        _("England: ratio upper limit"),
        _("England: source"),
    ]


def _numbers(interval: Interval, places: int) -> list[float | None]:
    return [None if v is None else round(v, places) for v in (interval.value, interval.lower, interval.upper)]


def _flag_text(value: str) -> str:
    return {Flag.HIGHER: _("Higher"), Flag.LOWER: _("Lower")}.get(value, "")


def _england(found: tuple[NationalComparison, ComparisonRow] | None) -> list[Any]:
    """England's columns for one row: blank when England's figures were not asked for or not published."""
    if found is None:
        return [None] * 8 + [""]
    comparison, row = found
    ratio = [1.0, None, None] if row.is_reference else _numbers(row.england_ratio, 3)
    return [
        row.england_count,
        _numbers(row.england_rate, 1)[0],
        *_numbers(row.england_standardised, 1),
        *ratio,
        comparison.source,
    ]


def table_rows(tables: Iterable[IndicatorTable], national: Iterable[NationalComparison] = ()) -> Iterator[list[Any]]:
    """Every row of every table, as plain values, with England's figures beside the group's where given."""
    england = by_measure_and_group(national)
    for table in tables:
        for row in table.rows:
            flags = [
                _flag_text(row.flag_reference)
                and _("%(flag)s than reference") % {"flag": _flag_text(row.flag_reference)},
                _flag_text(row.flag_others) and _("%(flag)s than others") % {"flag": _flag_text(row.flag_others)},
            ]
            note = _("suppressed") if row.suppressed else (row.rate.reason or "")
            yield [
                table.measure_label,
                table.grouping_name,
                row.label,
                row.count,
                row.population,
                *_numbers(row.rate, 1),
                *_numbers(row.age_standardised, 1),
                table.reference_group,
                *_numbers(row.ratio_to_reference, 3),
                *_numbers(row.ratio_to_others, 3),
                "; ".join(flag for flag in flags if flag),
                table.confidence_percent,
                _("Yes") if table.protected else _("No"),
                note,
                table.rate_method,
                table.ratio_method,
                row.standardised_method,
                *_numbers(row.unknown_band, 1)[1:],
                *_numbers(row.unknown_ratio_band, 3)[1:],
                comparisons.trend_label(row.trend),
                comparisons.trend_label(row.ratio_trend),
                _("chi-squared test for trend, %(period)s") % {"period": table.trend_period}
                if table.trend_period
                else "",
                *_england(england.get((table.measure, row.label))),
            ]


def file_header(dashboard: Dashboard, title: str) -> FileHeader:
    """The file's header: the provider and comparison area, the year and grouping, and unsuppressed or not."""
    return FileHeader(
        title=title,
        scope=_("%(provider)s, people living in %(area)s")
        % {"provider": dashboard.provider.name, "area": dashboard.area.name},
        period=dashboard.period_label,
        grouping=dashboard.grouping_name,
        unsuppressed=not dashboard.protected,
    )


def snapshot_header(snapshot: PublishedSnapshot) -> FileHeader:
    """A published snapshot's header: its figures went through disclosure control when it was frozen."""
    if snapshot.provider is None:  # an area's figures, all providers together
        scope = snapshot.area.name if snapshot.area is not None else ""
    elif snapshot.area is None:
        scope = snapshot.provider.name
    else:
        scope = _("%(provider)s, people living in %(area)s") % {
            "provider": snapshot.provider.name,
            "area": snapshot.area.name,
        }
    return FileHeader(
        title=snapshot.title,
        scope=scope,
        period=_("%(start)s to %(end)s")
        % {"start": snapshot.period_start.isoformat(), "end": snapshot.period_end.isoformat()},
        grouping=snapshot.grouping_name,
    )


def csv_response(
    tables: Sequence[IndicatorTable],
    filename: str,
    *,
    header: FileHeader,
    national: Sequence[NationalComparison] = (),
) -> HttpResponse:
    return download(write_csv(headings(), table_rows(tables, national), header=header), f"{slugify(filename)}.csv")


def xlsx_response(
    tables: Sequence[IndicatorTable],
    filename: str,
    *,
    title: str,
    notes: Sequence[str],
    header: FileHeader,
    national: Sequence[NationalComparison] = (),
) -> HttpResponse:
    notes = [*notes, *dict.fromkeys(note for comparison in national for note in comparison.notes)]
    content = write_xlsx(
        _("Indicators"), headings(), table_rows(tables, national), about=[title, *notes], header=header
    )
    return download(content, f"{slugify(filename)}.xlsx")


# The "Compare providers" funnel page's table


def funnel_title(comparison: provider_funnel.FunnelComparison) -> str:
    return _("Compare providers: %(measure)s, %(group)s") % {
        "measure": comparison.measure_label,
        "group": comparison.group,
    }


def funnel_headings(comparison: provider_funnel.FunnelComparison) -> list[str]:
    share = comparison.statistic == provider_funnel.SHARE
    return [
        _("Provider"),
        _("Disclosure-controlled"),
        _("Measure"),
        _("Ethnic group"),
        _("People in the group"),
        _("People in any group") if share else _("Population"),
        _("Share (%)") if share else _("Rate per %(per)s") % {"per": "100,000"},
        _("Against the funnel"),
        _("Note"),
        _("Overall share (%)") if share else _("Overall rate per %(per)s") % {"per": "100,000"},
        _("Lower 99.8% limit"),
        _("Lower 95% limit"),
        _("Upper 95% limit"),
        _("Upper 99.8% limit"),
        _("Method"),
        _("Disclosure control"),
    ]


def funnel_rows(comparison: provider_funnel.FunnelComparison) -> Iterator[list[Any]]:
    """One row per provider, as the page's table lists it: a suppressed count is an empty cell with the word
    "Suppressed" in the note column, and each row carries the overall value, the control limits at the
    provider's own denominator and the method, so a row lifted into another sheet still says what it is."""
    scale = 100 if comparison.statistic == provider_funnel.SHARE else 1  # shares in percent, as on the page
    limits = comparison.limits_at()
    method = " ".join(comparison.method_notes)
    disclosure = " ".join(comparison.disclosure_notes)

    def scaled(value: float | None, places: int) -> float | None:
        return None if value is None else round(value * scale, places)

    for point in comparison.points:
        at = limits.get(point.provider.pk, (None, None, None, None))
        yield [
            point.provider.name,
            _("Yes") if point.protected else _("No"),
            comparison.measure_label,
            comparison.group,
            point.numerator,
            point.denominator,
            scaled(point.value, 1),
            point.position_label if point.plotted else _("Not plotted"),
            point.reason,
            scaled(comparison.average, 1),
            *[scaled(limit, 2) for limit in at],
            method,
            disclosure if point.protected else "",
        ]


def funnel_header(comparison: provider_funnel.FunnelComparison) -> FileHeader:
    """Every provider the reader may see, for one area and year; unsuppressed if any provider's figures are."""
    return FileHeader(
        title=funnel_title(comparison),
        scope=_("Every provider you may see, people living in %(area)s") % {"area": comparison.area.name},
        period=financial_year_label(comparison.year),
        grouping=comparison.grouping_name,
        unsuppressed=comparison.unsuppressed,
    )


def funnel_response(comparison: provider_funnel.FunnelComparison, file_format: str) -> HttpResponse:
    """The funnel page's table as a CSV or XLSX file (``file_format``), under its header block."""
    header = funnel_header(comparison)
    filename = slugify(f"compare providers {comparison.measure_label} {comparison.group} {comparison.year}")
    headings = funnel_headings(comparison)
    rows = funnel_rows(comparison)
    if file_format == "xlsx":
        content = write_xlsx(_("Providers"), headings, rows, about=[header.title, *comparison.notes], header=header)
        return download(content, f"{filename}.xlsx")
    return download(write_csv(headings, rows, header=header), f"{filename}.csv")
