"""``{% panels "<slot>" record %}``: what other apps registered for this place of the page (``core.panels``)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from waymark.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True, name="panels")
def panels_tag(context: template.Context, slot: str, obj: Any) -> SafeString:
    return render_panels(slot, obj, context.get("request"))
