"""Type-ahead pickers: a plain select of organisations, services or people, enhanced in the browser.

An app registers, from ``ready()``, the look-up page that answers for one of its models
(``register_picker("directory.Service", "directory:service_lookup")``). The form renderer then marks
every single-choice select of that model with ``data-picker`` (the look-up's URL), whichever form it is
in, and ``static/js/pickers.js`` turns long ones into the accessible autocomplete. Without JavaScript
the select stays as it is, so nothing depends on the enhancement.

A look-up answers with the rows its list page would show (``visible_to``), matched by the words typed,
each with a hint that tells two alike apart (a person's organisation and role). The browser offers only
those the select itself holds, so a form's narrower choice is never widened.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import NoReverseMatch, reverse

# How many matches a look-up sends: enough to choose from, few enough to read out.
LOOKUP_LIMIT = 20
# Words typed beyond these are ignored (each is one more join of conditions).
LOOKUP_MAX_WORDS = 5
# What a select's options may be keyed by (ModelChoiceField.to_field_name), and so what a look-up answers with.
LOOKUP_KEYS = ("pk", "uuid")


@dataclass(frozen=True)
class Picker:
    model_label: str
    url_name: str


_pickers: dict[str, Picker] = {}


def register_picker(model_label: str, url_name: str) -> None:
    """Say which look-up page answers for ``model_label`` ("app_label.Model") in every form that chooses one."""
    _pickers[model_label] = Picker(model_label, url_name)


def registered_pickers() -> dict[str, Picker]:
    return dict(_pickers)


def picker_url(field: forms.Field, widget: forms.Widget) -> str | None:
    """The look-up URL for a single-choice select of a registered model, or None for any other control."""
    if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
        return None  # a select of several is not marked until its browser test passes (pickers.js handles it)
    if type(widget) is not forms.Select:  # radios, checkboxes and custom widgets keep their own ways
        return None
    queryset = field.queryset
    if queryset is None:
        return None
    key = "pk" if field.to_field_name in (None, queryset.model._meta.pk.name) else field.to_field_name
    picker = _pickers.get(queryset.model._meta.label)
    if picker is None or key not in LOOKUP_KEYS:
        return None
    try:
        url = reverse(picker.url_name)
    except NoReverseMatch:
        return None
    return url if key == "pk" else f"{url}?key={key}"


def matching(queryset: QuerySet, query: str, fields: Iterable[str]) -> QuerySet:
    """Rows where every word typed is found in one of ``fields`` (so "chen aisha" finds "Aisha Chen")."""
    fields = tuple(fields)
    for word in query.split()[:LOOKUP_MAX_WORDS]:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def lookup_response(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    fields: Iterable[str],
    hint: Callable[[Any], str],
    label: Callable[[Any], str] = str,
) -> JsonResponse:
    """The first matches for ``?q=`` among ``queryset`` (already restricted to what the user may see), as
    ``{"results": [{"value", "label", "hint"}]}``, the value keyed as ``?key=`` asks (the select's options);
    nothing typed, nothing sent."""
    query = request.GET.get("q", "").strip()[:100]
    key = request.GET.get("key", "pk")
    fields_of_model = {field.name for field in queryset.model._meta.concrete_fields}
    key = key if key in LOOKUP_KEYS and (key == "pk" or key in fields_of_model) else "pk"
    rows: list[Model] = list(matching(queryset, query, fields)[:LOOKUP_LIMIT]) if query else []
    results = [{"value": str(getattr(row, key)), "label": label(row), "hint": hint(row)} for row in rows]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
