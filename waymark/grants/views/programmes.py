"""The grants officers' pages of a programme: the list with each budget's position, and one programme with its
timetable, money and applications by status.

Working users (``programme.view``) read programmes; the applications themselves are for grants officers."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.grants.budgets import budget_position
from waymark.grants.choices import ApplicationStatus
from waymark.grants.models import Application, Programme

PROGRAMMES_PER_PAGE = 25


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Grants programmes"), reverse("grants:programme_list")), *extra]


def programme_for(request: HttpRequest, uuid: Any) -> Programme:
    return get_object_or_404(Programme.objects.visible_to(request.user).select_related("funder"), uuid=uuid)


@require_permission("programme.view")
@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    received = ~Q(applications__status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    rows = (
        Programme.objects.visible_to(request.user)
        .select_related("funder")
        .annotate(received=Count("applications", filter=received))
        .order_by("-opens_on", "title")
    )
    page = page_of(request, rows, PROGRAMMES_PER_PAGE)
    for programme in page.object_list:
        programme.position = budget_position(programme)  # type: ignore[attr-defined]
    return render(
        request,
        "grants/programme_list.html",
        {
            "page": page,
            "can_manage": policy.can(request.user, "programme.manage"),
            "breadcrumbs": crumbs()[:1],
        },
    )


@require_permission("programme.view")
@require_safe
def programme_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    can_see_applications = policy.can(request.user, "grant_application.view")
    by_status: list[tuple[Any, int]] = []
    if can_see_applications:
        counts = dict(
            Application.objects.visible_to(request.user)
            .filter(programme=programme)
            .values_list("status")
            .annotate(count=Count("pk"))
        )
        by_status = [(status.label, counts.get(status.value, 0)) for status in ApplicationStatus]
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "position": budget_position(programme),
            "by_status": by_status,
            "can_see_applications": can_see_applications,
            "can_manage": policy.can(request.user, "programme.manage"),
            "breadcrumbs": crumbs(),
        },
    )
