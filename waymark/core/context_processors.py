"""Template context shared by every page: the navigation a user's roles allow, from ``core.navigation``."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from waymark.core import policy
from waymark.core.navigation import entries


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    allowed = [entry for entry in entries() if entry.permission is None or policy.can(user, entry.permission)]
    # The section the page is in: the longest matching prefix ("/directory/manage/" over "/directory/").
    matching = [entry.current_prefix for entry in allowed if request.path.startswith(entry.current_prefix)]
    current_prefix = max(matching, key=len, default=None)
    items = [
        {
            "label": entry.label,
            "description": entry.description,
            "url": reverse(entry.url_name),
            "current": entry.current_prefix == current_prefix,
        }
        for entry in allowed
    ]
    return {"nav_items": items}
