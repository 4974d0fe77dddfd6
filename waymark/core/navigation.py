"""The navigation registry: each app names its pages for the header and the home page.

Each Waymark app's ``navigation.register()``, called from its ``AppConfig.ready()``, adds one section: its
entries in the order the app lists them under its title, placed among the other apps' sections by
``order``. The header shows one entry per menu (a section's short ``menu`` label; an app may join another
app's menu with ``menu_key`` so that no one sees more than seven), leading to the first page of it the
user may open, and under the header the pages of the menu the current page belongs to. The home page lists
every page under its section's title. Core draws both from ``sections()``
(``core.context_processors.navigation``), showing each entry to whoever holds its permission, so no central
list names the apps' pages.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waymark.core import today, today_jobs


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
    title: str | Promise  # the heading a practitioner reads above the app's pages on the home page
    order: int
    entries: tuple[Entry, ...]
    menu: str | Promise  # the short label of its entry in the header ("Voice")
    menu_key: str  # sections with the same key share one header entry, under the first one's label


_sections: dict[str, Section] = {}


def register_section(
    app_label: str,
    *,
    title: str | Promise,
    order: int,
    entries: list[Entry],
    menu: str | Promise,
    menu_key: str | None = None,
) -> Section:
    if app_label in _sections:
        raise ValueError(f"The navigation section {app_label!r} is already registered.")
    section = Section(
        app_label=app_label,
        title=title,
        order=order,
        entries=tuple(entries),
        menu=menu,
        menu_key=menu_key or app_label,
    )
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
        menu=_("Records and tools"),
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
    today.register("core.failed_jobs", permission="job.view_all", order=95, lines=today_jobs.failed_jobs)
