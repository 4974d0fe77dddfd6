"""The directory's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.directory import today


def register() -> None:
    register_section(
        "directory",
        title=_("Community map"),
        menu=_("Directory"),
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
                _("Neighbours’ feeds"),
                _("Read other directories' Open Referral feeds, and decide on their changes and duplicates."),
                "directory:feed_list",
                "directory.feeds",
                "/directory/manage/feeds/",
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
    today_registry.register("directory.review", permission="directory.review_queue", order=20, lines=today.review_lines)
    today_registry.register(
        "directory.funding_ends", permission="directory.view_funding_amounts", order=21, lines=today.funding_lines
    )
