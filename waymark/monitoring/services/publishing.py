"""Publishing: an analyst freezes a dated, disclosure-controlled snapshot of a provider's figures.

The snapshot's tables are built with disclosure control on, whoever publishes, and stored as they are:
the public pages, exports and API read them back (``dashboards.snapshot_tables``) and never recompute from
live figures, so a later import cannot change what was published. A correction is a new snapshot.
"""

import datetime
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.core.disclosure import DisclosureRules
from waymark.core.models import Area, Organisation
from waymark.core.text import refuse_nul_characters
from waymark.monitoring import dashboards, national
from waymark.monitoring.models import AnalysisGrouping, PublishedSnapshot


@transaction.atomic
def publish_snapshot(
    *,
    actor: Any,
    provider: Organisation,
    area: Area,
    year: int,
    title: str,
    methods_note: str,
    grouping: AnalysisGrouping | None = None,
    reference_group: str | None = None,
    confidence: float = 0.95,
    published_on: datetime.date | None = None,
    include_national: bool = False,
    check_access: bool = True,
) -> PublishedSnapshot:
    """Freeze the provider's dashboard for ``year`` against ``area``'s population, disclosure-controlled;
    with ``include_national``, England's published figures beside it, frozen with it.

    ``check_access`` is off only for the demo, which publishes as the system.
    """
    if check_access and not policy.can(actor, "monitoring.publish", provider):
        raise PermissionDenied("Only the provider's analysts may publish its figures.")
    dashboard = dashboards.provider_dashboard(
        provider=provider,
        area=area,
        year=year,
        protected=True,
        grouping=grouping,
        reference_group=reference_group,
        confidence=confidence,
    )
    tables: dict[str, list] = {"indicators": [table.to_dict() for table in dashboard.tables]}
    if include_national:
        tables["national"] = [
            comparison.to_dict()
            for comparison in national.compare(
                dashboard.tables,
                start_year=year,
                reference_group=dashboard.reference_group,
                confidence=dashboard.confidence,
            )
        ]
    snapshot = PublishedSnapshot(
        title=title.strip(),
        provider=provider,
        area=area,
        period_start=dashboards.financial_year_start(year),
        period_end=dashboards.financial_year_start(year + 1) - datetime.timedelta(days=1),
        grouping_name=dashboard.grouping_name,
        methods_note=methods_note.strip(),
        tables=tables,
        disclosure_rules=asdict(DisclosureRules.from_settings()),
        published_on=published_on or timezone.localdate(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    refuse_nul_characters(snapshot)
    snapshot.full_clean(exclude=["published_by", "provider", "area"])
    with acting_as(actor):
        snapshot.save()
    return snapshot
