"""The header block every downloaded file begins with, so a file passed on still says what it is.

A CSV, a spreadsheet or a PDF forwarded by e-mail loses the page it came from. Each therefore names, above
its figures, what it is, the area or provider, the period, the grouping and when it was made, and ends
with its status line: "Not for publication: unsuppressed figures" or "Disclosure-controlled". The writers
in ``core.spreadsheets`` and ``core.pdf`` put the block on every sheet and every page; callers only say
what goes in it.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def not_for_publication() -> str:
    return _("Not for publication: unsuppressed figures")


def disclosure_controlled() -> str:
    return _("Disclosure-controlled")


@dataclass(frozen=True)
class FileHeader:
    """What a downloaded file is. ``unsuppressed`` is true only when it holds figures no disclosure control
    has touched: those files must never be mistaken for publishable ones."""

    title: str
    scope: str  # the area or provider the file is about
    period: str
    grouping: str
    unsuppressed: bool = False
    made_at: datetime.datetime | None = None

    @property
    def status(self) -> str:
        return not_for_publication() if self.unsuppressed else disclosure_controlled()

    @property
    def made(self) -> str:
        when = timezone.localtime(self.made_at or timezone.now())
        return date_format(when, "j F Y, H:i T")

    def lines(self) -> list[str]:
        """The block as lines of text: the title first, the status line last."""
        return [
            self.title,
            _("Area or provider: %(scope)s") % {"scope": self.scope},
            _("Period: %(period)s") % {"period": self.period},
            _("Grouping: %(grouping)s") % {"grouping": self.grouping},
            _("Made: %(when)s") % {"when": self.made},
            self.status,
        ]


def _css_string_body(text: str) -> str:
    """``text`` for inside a quoted CSS string: every character that could end the string, or that the
    template would escape as HTML (a style element is not decoded), as a CSS hex escape instead."""
    return "".join(f"\\{ord(char):x} " if char in "\"'\\\n<>&" else char for char in text)


def pdf_header_html(header: FileHeader) -> tuple[str, str]:
    """The style (the status line in every page's top margin) and the block (atop the first page) to put in
    a PDF's HTML."""
    style = render_to_string("core/_pdf_file_header_style.html", {"status": _css_string_body(header.status)})
    block = render_to_string("core/_pdf_file_header.html", {"header": header})
    return style, block


def records_header(
    title: str, *, scope: str, grouping: str, filters: Mapping[str, Any] | None = None, unsuppressed: bool = False
) -> FileHeader:
    """The header of a list's file: its records as they stand when it is made, and the filters chosen (as
    ``export_log.filters_of`` gives them) named beside the scope, so a filtered list is not taken for all."""
    chosen = "; ".join(
        f"{key} = {', '.join(value) if isinstance(value, list) else value}" for key, value in (filters or {}).items()
    )
    return FileHeader(
        title=title,
        scope=_("%(scope)s, filtered by %(filters)s") % {"scope": scope, "filters": chosen} if chosen else scope,
        period=_("Records as they stood when the file was made"),
        grouping=grouping,
        unsuppressed=unsuppressed,
    )


def split_file_header(rows: Sequence[Sequence[Any]]) -> tuple[list[str], list[Sequence[Any]]]:
    """A file's rows parted into its header block's lines and the table below it (headings first).

    The block is everything above the first empty row, when its last line is a status line; a file without
    one comes back whole, so readers of files written before headers existed still read them."""
    for index, row in enumerate(rows):
        if not any(cell not in (None, "") for cell in row):
            lines = [str(line[0]) for line in rows[:index] if line]
            if lines and lines[-1] in (not_for_publication(), disclosure_controlled()):
                return lines, list(rows[index + 1 :])
            break
    return [], list(rows)
