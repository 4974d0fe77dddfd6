"""A long plan read a part at a time: its page and its public report show each objective's first actions, and
one objective's actions a page at a time when asked (``?objective=<code>``). A plan of hundreds of actions
would otherwise be one page too long to read and too slow to draw; the roll-ups still count every action."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest

from waymark.core.lists import page_of

ACTIONS_SHOWN_PER_OBJECTIVE = 10
ACTIONS_PER_PAGE = 50


def objective_asked(request: HttpRequest, codes: Sequence[str]) -> str | None:
    """The code of the objective the request asks to see alone, if the plan has it."""
    asked = request.GET.get("objective")
    return asked if asked in codes else None


def actions_shown(request: HttpRequest, actions: Sequence[Any], *, alone: bool) -> tuple[list[Any], Page | None]:
    """An objective's actions to draw: a page of them when it is shown alone, else its first few."""
    if alone:
        page = page_of(request, actions, ACTIONS_PER_PAGE)
        return list(page.object_list), page
    return list(actions[:ACTIONS_SHOWN_PER_OBJECTIVE]), None
