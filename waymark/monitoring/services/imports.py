"""Start an import from an upload: check the request, keep the file, record the batch and queue its job.

The job (``monitoring.imports.jobs.run_import_task``) reads, checks and writes the file once this
transaction commits; the batch page follows it. The demo and the benchmark run an import in their own
process instead (``monitoring.imports.batches.import_path``).
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.jobs import start_job
from waymark.core.models import EthnicCodeSet, Organisation
from waymark.monitoring.choices import ImportKind
from waymark.monitoring.imports.batches import create_batch
from waymark.monitoring.imports.jobs import run_import_task
from waymark.monitoring.models import ImportBatch


def _queue(batch: ImportBatch, actor: Any, label: str, allow_invalid_codes: bool = False) -> ImportBatch:
    batch.job = start_job(
        run_import_task,
        name="monitoring_import",
        label=label,
        actor=actor,
        batch_uuid=str(batch.uuid),
        allow_invalid_codes=allow_invalid_codes,
    )
    batch.save(update_fields=["job"])
    return batch


@transaction.atomic
def start_population_import(
    *, actor: Any, uploaded_file: Any, population_year: int, code_set: EthnicCodeSet | None = None
) -> ImportBatch:
    """Queue a population import; the batch's job shows progress. Raises ValidationError on a bad request."""
    with acting_as(actor):
        batch = create_batch(
            kind=ImportKind.POPULATION,
            actor=actor,
            source=uploaded_file,
            code_set=code_set,
            population_year=population_year,
        )
        return _queue(batch, actor, _("Import population: %(name)s") % {"name": batch.file_name})


@transaction.atomic
def start_activity_import(
    *,
    actor: Any,
    uploaded_file: Any,
    provider: Organisation,
    period_start: datetime.date,
    period_end: datetime.date,
    code_set: EthnicCodeSet | None = None,
    allow_invalid_codes: bool = False,
    aggregated: bool = False,
) -> ImportBatch:
    """Queue an activity import (record-level, or pre-aggregated counts when ``aggregated``)."""
    with acting_as(actor):
        batch = create_batch(
            kind=ImportKind.AGGREGATE if aggregated else ImportKind.ACTIVITY,
            actor=actor,
            source=uploaded_file,
            provider=provider,
            code_set=code_set,
            period_start=period_start,
            period_end=period_end,
            allow_invalid_codes=allow_invalid_codes,
        )
        label = _("Import activity for %(provider)s: %(name)s") % {"provider": provider.name, "name": batch.file_name}
        return _queue(batch, actor, label, allow_invalid_codes)
