"""When a search finds nothing: which of the words or filters to drop, and how many services each would bring back.

Asked only after a search finds nothing, one count per word or filter in use, so a person sees at once whether
"Open now" or "Somali" is what narrowed the list to nothing rather than clearing everything and starting again.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from waymark.directory.forms_public import REFERRAL_CHOICES, ServiceSearchForm
from waymark.directory.models import Service
from waymark.directory.search import search_services
from waymark.directory.search_filters import SearchFilters

# Each filter of the form that narrows a search, with what it is when not in use (postcode only sorts).
_FILTER_DEFAULTS: dict[str, Any] = {
    "need": None,
    "language": None,
    "community": None,
    "ward": None,
    "referral": "",
    "open_now": False,
    "free": False,
}


@dataclass(frozen=True)
class Loosening:
    """One word or filter to drop: what it is called, the address without it, and what that finds."""

    label: str
    href: str
    count: int


def _label(form: ServiceSearchForm, name: str, value: Any) -> str:
    field_label = str(form.fields[name].label)
    if isinstance(value, bool):
        return field_label
    # A referral is a choice; a need, language, community or ward a record with a name.
    shown = dict(REFERRAL_CHOICES).get(value, value) if name == "referral" else getattr(value, "name", value)
    return _("%(filter)s: %(value)s") % {"filter": field_label, "value": shown}


def _without(query: QueryDict, *names: str) -> str:
    remaining = query.copy()
    for name in (*names, "page"):
        remaining.pop(name, None)
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def ways_to_loosen(
    form: ServiceSearchForm, query: QueryDict, queryset: QuerySet[Service], *, now: datetime
) -> list[Loosening]:
    """For a valid search that found nothing: each word or filter in use whose removal alone finds services,
    with how many, most first. An empty list means no single change helps."""
    filters = form.filters()
    text, postcode = form.search_text, form.search_postcode
    ways: list[Loosening] = []

    def count(*, text: str, filters: SearchFilters) -> int:
        return search_services(queryset, text=text, filters=filters, postcode=postcode, now=now).total

    if text:
        found = count(text="", filters=filters)
        if found:
            label = _("the words “%(text)s”") % {"text": text}
            ways.append(Loosening(label=label, href=_without(query, "q"), count=found))
    for name, default in _FILTER_DEFAULTS.items():
        value = getattr(filters, name)
        if value == default:
            continue
        found = count(text=text, filters=replace(filters, **{name: default}))
        if found:
            ways.append(Loosening(label=_label(form, name, value), href=_without(query, name), count=found))
    return sorted(ways, key=lambda way: -way.count)
