"""Template context shared by every page: the navigation a user's roles allow, from ``core.navigation``."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from waymark.core import policy
from waymark.core.navigation import Entry, Section, sections


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_menu`` for the header (one entry per menu), ``nav_subnav`` for the pages of the menu the current
    page is in, and ``nav_sections`` (title, items) for the home page; ``nav_items`` is every page allowed."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    allowed: list[tuple[Section, list[Entry]]] = [
        (
            section,
            [entry for entry in section.entries if entry.permission is None or policy.can(user, entry.permission)],
        )
        for section in sections()
    ]
    # The page the request is on: the longest matching prefix ("/directory/manage/" over "/directory/").
    matching = [
        entry.current_prefix
        for _section, found in allowed
        for entry in found
        if request.path.startswith(entry.current_prefix)
    ]
    current_prefix = max(matching, key=len, default=None)

    def item(entry: Entry) -> dict[str, Any]:
        return {
            "label": entry.label,
            "description": entry.description,
            "url": reverse(entry.url_name),
            "current": entry.current_prefix == current_prefix,
        }

    nav_sections: list[dict[str, Any]] = [
        {"title": section.title, "items": [item(entry) for entry in found]} for section, found in allowed if found
    ]
    menus: dict[str, dict[str, Any]] = {}
    for section, found in allowed:
        if not found:
            continue
        menu = menus.setdefault(section.menu_key, {"label": section.menu, "entries": []})
        menu["entries"].extend(found)
    nav_menu = []
    nav_subnav = None
    for menu in menus.values():
        items = [item(entry) for entry in menu["entries"]]
        # Signed in, a menu leads to the first working page in it (the daily one), not to a public form.
        landing = (
            next((entry for entry in menu["entries"] if entry.permission is not None), menu["entries"][0])
            if signed_in
            else menu["entries"][0]
        )
        current = any(entry["current"] for entry in items)
        nav_menu.append({"label": menu["label"], "url": reverse(landing.url_name), "current": current})
        if current and len(items) > 1:
            nav_subnav = {"label": menu["label"], "items": items}
    return {
        "nav_items": [entry for section in nav_sections for entry in section["items"]],
        "nav_sections": nav_sections,
        "nav_menu": nav_menu,
        "nav_subnav": nav_subnav,
    }
