"""The today registry: each app names the counts of work waiting for a user, for the home page's work queue.

Each Waymark app registers its items from ``navigation.register()``; an item is shown to whoever holds its
permission and gives the lines to show, each a count (or a date) with a link to the filtered list that holds
exactly what it counts. Core draws the queue (``core.views.home``) without knowing any app's models.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from waymark.core import policy


@dataclass(frozen=True)
class Line:
    """One line of the queue: "9 feedback items to triage", and where to find them."""

    text: str | Promise
    url: str
    count: int | None = None  # None for a line that is a date or a name, not a number of things
    urgent: bool = False  # overdue or a safety matter: shown first and marked
    links: tuple[tuple[str | Promise, str], ...] = ()  # further links, such as a meeting's calendar file


@dataclass(frozen=True)
class Item:
    key: str
    permission: str
    order: int  # lower first, among the lines that are not urgent
    lines: Callable[[Any], list[Line]]


_items: dict[str, Item] = {}


def register(key: str, *, permission: str, order: int, lines: Callable[[Any], list[Line]]) -> None:
    if key in _items:
        raise ValueError(f"The today item {key!r} is already registered.")
    _items[key] = Item(key=key, permission=permission, order=order, lines=lines)


def items() -> list[Item]:
    return sorted(_items.values(), key=lambda item: item.order)


def lines_for(user: Any) -> list[Line]:
    """The user's queue: urgent lines first, then in the items' order. Items they may not open, and lines with
    nothing waiting, are left out: the queue is what needs them."""
    lines = [
        line for item in items() if policy.can(user, item.permission) for line in item.lines(user) if line.count != 0
    ]
    return sorted(lines, key=lambda line: not line.urgent)
