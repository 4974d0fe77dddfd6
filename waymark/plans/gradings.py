"""Reading gradings: EDS 2022 outcomes and their grades, overall ratings, year-on-year comparison, and a PCREF
plan's competency self-assessment (latest and earlier). The grading pages, the evidence pack and the board
dashboard all read through here, so a total or a band is worked out one way."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.plans.choices import EdsGrade, TemplateItemKind, eds_overall_rating
from waymark.plans.models import CompetencyAssessment, EdsGrading, EdsOutcomeGrade, Plan, TemplateItem

EDS_TEMPLATE = "eds2022"
PCREF_TEMPLATE = "pcref"
EDS_FIRST_YEAR = 2022  # EDS 2022 replaced EDS2 from the 2022/23 year


def grade_field(code: str) -> str:
    """The form field (and refusal key) of an outcome's grade: ``grade_1A``."""
    return f"grade_{code}"


def evidence_field(code: str) -> str:
    return f"evidence_{code}"


def eds_outcomes() -> list[TemplateItem]:
    """The EDS 2022 outcomes now in force, in the framework's order (1A … 3C)."""
    return list(
        TemplateItem.objects.filter(template__code=EDS_TEMPLATE, kind=TemplateItemKind.OUTCOME, retired=False).order_by(
            "order", "code"
        )
    )


def pcref_competencies() -> list[TemplateItem]:
    """The six PCREF organisational competencies now in force, in order (C1 … C6)."""
    return list(
        TemplateItem.objects.filter(
            template__code=PCREF_TEMPLATE, kind=TemplateItemKind.COMPETENCY, retired=False
        ).order_by("order", "code")
    )


def by_group(items: Iterable[TemplateItem]) -> list[tuple[str, list[TemplateItem]]]:
    """Items under their domain (or component), in order of first appearance."""
    groups: dict[str, list[TemplateItem]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())


def year_label(year: int) -> str:
    """The financial year a grading covers: 2025 → "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Overall:
    """The sum of the outcome grades and the band it falls in."""

    total: int
    graded: int
    rating: EdsGrade

    @property
    def label(self) -> str:
        return str(self.rating.label)


def overall(grades: Iterable[int]) -> Overall:
    values = list(grades)
    total = sum(values)
    return Overall(total=total, graded=len(values), rating=eds_overall_rating(total))


def grading_overall(grading: EdsGrading) -> Overall:
    """Uses ``grading.grades`` as fetched (prefetch it for lists)."""
    return overall(row.grade for row in grading.grades.all())


def publication_late(grading: EdsGrading, today: datetime.date | None = None) -> bool:
    """Past its publish-by date and still not published."""
    return grading.published_on is None and grading.publish_by < (today or timezone.localdate())


def gradings_with_grades(gradings: QuerySet[EdsGrading]) -> QuerySet[EdsGrading]:
    """Gradings with their organisation, grades (with outcomes) and graders fetched in a fixed few queries."""
    return gradings.select_related("organisation", "plan").prefetch_related(
        Prefetch("grades", queryset=EdsOutcomeGrade.objects.select_related("outcome").order_by("outcome__order")),
        "graders__organisation",
    )


@dataclass(frozen=True)
class ComparisonCell:
    grade: int | None
    change: str  # in words: "Up from 1", "Down from 2", "No change", or "" for the first year or no grade

    @property
    def label(self) -> str:
        return str(EdsGrade(self.grade).label) if self.grade is not None else ""


@dataclass(frozen=True)
class ComparisonRow:
    outcome: TemplateItem
    cells: list[ComparisonCell]


@dataclass
class EdsComparison:
    """One organisation's grades by outcome (rows) and year (columns), oldest year first."""

    years: list[int]
    gradings: list[EdsGrading]
    rows: list[ComparisonRow] = field(default_factory=list)
    overalls: list[Overall] = field(default_factory=list)
    overall_changes: list[str] = field(default_factory=list)

    @property
    def year_labels(self) -> list[str]:
        return [year_label(year) for year in self.years]

    @property
    def columns(self) -> list[tuple[EdsGrading, str, Overall, str]]:
        """Each year's grading, its label, its overall rating and how the total moved, in words."""
        return list(zip(self.gradings, self.year_labels, self.overalls, self.overall_changes, strict=True))

    @property
    def domains(self) -> list[tuple[str, list[ComparisonRow]]]:
        groups: dict[str, list[ComparisonRow]] = {}
        for row in self.rows:
            groups.setdefault(row.outcome.group, []).append(row)
        return list(groups.items())


def change_in_words(previous: int | None, current: int | None) -> str:
    """How a grade moved since the year before, in words (not only an arrow or a colour)."""
    if previous is None or current is None:
        return ""
    if current > previous:
        return _("Up from %(previous)s") % {"previous": previous}
    if current < previous:
        return _("Down from %(previous)s") % {"previous": previous}
    return _("No change")


def eds_comparison(gradings: QuerySet[EdsGrading]) -> EdsComparison:
    """Year-on-year comparison of the given gradings (one organisation's; filter them by ``visible_to`` first)."""
    fetched = list(gradings_with_grades(gradings).order_by("year"))
    comparison = EdsComparison(years=[grading.year for grading in fetched], gradings=fetched)
    by_year = {grading.year: {row.outcome_id: row.grade for row in grading.grades.all()} for grading in fetched}
    for outcome in eds_outcomes():
        cells: list[ComparisonCell] = []
        previous: int | None = None
        for year in comparison.years:
            grade = by_year[year].get(outcome.pk)
            cells.append(ComparisonCell(grade, change_in_words(previous, grade)))
            previous = grade
        comparison.rows.append(ComparisonRow(outcome, cells))
    previous_total: int | None = None
    for grading in fetched:
        result = grading_overall(grading)
        comparison.overalls.append(result)
        comparison.overall_changes.append(change_in_words(previous_total, result.total))
        previous_total = result.total
    return comparison


def eds_grades_by_outcome(gradings: QuerySet[EdsGrading]) -> dict[int, dict[str, dict[int, int]]]:
    """For the board dashboard: organisation id → outcome code → year → grade, in one query. Pass gradings
    already restricted with ``visible_to(user)`` (and to the organisations and years wanted)."""
    table: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = EdsOutcomeGrade.objects.filter(grading__in=gradings).values_list(
        "grading__organisation_id", "outcome__code", "grading__year", "grade"
    )
    for organisation_id, code, year, grade in rows:
        table[organisation_id][code][year] = grade
    return {organisation: dict(codes) for organisation, codes in table.items()}


def eds_overall_by_year(gradings: QuerySet[EdsGrading]) -> dict[int, dict[int, Overall]]:
    """For the board dashboard: organisation id → year → overall (total and band), in one query."""
    grades: dict[tuple[int, int], list[int]] = defaultdict(list)
    rows = EdsOutcomeGrade.objects.filter(grading__in=gradings).values_list(
        "grading__organisation_id", "grading__year", "grade"
    )
    for organisation_id, year, grade in rows:
        grades[(organisation_id, year)].append(grade)
    result: dict[int, dict[int, Overall]] = defaultdict(dict)
    for (organisation_id, year), values in sorted(grades.items()):
        result[organisation_id][year] = overall(values)
    return dict(result)


@dataclass(frozen=True)
class CompetencyHistory:
    competency: TemplateItem
    latest: CompetencyAssessment | None
    earlier: list[CompetencyAssessment]


def competency_self_assessment(plan: Plan) -> list[CompetencyHistory]:
    """Each PCREF competency with the plan's latest self-assessment of it and the earlier ones, newest first."""
    assessments: dict[int, list[CompetencyAssessment]] = defaultdict(list)
    rows = CompetencyAssessment.objects.filter(plan=plan).select_related("assessed_by").order_by("-assessed_on", "-pk")
    for row in rows:
        assessments[row.competency_id].append(row)
    histories = []
    for competency in pcref_competencies():
        rows_of = assessments.get(competency.pk, [])
        histories.append(CompetencyHistory(competency, rows_of[0] if rows_of else None, rows_of[1:]))
    return histories


def describe(value: Any) -> str:
    """A grade with its label, "2 Achieving activity", for tables and files."""
    return f"{value} {EdsGrade(value).label}" if value is not None else ""
