"""The export log: every download of personal data or of unsuppressed figures, for administrators to review.

Views call ``record_export`` as they build the file, so the log says who took what, when, how many rows and
with which filters, whichever page the download came from.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from waymark.core.models import ExportLog

# Query parameters that choose a file's format or page, not which rows it holds.
NOT_FILTERS = frozenset({"format", "page", "csrfmiddlewaretoken"})


def filters_of(params: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """The filters of a request's query (or form) as a plain mapping, leaving out the format and the page."""
    lists = params.lists() if hasattr(params, "lists") else ((key, [value]) for key, value in params.items())
    return {
        key: values[0] if len(values) == 1 else list(values)
        for key, values in lists
        if key not in NOT_FILTERS and any(values)
    }


@transaction.atomic
def record_export(*, actor: Any, kind: str, description: str, rows: int, filters: Mapping[str, Any]) -> ExportLog:
    """Write one row of the export log for a download ``actor`` is being given."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ExportLog.objects.create(
        user=user, kind=kind, description=description[:300], rows=rows, filters=dict(filters)
    )
