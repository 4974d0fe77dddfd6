"""What the scores say: one seat's weighted score, an application's scores side by side, and the spread of a
programme's scores for moderation.

The rule (docs/grants.md, "Assessment"): each criterion is scored 0 to 5 or marked N/A. A seat's weighted
score is the sum of score times weight over the criteria it scored, divided by the sum of those criteria's weights,
so it stays on the 0 to 5 scale. N/A is left out and the other weights re-normalised: a criterion that does
not apply neither counts as 0 (Hypha's users lost points that way) nor inflates the rest. Only submitted seats
count towards an application's mean and spread; drafts are work in progress.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from waymark.grants.choices import AssessmentStatus
from waymark.grants.models import Application, Assessment, Programme, Score

TWO_PLACES = Decimal("0.01")
# A gap this wide between the highest and lowest weighted score on one application is worth talking about.
SPREAD_TO_DISCUSS = Decimal("1.50")


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_score(assessment: Assessment) -> Decimal | None:
    """The seat's weighted score on the 0 to 5 scale, N/A left out; None while nothing is scored.

    Reads ``assessment.scores`` with their criteria (prefetch them with ``scores_prefetch()`` for lists)."""
    total = Decimal(0)
    weights = 0
    for row in assessment.scores.all():
        if row.score is None:
            continue
        total += Decimal(row.score) * row.criterion.weight
        weights += row.criterion.weight
    return _rounded(total / weights) if weights else None


def scores_prefetch(prefix: str = "") -> Prefetch:
    """The scores of seats with their criteria, for ``weighted_score`` on a list without a query per seat."""
    return Prefetch(f"{prefix}scores", queryset=Score.objects.select_related("criterion"))


@dataclass(frozen=True)
class Spread:
    """The submitted weighted scores on one application."""

    application: Application
    seats: list[tuple[Assessment, Decimal | None]]  # every seat the viewer sees, with its weighted score

    @property
    def submitted(self) -> list[Decimal]:
        return [score for seat, score in self.seats if seat.status == AssessmentStatus.SUBMITTED and score is not None]

    @property
    def lowest(self) -> Decimal | None:
        return min(self.submitted, default=None)

    @property
    def highest(self) -> Decimal | None:
        return max(self.submitted, default=None)

    @property
    def mean(self) -> Decimal | None:
        values = self.submitted
        return _rounded(sum(values, Decimal(0)) / len(values)) if values else None

    @property
    def gap(self) -> Decimal | None:
        return self.highest - self.lowest if self.submitted else None  # type: ignore[operator]

    @property
    def to_discuss(self) -> bool:
        return self.gap is not None and self.gap >= SPREAD_TO_DISCUSS


def seats_seen(user: Any) -> QuerySet[Assessment]:
    """The seats ``user`` sees (their own; for grants officers, all but those on applications they are
    conflicted on), with assessor and scores ready for ``weighted_score``."""
    return Assessment.objects.visible_to(user).select_related("assessor").prefetch_related(scores_prefetch())


def spread_for(application: Application, user: Any) -> Spread:
    seats = list(seats_seen(user).filter(application=application).order_by("assigned_at"))
    return Spread(application=application, seats=[(seat, weighted_score(seat)) for seat in seats])


def programme_applications_assessed(programme: Programme, user: Any) -> QuerySet[Application]:
    """The programme's applications with at least one seat, that ``user`` may see, each with the seats they see."""
    seats = seats_seen(user).order_by("assigned_at")
    return (
        Application.objects.visible_to(user)
        .filter(programme=programme, assessments__isnull=False)
        .distinct()
        .select_related("organisation")
        .prefetch_related(Prefetch("assessments", queryset=seats, to_attr="seats_seen"))
        .order_by("reference")
    )


def spreads(applications: list[Application]) -> list[Spread]:
    """The spread of each application from ``programme_applications_assessed`` (seats already fetched)."""
    return [
        Spread(application=application, seats=[(seat, weighted_score(seat)) for seat in application.seats_seen])  # type: ignore[attr-defined]
        for application in applications
    ]
