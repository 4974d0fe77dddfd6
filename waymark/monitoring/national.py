"""England's published figures beside a trust's: what the dashboard, its download and the API read.

England's rate ratio between two groups is worked out from the published counts and the denominators they
imply (count ÷ crude rate x 100,000), with ``stats.rate_ratios`` (log-normal interval): NHS England publishes
rates by group but no ratios. Published standardised rates and their intervals are shown as published.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _

from waymark.monitoring import stats
from waymark.monitoring.imports.national import NATIONAL_MEASURES
from waymark.monitoring.indicators import IndicatorTable, Interval
from waymark.monitoring.models import NationalFigure, NationalGroupLevel, NationalRelease

# Subcategories that mean "the whole measure" (a published measure may also be split by section of the Act).
WHOLE_MEASURE = {"", "all", "total", "all detentions", "all people"}


def group_name(figure: NationalFigure) -> str:
    """The Waymark group a figure maps to, else the label as published."""
    return figure.analysis_group.label if figure.analysis_group is not None else figure.published_group


def headline_figures(release: NationalRelease, measure: str) -> list[NationalFigure]:
    """England's figures for one Waymark measure: the most comparable published measure (``NATIONAL_MEASURES``
    order) and its whole-measure subcategory."""
    figures = list(release.figures.filter(measure=measure).select_related("analysis_group"))
    preference = {name: index for index, name in enumerate(NATIONAL_MEASURES)}
    figures.sort(
        key=lambda figure: (
            preference.get(figure.published_measure.strip().lower(), len(preference)),
            figure.measure_subcategory.strip().lower() not in WHOLE_MEASURE,
            figure.measure_subcategory,
        )
    )
    if not figures:
        return []
    first = figures[0]
    return [
        figure
        for figure in figures
        if (figure.published_measure, figure.measure_subcategory)
        == (first.published_measure, first.measure_subcategory)
    ]


def ratios_to_reference(figures: Sequence[NationalFigure], reference: str, confidence: float = 0.95) -> list[Interval]:
    """Each figure's England rate ratio to the ``reference`` group (Waymark label or published label), from the
    published counts and implied denominators; no value where a count or rate is suppressed."""
    reference_figure = next(
        (figure for figure in figures if reference in (group_name(figure), figure.published_group)), None
    )
    if reference_figure is None or reference_figure.implied_population is None:
        return [Interval.missing(_("England has no published rate for %(group)s") % {"group": reference})] * len(
            figures
        )
    counts = [float(figure.total_count or 0) for figure in figures]
    populations = [figure.implied_population or 0.0 for figure in figures]
    usable = [population > 0 for population in populations]
    estimates = stats.rate_ratios(
        counts,
        populations,
        float(reference_figure.total_count or 0),
        reference_figure.implied_population,
        confidence=confidence,
    )
    result = []
    for index, ok in enumerate(usable):
        if not ok:
            result.append(Interval.missing(_("suppressed or not published")))
            continue
        estimate = estimates.estimate(index)
        result.append(Interval(estimate.value, estimate.lower, estimate.upper, estimate.reason))
    return result


@dataclass(frozen=True)
class ComparisonRow:
    """One group: the trust's crude rate (as the page shows it) beside England's published figures."""

    group: str
    trust_rate: Interval
    england_count: int | None
    england_rate: Interval  # crude, per 100,000 (no interval published)
    england_standardised: Interval
    england_ratio: Interval
    is_reference: bool


@dataclass(frozen=True)
class NationalComparison:
    """One dashboard measure against England's figures for the matching year."""

    measure: str
    measure_label: str
    year: str
    published_measure: str
    measure_subcategory: str
    reference_group: str
    confidence_percent: str
    same_year: bool
    rows: list[ComparisonRow]

    @property
    def notes(self) -> list[str]:
        notes = [
            _(
                "England: NHS England, Mental Health Act Statistics, Annual Figures %(year)s, measure "
                "“%(measure)s”. Crude rates per 100,000 as published; standardised rates and their intervals as "
                "published. England's ratios are rate ratios from the published counts and the populations they "
                "imply (count ÷ crude rate x 100,000), with log-normal intervals."
            )
            % {"year": self.year, "measure": self.published_measure},
            _("Groups follow the NHS England grouping (the 16 NHS categories; Chinese under Other ethnic groups)."),
        ]
        if not self.same_year:
            notes.append(
                _("England's figures are for %(year)s, the latest loaded before this year.") % {"year": self.year}
            )
        return notes

    @property
    def source(self) -> str:
        """The one line a download's row carries to say where England's figures come from."""
        return _("NHS England, Mental Health Act Statistics, Annual Figures %(year)s, “%(measure)s”") % {
            "year": self.year,
            "measure": self.published_measure,
        }

    def to_dict(self) -> dict[str, Any]:
        """For a published snapshot, which keeps the comparison as it was when it was published."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "NationalComparison":
        rows = [
            ComparisonRow(
                **{
                    **row,
                    **{
                        name: Interval(**row[name])
                        for name in ("trust_rate", "england_rate", "england_standardised", "england_ratio")
                    },
                }
            )
            for row in data["rows"]
        ]
        return cls(**{**data, "rows": rows})


def snapshot_comparisons(tables: Mapping[str, Any]) -> list[NationalComparison]:
    """England's figures as a snapshot froze them (none when its publisher left them out)."""
    return [NationalComparison.from_dict(data) for data in tables.get("national", [])]


def by_measure_and_group(
    comparisons: Iterable[NationalComparison],
) -> dict[tuple[str, str], tuple[NationalComparison, ComparisonRow]]:
    """Each comparison row by its measure and group label, for the downloads' England columns."""
    return {(comparison.measure, row.group): (comparison, row) for comparison in comparisons for row in comparison.rows}


def release_for(start_year: int) -> NationalRelease | None:
    """England's figures for the financial year starting in ``start_year``, else the latest earlier year."""
    releases = [release for release in NationalRelease.objects.all() if release.start_year <= start_year]
    return max(releases, key=lambda release: release.start_year, default=None)


def compare(
    tables: Iterable[IndicatorTable], *, start_year: int, reference_group: str, confidence: float
) -> list[NationalComparison]:
    """England beside each dashboard table that has a matching published measure."""
    release = release_for(start_year)
    if release is None:
        return []
    comparisons = []
    for table in tables:
        figures = headline_figures(release, table.measure)
        if not figures:
            continue
        ratios = dict(
            zip(
                (figure.pk for figure in figures),
                ratios_to_reference(figures, reference_group, confidence),
                strict=True,
            )
        )
        by_group = {group_name(figure): figure for figure in figures if figure.level == NationalGroupLevel.GROUP}
        rows = []
        for row in table.rows:
            figure = by_group.get(row.group)
            rows.append(
                ComparisonRow(
                    group=row.label,
                    trust_rate=row.rate,
                    england_count=figure.total_count if figure else None,
                    england_rate=_published(figure.crude_rate if figure else None),
                    england_standardised=Interval(figure.std_rate, figure.std_rate_lower, figure.std_rate_upper)
                    if figure and figure.std_rate is not None
                    else Interval.missing(_("not published")),
                    england_ratio=ratios[figure.pk] if figure else Interval.missing(_("not published")),
                    is_reference=row.is_reference,
                )
            )
        first = figures[0]
        comparisons.append(
            NationalComparison(
                measure=table.measure,
                measure_label=table.measure_label,
                year=release.year,
                published_measure=first.published_measure,
                measure_subcategory=first.measure_subcategory,
                reference_group=reference_group,
                confidence_percent=table.confidence_percent,
                same_year=release.start_year == start_year,
                rows=rows,
            )
        )
    return comparisons


def _published(value: float | None) -> Interval:
    return Interval(value, None, None) if value is not None else Interval.missing(_("suppressed or not published"))


def ratios_for_api(figures: Iterable[NationalFigure], reference: str, confidence: float) -> dict[int, Interval]:
    """Each figure's England ratio to ``reference`` among the figures of its year, measure and subcategory
    (the API's rows), by figure id."""
    keys = {(figure.release_id, figure.published_measure, figure.measure_subcategory) for figure in figures}
    result: dict[int, Interval] = {}
    for release_id, published_measure, subcategory in sorted(keys):
        siblings = list(
            NationalFigure.objects.filter(
                release_id=release_id, published_measure=published_measure, measure_subcategory=subcategory
            ).select_related("analysis_group")
        )
        intervals = ratios_to_reference(siblings, reference, confidence)
        result.update(zip((figure.pk for figure in siblings), intervals, strict=True))
    return result
