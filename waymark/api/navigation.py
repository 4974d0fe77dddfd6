"""The API's documentation in the header and on the home page (``core.navigation``), after every app's pages."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "api",
        title=_("Connecting other tools"),
        menu=_("Records and tools"),
        menu_key="core",
        order=100,
        entries=[
            Entry(
                _("API"),
                _("Connect spreadsheets and dashboards to Waymark with a personal token."),
                "api:docs",
                "api_token.manage_own",
                "/api/",
            ),
        ],
    )
