"""List pages filtered by a FilterSet shared with the API: one way to word, page and answer them.

A list page and its API endpoint filter through the same FilterSet; only the page shows the filters'
form, so only the page words their "no choice" options ("Any"). The page answers htmx with the rows
template alone (and the count, out of band) and any other request with the whole page, from one URL.
"""

from typing import Any

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django_filters.conf import settings as filter_settings

# The "no choice" labels Django and django-filter give when a filter names none of its own.
DEFAULT_EMPTY_LABELS = {"---------", filter_settings.EMPTY_CHOICE_LABEL}


def wants_partial(request: HttpRequest) -> bool:
    """True for an htmx request that swaps part of the page; boosted links and history restores need the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request  # type: ignore[union-attr]


def word_filters_for_page(form: forms.Form) -> None:
    """Word the filters' "no choice" options as "Any" (yes/no filters as Any, Yes, No); a filter that names
    its own ("Anyone") keeps it."""
    for field in form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
        elif getattr(field, "empty_label", None) in DEFAULT_EMPTY_LABELS:
            field.empty_label = _("Any")  # type: ignore[attr-defined]
            field.widget.choices = field.choices  # type: ignore[attr-defined]


def page_of(request: HttpRequest, rows: Any, per_page: int, *, parameter: str = "page") -> Page:
    """The page of ``rows`` the request asks for (``?page=``); a number out of range gives the last page."""
    return Paginator(rows, per_page).get_page(request.GET.get(parameter))


def filtered_list_page(
    request: HttpRequest,
    filterset: django_filters.FilterSet,
    *,
    per_page: int,
    template: str,
    rows_template: str,
    rows_name: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The page of ``filterset``'s rows the request asks for, as the whole page or (htmx) the rows alone.

    The rows of the page are in the context as ``rows_name``, with ``page_obj``, ``filterset`` and ``partial``.
    """
    word_filters_for_page(filterset.form)
    page = page_of(request, filterset.qs, per_page)
    partial = wants_partial(request)
    context = {**context, "partial": partial, "filterset": filterset, "page_obj": page, rows_name: page.object_list}
    response = render(request, rows_template if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers with a fragment or a whole page
    return response
