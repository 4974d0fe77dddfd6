"""The panels registry: a page of one app shows what another app knows about the page's record, without
either importing the other.

A template asks for a slot, ``{% load panels %}{% panels "voice.issue_public" issue %}``. An app with
something to show there registers, from its ``AppConfig.ready()``, ``register_panel(slot, template_name,
context_function)``; the function gets the request (None outside one) and the record and returns the
panel's context, or None to show nothing. Panels render in the order they were registered. So voice's
public issue page lists the plan actions that answer the issue although voice never imports plans.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PanelContext = Callable[[HttpRequest | None, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str  # "<app>.<page>", named by the page that shows it
    template_name: str
    context: PanelContext


_panels: dict[str, list[Panel]] = {}


def register_panel(slot: str, template_name: str, context_function: PanelContext) -> Panel:
    if any(panel.template_name == template_name for panel in _panels.get(slot, [])):
        raise ValueError(f"The panel {template_name!r} is already registered in {slot!r}.")
    panel = Panel(slot=slot, template_name=template_name, context=context_function)
    _panels.setdefault(slot, []).append(panel)
    return panel


def unregister_panel(panel: Panel) -> None:
    """For tests that register a panel of their own."""
    _panels.get(panel.slot, []).remove(panel)


def panels(slot: str) -> list[Panel]:
    return list(_panels.get(slot, []))


def render_panels(slot: str, obj: Any, request: HttpRequest | None = None) -> SafeString:
    """Every panel registered in ``slot`` that has something to show about ``obj``, rendered one after another."""
    parts = []
    for panel in panels(slot):
        context = panel.context(request, obj)
        if context is not None:
            parts.append((render_to_string(panel.template_name, dict(context), request=request),))
    return format_html_join("", "{}", parts)
