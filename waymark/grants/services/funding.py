"""The link to the map: an award is the recipient's funding source in the directory, so the fragility radar
sees the new money, and its "funding ends" warning names the programme a commissioner can renew.

The directory's row is written through the directory's own services and carries the decision's uuid, so
deciding again (a changed amount or end date) updates the one row rather than adding a second.
"""

from typing import Any

from django.db import transaction

from waymark.core.audit import acting_as
from waymark.directory import services as directory_services
from waymark.directory.choices import FundingType
from waymark.directory.models import FundingSource
from waymark.grants.choices import DecisionOutcome
from waymark.grants.models import GrantDecision


def record_award_funding(decision: GrantDecision, *, actor: Any) -> FundingSource | None:
    """Add or update the recipient organisation's funding source for this award: the funder, the programme,
    the grant identifier, the amount and the grant's dates. Nothing for a decline, or for an award with no
    Organisation (a grant to an individual is not a group's funding)."""
    application = decision.application
    organisation = application.organisation
    if decision.outcome != DecisionOutcome.AWARD or organisation is None:
        return None
    programme = application.programme
    data = {
        "funder": programme.funder.name,
        "funding_type": FundingType.GRANT,
        "amount": decision.amount_awarded,
        "starts_on": decision.starts_on or decision.award_date,
        "ends_on": decision.ends_on,
        "programme": programme.title,
        "grant_identifier": decision.grant_identifier,
    }
    with transaction.atomic(), acting_as(actor):
        existing = FundingSource.objects.filter(uuid=decision.uuid).first()
        if existing is not None:
            return directory_services.update_funding_source(actor=actor, funding_source=existing, data=data)
        return directory_services.create_funding_source(
            actor=actor, organisation=organisation, data={"uuid": decision.uuid, **data}
        )
