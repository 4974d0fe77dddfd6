"""The who-does-what matrix of a partnership, read for its page, its edit page and its spreadsheet: the
objectives of the plans it delivers (those the reader may see) down the side, its partners across the top,
and in each cell the partner's part. Three queries, however large the matrix."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waymark.core.models import Organisation
from waymark.partnership.choices import ResponsibilityLevel
from waymark.partnership.models import Partnership
from waymark.plans.models import Objective

# What each part means, shown as the matrix's key and written into the spreadsheet's notes.
LEVEL_MEANINGS = {
    ResponsibilityLevel.LEAD: gettext_lazy("Answers for the objective and leads the work on it."),
    ResponsibilityLevel.CONTRIBUTES: gettext_lazy("Does part of the work, with people or money."),
    ResponsibilityLevel.CONSULTED: gettext_lazy("Is asked for its view before decisions are taken."),
    ResponsibilityLevel.INFORMED: gettext_lazy("Is told of progress and decisions."),
}

# Tag colours, so the leads stand out from those kept informed at a glance (the words say it too).
LEVEL_COLOURS = {
    ResponsibilityLevel.LEAD: "blue",
    ResponsibilityLevel.CONTRIBUTES: "green",
    ResponsibilityLevel.CONSULTED: "yellow",
    ResponsibilityLevel.INFORMED: "grey",
}


@dataclass(frozen=True)
class Cell:
    organisation: Organisation
    level: str  # a ResponsibilityLevel, or "" for no part
    label: str
    colour: str = ""


@dataclass
class Row:
    objective: Objective
    cells: list[Cell] = field(default_factory=list)


@dataclass
class PlanRows:
    plan: Any
    rows: list[Row] = field(default_factory=list)


@dataclass
class Matrix:
    partnership: Partnership
    organisations: list[Organisation]
    plans: list[PlanRows]

    @property
    def is_empty(self) -> bool:
        return not self.organisations or not any(group.rows for group in self.plans)

    def cell_count(self) -> int:
        return sum(1 for group in self.plans for row in group.rows for cell in row.cells if cell.level)


def matrix_organisations(partnership: Partnership) -> list[Organisation]:
    """The partners across the top: current members, and any organisation that still has a part recorded
    (one that has left keeps its column until its parts are cleared)."""
    today = timezone.localdate()
    current = Q(
        partnership_memberships__partnership=partnership,
    ) & (Q(partnership_memberships__left_on__isnull=True) | Q(partnership_memberships__left_on__gte=today))
    with_parts = Q(pk__in=partnership.responsibilities.values("organisation_id"))
    return list(Organisation.objects.filter(current | with_parts).distinct().only("id", "name").order_by("name"))


def build_matrix(partnership: Partnership, user: Any) -> Matrix:
    """The matrix as ``user`` may see it: objectives of plans they do not see are left out."""
    organisations = matrix_organisations(partnership)
    objectives = (
        Objective.objects.visible_to(user)
        .filter(plan__in=partnership.plans.all())
        .select_related("plan")
        .only("id", "uuid", "code", "title", "order", "plan__id", "plan__uuid", "plan__title")
        .order_by("plan__title", "plan__pk", "order", "code")
    )
    parts = partnership.responsibilities.values_list("objective_id", "organisation_id", "level")
    levels = {(objective_id, organisation_id): level for objective_id, organisation_id, level in parts}
    labels = {value: str(label) for value, label in ResponsibilityLevel.choices}
    groups: dict[int, PlanRows] = {}
    for objective in objectives:
        group = groups.setdefault(objective.plan.pk, PlanRows(plan=objective.plan))
        row = Row(objective=objective)
        for organisation in organisations:
            level = levels.get((objective.pk, organisation.pk), "")
            row.cells.append(
                Cell(
                    organisation=organisation,
                    level=level,
                    label=labels.get(level, ""),
                    colour=LEVEL_COLOURS.get(level, ""),  # type: ignore[call-overload]
                )
            )
        group.rows.append(row)
    return Matrix(partnership=partnership, organisations=organisations, plans=list(groups.values()))


def matrix_sheet(matrix: Matrix) -> tuple[list[str], list[list[Any]], list[str]]:
    """The headings, rows and notes of the matrix's spreadsheet: one row per objective, one column per partner."""
    headings = [_("Plan"), _("Objective number"), _("Objective")] + [org.name for org in matrix.organisations]
    rows = [
        [group.plan.title, row.objective.code, row.objective.title] + [cell.label or None for cell in row.cells]
        for group in matrix.plans
        for row in group.rows
    ]
    notes = [
        _("Who does what: %(name)s") % {"name": matrix.partnership.name},
        _("Downloaded on %(day)s.") % {"day": timezone.localdate().strftime("%d %B %Y")},
        _("One row per objective of the plans the partnership delivers, one column per partner organisation."),
        *[f"{label}: {LEVEL_MEANINGS[ResponsibilityLevel(value)]}" for value, label in ResponsibilityLevel.choices],
    ]
    return headings, rows, notes
