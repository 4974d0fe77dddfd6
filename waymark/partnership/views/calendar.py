"""The consultation calendar's views of many consultations: the list (filtered, plain or grouped by community
or by theme), the month grid, and the clash check the consultation form asks while it is filled in.

Working users (``consultation.view``) read, rows from ``visible_to(user)``; every page marks each
consultation's clashes, found once per page."""

import datetime
import uuid as uuid_module
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core import policy
from waymark.core.lists import page_of, wants_partial, word_filters_for_page
from waymark.core.permissions import require_permission
from waymark.partnership import calendar_cache, calendars
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.clashes import Clash, find_clashes
from waymark.partnership.filtersets import ConsultationFilterSet, theme_and_below
from waymark.partnership.forms_consultations import ConsultationForm
from waymark.partnership.models import Consultation

CONSULTATIONS_PER_PAGE = 50


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Consultation calendar"), reverse("partnership:consultation_list")),
        *extra,
    ]


def _filterset(request: HttpRequest) -> ConsultationFilterSet:
    # The group and page choose how the rows are shown, not which: a request with only those is unfiltered.
    filters = request.GET.copy()
    for name in ("group", "page"):
        filters.pop(name, None)
    rows = Consultation.objects.visible_to(request.user)
    filterset = ConsultationFilterSet(filters or None, queryset=rows, request=request)
    word_filters_for_page(filterset.form)
    return filterset


def _groups_asked(filterset: ConsultationFilterSet, group: str) -> list[int]:
    """The groups a filter narrowed the list to: grouped by community with one community chosen, that
    community's group alone (not the other communities the same consultations ask)."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    chosen = filterset.form.cleaned_data.get(group)
    if chosen is None:
        return []
    return theme_and_below(chosen) if group == "theme" else [chosen.pk]


def _this_month() -> str:
    today = datetime.date.today()
    return reverse("partnership:consultation_month", args=[today.year, today.month])


@require_permission("consultation.view")
def consultation_list(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    group = request.GET.get("group", "")
    if group not in calendars.GROUPINGS:
        group = ""
    rows = filterset.qs
    if group:
        page = page_of(
            request, calendars.grouped_lines(rows, group, only=_groups_asked(filterset, group)), CONSULTATIONS_PER_PAGE
        )
        lines: list[Any] = calendars.grouped_page_lines(page.object_list, group)
        count = rows.count()  # the page counts lines; the heading counts consultations
    else:
        page = page_of(
            request, calendars.with_particulars(rows.order_by("starts_on", "title", "pk")), CONSULTATIONS_PER_PAGE
        )
        lines = calendars.listed(page.object_list)
        count = page.paginator.count
    partial = wants_partial(request)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "lines": lines,
        "consultation_count": count,
        "group": group,
        "partial": partial,
        "month_url": _this_month(),
        "can_record": policy.can(request.user, "consultation.record"),
        "breadcrumbs": _crumbs()[:1],
    }
    template = "partnership/calendar/_list_rows.html" if partial else "partnership/consultation_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers with a fragment or a whole page
    return response


@require_permission("consultation.view")
def consultation_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not 1 <= month <= 12 or not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404
    filterset = _filterset(request)
    rows = filterset.qs
    if not (filterset.is_bound and filterset.form.cleaned_data.get("status")):
        rows = rows.exclude(status=ConsultationStatus.CANCELLED)  # unless asked for, cancelled ones are gone
    first = datetime.date(year, month, 1)
    return render(
        request,
        "partnership/calendar/month.html",
        {
            # the grid is drawn only when the cache has no drawing of it for this version of the calendar
            "month": SimpleLazyObject(lambda: calendars.month_grid(rows, year, month)),
            "month_frame": calendars.month_frame(first),
            "grid_key": calendar_cache.month_grid_key(request, year, month),
            "grid_seconds": calendar_cache.MONTH_GRID_SECONDS,
            "filterset": filterset,
            "weekdays": [datetime.date(2024, 1, day) for day in range(1, 8)],  # 1 January 2024 was a Monday
            "today": datetime.date.today(),
            "list_url": reverse("partnership:consultation_list"),
            "breadcrumbs": _crumbs(),
        },
    )


def _clashes_of_values(form: ConsultationForm, instance: Consultation | None) -> list[Clash]:
    """The clashes of what has been typed so far: dates, communities and themes are enough, whatever else is
    still missing."""
    form.is_valid()
    data = form.cleaned_data
    if not all(data.get(name) for name in ("starts_on", "ends_on", "communities", "themes")):
        return []
    return find_clashes(
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        community_ids=[community.pk for community in data["communities"]],
        theme_ids=[theme.pk for theme in data["themes"]],
        exclude=instance,
    )


@require_POST
@require_permission("consultation.record")
def consultation_clash_check(request: HttpRequest) -> HttpResponse:
    """The consultation form's values, posted as they change: the clash warning they would meet on saving,
    and the buttons to go with it. Saves nothing."""
    instance = None
    try:
        changing = uuid_module.UUID(request.GET.get("consultation", ""))
    except ValueError:
        pass
    else:  # a consultation being changed does not clash with itself
        instance = Consultation.objects.visible_to(request.user).filter(uuid=changing).first()
    form = ConsultationForm(request.POST, instance=instance, user=request.user)
    clashes = _clashes_of_values(form, instance)
    return render(
        request,
        "partnership/calendar/_clash_check.html",
        {"clashes": clashes, "consultation": instance, "checked": True},
    )
