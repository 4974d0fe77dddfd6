"""The navigation registry: each app names its pages for the header and the home page.

Each Waymark app's ``navigation.register()``, called from its ``AppConfig.ready()``, adds one section: its
entries in the order the app lists them under its title, placed among the other apps' sections by
``order``. Core draws the header (every entry in one row) and the home page (the cards grouped under each
section's title) from ``sections()`` (``core.context_processors.navigation``), showing
each entry to whoever holds its permission, so no central list names the apps' pages.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    """One page in the header and on the home page."""

    label: str | Promise
    description: str | Promise  # what the page is for, under its card on the home page
    url_name: str
    permission: str | None  # None: everyone, signed in or not
    current_prefix: str  # a page whose path starts with this marks the entry current (the longest wins)


@dataclass(frozen=True)
class Section:
    """One app's entries under its heading on the home page, and where they sit among the other apps'
    sections (lower first)."""

    app_label: str
    title: str | Promise  # the heading a practitioner reads above the app's cards
    order: int
    entries: tuple[Entry, ...]


_sections: dict[str, Section] = {}


def register_section(app_label: str, *, title: str | Promise, order: int, entries: list[Entry]) -> Section:
    if app_label in _sections:
        raise ValueError(f"The navigation section {app_label!r} is already registered.")
    section = Section(app_label=app_label, title=title, order=order, entries=tuple(entries))
    _sections[app_label] = section
    return section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: section.order)


def entries() -> list[Entry]:
    """Every registered entry, grouped by app, in the order the header shows them."""
    return [entry for section in sections() for entry in section.entries]


def register() -> None:
    """Core's own pages, after the domain apps': the shared records and the administrators' tools."""
    register_section(
        "core",
        title=_("Shared records and administration"),
        order=90,
        entries=[
            Entry(
                _("Organisations"),
                _("The one shared record of every provider, group, responder and partner."),
                "core:organisation_list",
                "organisation.view",
                "/organisations/",
            ),
            Entry(
                _("Background jobs"),
                _("Imports, exports and other long tasks, with their progress."),
                "core:job_list",
                "job.view_all",
                "/jobs/",
            ),
            Entry(
                _("Personal data"),
                _("Answer a subject access request or erase a person's data."),
                "core:personal_data",
                "personal_data.manage",
                "/personal-data/",
            ),
            Entry(
                _("Export log"),
                _("Who downloaded personal data or unsuppressed figures, what, when and with which filters."),
                "core:export_log",
                "export_log.view",
                "/export-log/",
            ),
        ],
    )
