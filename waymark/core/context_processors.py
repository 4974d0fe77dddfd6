"""Template context shared by every page: the navigation a user's roles allow, from ``core.navigation``."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from waymark.core import policy
from waymark.core.navigation import sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_items`` for the header, and the same items as ``nav_sections`` (title, items) for the home page."""
    user = getattr(request, "user", None)
    allowed = [
        (
            section,
            [entry for entry in section.entries if entry.permission is None or policy.can(user, entry.permission)],
        )
        for section in sections()
    ]
    # The section the page is in: the longest matching prefix ("/directory/manage/" over "/directory/").
    matching = [
        entry.current_prefix
        for _section, found in allowed
        for entry in found
        if request.path.startswith(entry.current_prefix)
    ]
    current_prefix = max(matching, key=len, default=None)
    nav_sections = [
        (
            section.title,
            [
                {
                    "label": entry.label,
                    "description": entry.description,
                    "url": reverse(entry.url_name),
                    "current": entry.current_prefix == current_prefix,
                }
                for entry in found
            ],
        )
        for section, found in allowed
        if found
    ]
    return {
        "nav_items": [item for _title, items in nav_sections for item in items],
        "nav_sections": [{"title": title, "items": items} for title, items in nav_sections],
    }
