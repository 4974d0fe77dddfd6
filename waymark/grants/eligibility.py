"""The automatic eligibility flags set when an application is sent: the amount, the area and the kind of group.

A flag is a question for the screener, not a refusal: a group may ask for a little more than the maximum, or
work just over the border, and staff decide (screening, with a reason). Each flag is stored on the application
as ``{"code": …, "message": …}`` so the screening page reads it as it was when the application came in.
"""

from decimal import Decimal
from typing import TypedDict

from django.utils.translation import gettext as _

from waymark.core.choices import OrganisationType
from waymark.core.models import Area
from waymark.grants.choices import ApplicantKind
from waymark.grants.models import Application


class Flag(TypedDict):
    code: str
    message: str


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _areas_containing(area_id: int) -> set[int]:
    """The area and every area it nests in (LSOA → MSOA → local authority → region, and an LSOA's ward by best
    fit): a handful of one-row reads, however many areas there are."""
    found: set[int] = set()
    pending: list[int] = [area_id]
    while pending and len(found) < 12:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        row = Area.objects.filter(pk=current).values_list("parent_id", "best_fit_ward_id").first()
        if row:
            pending.extend(pk for pk in row if pk is not None)
    return found


def eligibility_flags(application: Application) -> list[Flag]:
    """What about this application does not fit the programme's published rules, in words a screener reads."""
    programme = application.programme
    flags: list[Flag] = []
    amount = application.amount_requested
    if amount is not None and amount < programme.minimum_award:
        flags.append(
            {
                "code": "amount_below_minimum",
                "message": _("Asks for %(amount)s; the smallest award is %(limit)s.")
                % {"amount": _money(amount), "limit": _money(programme.minimum_award)},
            }
        )
    if amount is not None and amount > programme.maximum_award:
        flags.append(
            {
                "code": "amount_above_maximum",
                "message": _("Asks for %(amount)s; the largest award is %(limit)s.")
                % {"amount": _money(amount), "limit": _money(programme.maximum_award)},
            }
        )
    if application.applicant_kind == ApplicantKind.INDIVIDUAL:
        if not programme.accepts_individuals:
            flags.append({"code": "individual", "message": _("An individual applied; this programme funds groups.")})
    elif application.organisation_type and application.organisation_type not in programme.eligible_types:
        flags.append(
            {
                "code": "organisation_type",
                "message": _("A %(kind)s applied; this programme funds: %(allowed)s.")
                % {
                    "kind": OrganisationType(application.organisation_type).label.lower(),
                    "allowed": ", ".join(
                        str(OrganisationType(kind).label).lower()
                        for kind in programme.eligible_types
                        if kind in OrganisationType.values
                    ),
                },
            }
        )
    allowed = set(programme.areas.values_list("pk", flat=True))
    if allowed:
        if application.beneficiary_area_id is None:
            flags.append(
                {"code": "area_missing", "message": _("No area given; this programme funds work in set areas.")}
            )
        else:
            if not allowed & _areas_containing(application.beneficiary_area_id):
                flags.append(
                    {
                        "code": "area",
                        "message": _("The work is in %(area)s, outside the programme's areas.")
                        % {"area": application.beneficiary_area.name},  # type: ignore[union-attr]
                    }
                )
    return flags
