"""The fragility radar: which organisations may vanish soon, and why.

Commissioners look for three warning signs: funding that ends within the chosen window
(3, 6 or 12 months), services run partly or wholly by volunteers, and an organisation living on a
single funder. Funding that ended in the last three months is listed under its own reason, so a
group that has just lost its money does not drop off the radar the day after.

Plain functions of a date and a queryset, so the windows can be tested day by day.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waymark.core.dates import add_months
from waymark.core.models import Organisation
from waymark.directory.choices import RUNNING_STATUSES, VolunteerReliance
from waymark.directory.models import FundingSource, Service

WINDOW_MONTHS = (3, 6, 12)
DEFAULT_WINDOW_MONTHS = 6
RECENTLY_ENDED_MONTHS = 3
VOLUNTEER_RUN = (VolunteerReliance.PARTLY, VolunteerReliance.WHOLLY)


class Reason(StrEnum):
    """Why an organisation is on the radar; the order is the order of the totals on the page."""

    FUNDING_ENDS = "funding_ends"
    FUNDING_ENDED = "funding_ended"
    VOLUNTEER_RUN = "volunteer_run"
    SINGLE_FUNDER = "single_funder"


REASON_LABELS = {
    Reason.FUNDING_ENDED: gettext_lazy("Funding ended in the last 3 months"),
    Reason.VOLUNTEER_RUN: gettext_lazy("Volunteer-run"),
    Reason.SINGLE_FUNDER: gettext_lazy("Single funder"),
}


@dataclass(frozen=True)
class RadarReason:
    """One warning sign. ``label`` is the tag people read; ``detail`` names the funder or services behind it."""

    kind: Reason
    label: str
    detail: str = ""
    funding_source: FundingSource | None = None


@dataclass
class RadarEntry:
    """An organisation on the radar, its running services and every reason it is there."""

    organisation: Organisation
    services: list[Service]
    reasons: list[RadarReason] = field(default_factory=list)

    @property
    def kinds(self) -> set[Reason]:
        return {reason.kind for reason in self.reasons}

    @property
    def soonest_end(self) -> date | None:
        """The earliest funding end date among its reasons, for putting the most urgent first."""
        ends = [
            reason.funding_source.ends_on
            for reason in self.reasons
            if reason.funding_source is not None and reason.funding_source.ends_on is not None
        ]
        return min(ends, default=None)


def whole_months_between(start: date, end: date) -> int:
    """How many whole months from ``start`` to ``end`` (``end`` after ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def is_current(funding_source: FundingSource, today: date) -> bool:
    """Funding in force today: started (or no start date) and not yet ended (or open-ended)."""
    started = funding_source.starts_on is None or funding_source.starts_on <= today
    not_ended = funding_source.ends_on is None or funding_source.ends_on >= today
    return started and not_ended


def describe_time_until(today: date, ends_on: date) -> str:
    """How far off an end date is, in the largest whole unit: "in 2 months", "in 5 days", "today"."""
    months = whole_months_between(today, ends_on)
    if months:
        return ngettext("in %(count)d month", "in %(count)d months", months) % {"count": months}
    days = (ends_on - today).days
    if days == 0:
        return _("today")
    return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}


def describe_time_since(today: date, ended_on: date) -> str:
    """How long ago funding ended: "2 months ago", "3 days ago"."""
    months = whole_months_between(ended_on, today)
    if months:
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    days = (today - ended_on).days
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


def _funding_detail(funding_source: FundingSource) -> str:
    if funding_source.programme:
        # A grant recorded from an award: the programme is what a commissioner recognises and can renew.
        return _("%(funder)s (%(type)s: %(programme)s)") % {
            "funder": funding_source.funder,
            "type": funding_source.get_funding_type_display(),
            "programme": funding_source.programme,
        }
    if funding_source.service_id is not None:
        return _("%(funder)s (%(type)s) for %(service)s") % {
            "funder": funding_source.funder,
            "type": funding_source.get_funding_type_display(),
            "service": funding_source.service.name,  # type: ignore[union-attr]
        }
    return _("%(funder)s (%(type)s)") % {
        "funder": funding_source.funder,
        "type": funding_source.get_funding_type_display(),
    }


def _short_date(day: date) -> str:
    return formats.date_format(day, "j M Y")


def _funder_key(funder: str) -> str:
    return " ".join(funder.casefold().split())


def reasons_for(
    organisation: Organisation,
    services: list[Service],
    funding_sources: Iterable[FundingSource],
    *,
    today: date,
    window_months: int,
) -> list[RadarReason]:
    """Every warning sign of one organisation, funding endings first, soonest first."""
    window_end = add_months(today, window_months)
    ended_since = add_months(today, -RECENTLY_ENDED_MONTHS)
    reasons: list[RadarReason] = []
    current_funders: set[str] = set()
    for funding_source in sorted(funding_sources, key=lambda source: (source.ends_on or date.max, source.pk)):
        ends_on = funding_source.ends_on
        if is_current(funding_source, today):
            current_funders.add(_funder_key(funding_source.funder))
        if ends_on is None:
            continue  # open-ended funding never counts as ending
        if today <= ends_on <= window_end:
            label = _("Funding ends %(date)s (%(when)s)") % {
                "date": _short_date(ends_on),
                "when": describe_time_until(today, ends_on),
            }
            reasons.append(RadarReason(Reason.FUNDING_ENDS, label, _funding_detail(funding_source), funding_source))
        elif ended_since <= ends_on < today:
            label = _("Funding ended %(date)s (%(when)s)") % {
                "date": _short_date(ends_on),
                "when": describe_time_since(today, ends_on),
            }
            reasons.append(RadarReason(Reason.FUNDING_ENDED, label, _funding_detail(funding_source), funding_source))
    volunteer_run = [service for service in services if service.volunteer_reliance in VOLUNTEER_RUN]
    if volunteer_run:
        detail = ", ".join(f"{service.name} ({service.get_volunteer_reliance_display()})" for service in volunteer_run)
        reasons.append(RadarReason(Reason.VOLUNTEER_RUN, _("Volunteer-run"), detail))
    if len(current_funders) == 1:
        reasons.append(RadarReason(Reason.SINGLE_FUNDER, _("Single funder")))
    return reasons


def fragility_radar(*, today: date, window_months: int, organisations_qs: QuerySet[Organisation]) -> list[RadarEntry]:
    """The organisations on the radar, most urgent first: soonest funding end, then by name.

    ``organisations_qs`` is already limited to what the user may see. Three queries whatever the
    number of rows: the organisations, their running services, and their funding sources.
    """
    if window_months not in WINDOW_MONTHS:
        raise ValueError(f"The window must be one of {WINDOW_MONTHS} months, not {window_months}.")
    ended_since = add_months(today, -RECENTLY_ENDED_MONTHS)
    window_end = add_months(today, window_months)
    current = Q(funding_sources__starts_on__isnull=True) | Q(funding_sources__starts_on__lte=today)
    current &= Q(funding_sources__ends_on__isnull=True) | Q(funding_sources__ends_on__gte=today)
    candidates = (
        Q(funding_sources__ends_on__gte=ended_since, funding_sources__ends_on__lte=window_end)
        | Q(services__volunteer_reliance__in=VOLUNTEER_RUN, services__status__in=RUNNING_STATUSES)
        | current
    )
    candidate_ids = organisations_qs.filter(candidates).values("pk")
    organisations = (
        organisations_qs.filter(pk__in=candidate_ids)
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.filter(status__in=RUNNING_STATUSES).order_by("name", "pk"),
                to_attr="running_services",
            ),
            Prefetch(
                "funding_sources",
                queryset=FundingSource.objects.select_related("service").order_by("ends_on", "pk"),
                to_attr="all_funding_sources",
            ),
        )
    )
    entries = []
    for organisation in organisations:
        services = organisation.running_services  # type: ignore[attr-defined]
        reasons = reasons_for(
            organisation,
            services,
            organisation.all_funding_sources,  # type: ignore[attr-defined]
            today=today,
            window_months=window_months,
        )
        if reasons:
            entries.append(RadarEntry(organisation=organisation, services=services, reasons=reasons))
    entries.sort(key=lambda entry: (entry.soonest_end or date.max, entry.organisation.name.casefold()))
    return entries


def reason_label(kind: Reason, window_months: int) -> str:
    """What a reason is called in the totals and the filter, such as "Funding ends within 6 months"."""
    if kind == Reason.FUNDING_ENDS:
        return _("Funding ends within %(months)d months") % {"months": window_months}
    return str(REASON_LABELS[kind])


def radar_totals(entries: Iterable[RadarEntry], window_months: int) -> list[tuple[Reason, str, int]]:
    """How many organisations each reason puts on the radar: (reason, label, count), in the reasons' order."""
    counts = dict.fromkeys(Reason, 0)
    for entry in entries:
        for kind in entry.kinds:
            counts[kind] += 1
    return [(kind, reason_label(kind, window_months), count) for kind, count in counts.items()]
