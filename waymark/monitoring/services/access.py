"""Writes to data-sharing access: an administrator records that a commissioner may see a provider's figures.

Who may call these is decided at the edge (``monitoring.manage_access``); what the grant means is decided
in ``monitoring.permissions.monitoring_provider_ids``.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.core.text import refuse_nul_characters
from waymark.monitoring.models import ProviderDataAccess


@transaction.atomic
def grant_provider_access(
    *,
    actor: Any,
    provider: Organisation,
    commissioner: Organisation,
    agreement_reference: str,
    agreement_date: date,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> ProviderDataAccess:
    """Record the agreement and open the provider's unsuppressed figures to the commissioner's analysts."""
    access = ProviderDataAccess(
        provider=provider,
        commissioner=commissioner,
        agreement_reference=agreement_reference.strip(),
        agreement_date=agreement_date,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    refuse_nul_characters(access)
    access.full_clean(exclude=["granted_by"])
    with acting_as(actor):
        access.save()
    return access


@transaction.atomic
def end_provider_access(*, actor: Any, access: ProviderDataAccess, on: date | None = None) -> ProviderDataAccess:
    """Close the access from a day (today by default); the record of the agreement stays."""
    access.ends_on = max(on or timezone.localdate(), access.starts_on)
    with acting_as(actor):
        access.save(update_fields=["ends_on"])
    return access
