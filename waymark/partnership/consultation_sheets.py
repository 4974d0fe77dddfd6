"""The consultation calendar as CSV or XLSX, for partners who plan in spreadsheets: the rows the list shows,
with the lead's contact details. Every cell goes through ``core.spreadsheets``; the views log each download in
the export log, because the contacts are personal data."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.file_headers import records_header
from waymark.core.models import Area, Community, Theme
from waymark.core.spreadsheets import write_csv, write_xlsx
from waymark.partnership.feeds import absolute_url
from waymark.partnership.models import Consultation

KINDS = ("csv", "xlsx")


def headings() -> list[str]:
    return [
        _("Title"),
        _("Starts on"),
        _("Ends on"),
        _("Status"),
        _("Method"),
        _("Lead body"),
        _("Contact name"),
        _("Contact e-mail"),
        _("Contact telephone"),
        _("Communities asked"),
        _("Themes"),
        _("Areas"),
        _("For the partnership"),
        _("On the public page"),
        _("Where people take part"),
        _("Page"),
    ]


def with_columns(rows: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """The rows with everything a line of the file names, in a handful of queries whatever their number."""
    return rows.select_related("lead_organisation", "partnership").prefetch_related(
        Prefetch("communities", queryset=Community.objects.only("pk", "name")),
        Prefetch("themes", queryset=Theme.objects.only("pk", "name")),
        Prefetch("areas", queryset=Area.objects.only("pk", "name")),
    )


def _names(related: Any) -> str:
    return "; ".join(row.name for row in related.all())


def lines(rows: QuerySet[Consultation]) -> Iterator[list[Any]]:
    for consultation in with_columns(rows).iterator(chunk_size=500):
        yield [
            consultation.title,
            consultation.starts_on,
            consultation.ends_on,
            consultation.get_status_display(),
            consultation.get_method_display(),
            consultation.lead_organisation.name,
            consultation.contact_name,
            consultation.contact_email,
            consultation.contact_phone,
            _names(consultation.communities),
            _names(consultation.themes),
            _names(consultation.areas) or _("The whole borough"),
            consultation.partnership.name if consultation.partnership else "",
            _("Yes") if consultation.published else _("No"),
            consultation.public_link,
            absolute_url(consultation.get_absolute_url()),
        ]


def write_file(rows: QuerySet[Consultation], kind: str, *, filters: Mapping[str, Any] | None = None) -> str | bytes:
    header = records_header(
        _("Consultation calendar"),
        scope=_("Consultations in the borough"),
        grouping=_("One row per consultation"),
        filters=filters,
        unsuppressed=True,  # it names each lead's contact: personal data, never for publication
    )
    if kind == "xlsx":
        about = [
            _("Consultation calendar"),
            _("Downloaded on %(date)s.") % {"date": timezone.localdate().isoformat()},
            _("The contacts are personal data: keep this file only as long as you plan with it."),
        ]
        return write_xlsx(_("Consultations"), headings(), lines(rows), about=about, header=header)
    return write_csv(headings(), lines(rows), header=header)


def file_name(kind: str) -> str:
    return f"consultations-{timezone.localdate().isoformat()}.{kind}"
