"""Load one year of England's published Mental Health Act statistics: the one write path for the upload page,
``manage.py import_national_mha`` and the demo.

All or nothing: the file is read and checked first (``monitoring.imports.national``); one problem and nothing
is written, and the caller gets every problem by row and column in :class:`NationalFileInvalid`.
"""

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.monitoring.codes import DEFAULT_GROUPING_SLUG
from waymark.monitoring.imports.errors import ErrorLog
from waymark.monitoring.imports.national import check_year, read_national_file
from waymark.monitoring.models import AnalysisGroup, NationalFigure, NationalRelease


class NationalFileInvalid(Exception):
    """The file was not loaded; ``errors`` lists each problem as {row, field, value, message}."""

    def __init__(self, errors: list[dict[str, Any]], total: int) -> None:
        super().__init__(_("Nothing was loaded: %(count)s problems were found.") % {"count": f"{total:,}"})
        self.errors = errors
        self.total = total


def _as_path(source: Any, directory: str) -> tuple[Path, str]:
    """A path to read and the name to record: a path as it is, an upload copied into ``directory``."""
    if isinstance(source, (str, Path)):
        return Path(source), Path(source).name
    name = Path(source.name).name
    path = Path(directory) / f"upload{Path(name).suffix.lower()}"
    with open(path, "wb") as out:
        for chunk in source.chunks():
            out.write(chunk)
    return path, name


def import_national_mha(*, actor: Any, source: Any, year: str) -> NationalRelease:
    """Check and load England's figures by ethnicity for ``year`` ("2023-24") from the published table."""
    try:
        year = check_year(year)
    except ValueError as exc:
        raise NationalFileInvalid([{"row": None, "field": "Year", "value": year, "message": str(exc)}], 1) from exc
    log = ErrorLog()
    if NationalRelease.objects.filter(year=year).exists():
        log.add(None, "Year", year, _("England's figures for %(year)s are already loaded.") % {"year": year})
        raise NationalFileInvalid(log.listed, log.total)
    with tempfile.TemporaryDirectory() as directory:
        path, name = _as_path(source, directory)
        rows, rows_read = read_national_file(path, year, log)
        if log:
            raise NationalFileInvalid(log.listed, log.total)
        with open(path, "rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    groups = {group.code: group for group in AnalysisGroup.objects.filter(grouping__slug=DEFAULT_GROUPING_SLUG)}
    with transaction.atomic(), acting_as(actor):
        release = NationalRelease.objects.create(
            year=year,
            file_name=name[:255],
            sha256=sha256,
            rows_read=rows_read,
            loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        NationalFigure.objects.bulk_create(
            NationalFigure(
                release=release,
                measure=row.measure,
                published_measure=row.published_measure[:200],
                measure_subcategory=row.measure_subcategory[:200],
                published_group=row.published_group[:200],
                level=row.level,
                analysis_group=groups.get(row.group_code),
                broad_group=row.broad_group,
                mhsds_count=row.mhsds_count,
                acute_count=row.acute_count,
                total_count=row.total_count,
                crude_rate=row.crude_rate,
                std_rate=row.std_rate,
                std_rate_lower=row.std_rate_lower,
                std_rate_upper=row.std_rate_upper,
                row=row.row,
            )
            for row in rows
        )
    return release
