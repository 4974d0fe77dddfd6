"""The panels registry: a page shows what other apps registered for its slot, and nothing when none has."""

import pytest
from django.template import Context, Template

from waymark.core import panels


def _render(obj: object) -> str:
    return Template('{% load panels %}<p>{% panels "core.test_slot" obj %}</p>').render(Context({"obj": obj}))


def test_a_slot_nobody_registered_renders_nothing():
    assert _render("anything") == "<p></p>"


def test_a_registered_panel_renders_with_its_context_and_can_decline():
    panel = panels.register_panel(
        "core.test_slot",
        "components/tag.html",
        lambda request, obj: None if obj == "nothing" else {"text": f"About {obj} <b>", "colour": "blue"},
    )
    try:
        html = _render("the issue")
        assert "About the issue &lt;b&gt;" in html
        assert _render("nothing") == "<p></p>"
    finally:
        panels.unregister_panel(panel)
    assert _render("the issue") == "<p></p>"


def test_the_same_panel_twice_in_a_slot_is_refused():
    panel = panels.register_panel("core.test_slot", "components/tag.html", lambda request, obj: None)
    try:
        with pytest.raises(ValueError, match="already registered"):
            panels.register_panel("core.test_slot", "components/tag.html", lambda request, obj: None)
    finally:
        panels.unregister_panel(panel)
