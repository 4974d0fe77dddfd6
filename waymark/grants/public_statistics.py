"""A programme's figures as anyone may read them: applications received, awards, the success rate, how long
decisions took against the date the programme published, and the same by community served.

Funders that sign up to open and trusting grant-making publish their success rates and keep their timetable;
these figures let applicants see both. Every count passes through ``core.disclosure`` (small counts hidden,
the rest rounded), because a community served by two groups must not reveal which one was turned down. The
success rate and the share of decisions on time are worked out from the published counts, never the true
ones, and a median of days is shown only for a group with enough decisions for its count to be published.

An application counts once for each community it says it serves, so the rows by community do not add up to
the programme's total; the table is protected as a table (rows and columns) all the same.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.disclosure import DisclosureRules, PublishedCount, protect_counts, protect_table
from waymark.grants.choices import RECEIVED_STATUSES, ApplicationStatus
from waymark.grants.models import Application, Programme

# The outcome columns, in the order the page shows them.
AWARDED = "awarded"
DECLINED = "declined"
SCREENED_OUT = "screened_out"
PENDING = "pending"
OUTCOMES = (AWARDED, DECLINED, SCREENED_OUT, PENDING)
OUTCOME_OF: dict[str, str] = {
    ApplicationStatus.AWARDED: AWARDED,
    ApplicationStatus.DECLINED: DECLINED,
    ApplicationStatus.SCREENED_OUT: SCREENED_OUT,
    ApplicationStatus.SUBMITTED: PENDING,
    ApplicationStatus.IN_ASSESSMENT: PENDING,
}


@dataclass(frozen=True)
class OutcomeFigures:
    """One row of figures: the whole programme, or the applications serving one community."""

    label: str
    applications: PublishedCount
    outcomes: dict[str, PublishedCount]
    median_days: int | None

    @property
    def awarded(self) -> PublishedCount:
        return self.outcomes[AWARDED]

    @property
    def declined(self) -> PublishedCount:
        return self.outcomes[DECLINED]

    @property
    def screened_out(self) -> PublishedCount:
        return self.outcomes[SCREENED_OUT]

    @property
    def pending(self) -> PublishedCount:
        return self.outcomes[PENDING]

    @property
    def success_rate(self) -> int | None:
        """Awards as a percentage of the applications decided (awarded, declined or not eligible), from the
        published counts; None when any of them is hidden or nothing is decided yet."""
        decided = [self.outcomes[key].value for key in (AWARDED, DECLINED, SCREENED_OUT)]
        if any(value is None for value in decided):
            return None
        total = sum(value for value in decided if value is not None)
        awarded = self.outcomes[AWARDED].value or 0
        return round(awarded * 100 / total) if total else None


@dataclass(frozen=True)
class ProgrammeStatistics:
    programme: Programme
    overall: OutcomeFigures
    by_community: list[OutcomeFigures]
    decided_on_time: PublishedCount  # decisions made on or before the published "decisions by" date
    decided_late: PublishedCount

    @property
    def on_time_rate(self) -> int | None:
        on_time, late = self.decided_on_time.value, self.decided_late.value
        if on_time is None or late is None or not on_time + late:
            return None
        return round(on_time * 100 / (on_time + late))

    @property
    def has_applications(self) -> bool:
        return self.overall.applications.value != 0


@dataclass(frozen=True)
class _Received:
    outcome: str
    days_to_decision: int | None
    decided_on: datetime.date | None


def programme_statistics(programme: Programme, rules: DisclosureRules | None = None) -> ProgrammeStatistics:
    """The programme's public figures, in three queries whatever the number of applications."""
    rules = rules or DisclosureRules.from_settings()
    received = _received(programme)
    served: dict[str, set[int]] = {}
    links = Application.communities.through.objects.filter(
        application__programme=programme, application__status__in=RECEIVED_STATUSES
    ).values_list("application_id", "community__name")
    for application_id, community in links:
        served.setdefault(community, set()).add(application_id)
    unstated = set(received) - {pk for pks in served.values() for pk in pks}

    overall = _figures(_("All applications"), list(received.values()), rules)
    groups = sorted(served.items())
    if unstated:
        groups.append((_("No community given"), unstated))
    by_community = _community_figures(groups, received, rules)

    decided = [row.decided_on for row in received.values() if row.decided_on is not None]
    on_time = sum(1 for day in decided if day <= programme.decision_by)
    timing, _total = protect_counts({"on_time": on_time, "late": len(decided) - on_time}, rules)
    return ProgrammeStatistics(
        programme=programme,
        overall=overall,
        by_community=by_community,
        decided_on_time=timing["on_time"],
        decided_late=timing["late"],
    )


def _received(programme: Programme) -> dict[int, _Received]:
    """Every application the programme received (drafts and withdrawn ones are not counted), with its outcome
    and, once decided, the days from sending it to the decision."""
    rows = (
        Application.objects.filter(programme=programme, status__in=RECEIVED_STATUSES)
        .values_list("pk", "status", "submitted_at", "decision__award_date")
        .order_by()
    )
    received = {}
    for pk, status, submitted_at, decided_on in rows:
        days = None
        if decided_on is not None and submitted_at is not None:
            days = max((decided_on - timezone.localtime(submitted_at).date()).days, 0)
        received[pk] = _Received(OUTCOME_OF[status], days, decided_on)
    return received


def _median_days(rows: list[_Received], rules: DisclosureRules) -> int | None:
    """Shown only where the number of decisions behind it is large enough to be published itself."""
    days = [row.days_to_decision for row in rows if row.days_to_decision is not None]
    if len(days) <= rules.suppress_up_to:
        return None
    return round(statistics.median(days))


def _figures(label: str, rows: list[_Received], rules: DisclosureRules) -> OutcomeFigures:
    counts = {outcome: sum(1 for row in rows if row.outcome == outcome) for outcome in OUTCOMES}
    cells, total = protect_counts(counts, rules)
    return OutcomeFigures(label, total, cells, _median_days(rows, rules))


def _community_figures(
    groups: list[tuple[str, set[int]]], received: dict[int, _Received], rules: DisclosureRules
) -> list[OutcomeFigures]:
    if not groups:
        return []
    rows = [[received[pk] for pk in pks] for _name, pks in groups]
    table = protect_table(
        [[sum(1 for row in group if row.outcome == outcome) for outcome in OUTCOMES] for group in rows], rules
    )
    return [
        OutcomeFigures(
            label=name,
            applications=table.row_totals[index],
            outcomes=dict(zip(OUTCOMES, table.cells[index], strict=True)),
            median_days=_median_days(rows[index], rules),
        )
        for index, (name, _pks) in enumerate(groups)
    ]
