"""The directory's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "directory",
        title=_("Community map"),
        order=10,
        entries=[
            Entry(
                _("Find a service"),
                _("Search the community map for support by need, language and place."),
                "directory:search",
                None,
                "/directory/",
            ),
            Entry(
                _("Manage directory"),
                _("Keep services, locations and funding up to date, and check records due for review."),
                "directory:manage",
                "directory.view_staff",
                "/directory/manage/",
            ),
            Entry(
                _("Fragility radar"),
                _("Groups whose funding is ending, that rely on volunteers or on a single funder."),
                "directory:fragility",
                "fragility.view",
                "/directory/fragility/",
            ),
        ],
    )
