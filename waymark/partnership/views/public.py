"""The public page of consultations: those open to take part in, and those reported ("we asked, you said,
we did"). No sign-in; only consultations marked for publication and open or reported are found, so a planned
or unpublished one is a 404 for everyone, staff included, as the public would see it. No contact details; what
was done is what the public may read of each source (its ``visible_to`` for an anonymous visitor)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, DateField, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.lists import page_of
from waymark.core.models import Community, Theme
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.feeds import absolute_url, public_consultations
from waymark.partnership.reports import report_of

PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Consultations"), reverse("partnership:public_consultation_list")),
        *extra,
    ]


def _with_names(rows: Any) -> Any:
    return rows.select_related("lead_organisation").prefetch_related(
        Prefetch("communities", queryset=Community.objects.only("pk", "name")),
        Prefetch("themes", queryset=Theme.objects.only("pk", "name")),
    )


@require_safe
def public_consultation_list(request: HttpRequest) -> HttpResponse:
    """Open consultations first, closing soonest first; then reports, newest first."""
    open_first = Case(
        When(status=ConsultationStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    rows = _with_names(public_consultations()).order_by(
        open_first,
        Case(When(status=ConsultationStatus.OPEN, then="ends_on"), default=None, output_field=DateField()),
        "-reported_on",
        "-ends_on",
        "pk",
    )
    context = {
        "page_obj": page_of(request, rows, PER_PAGE),
        "public_feed_url": absolute_url(reverse("partnership:public_feed")),
        "breadcrumbs": _crumbs()[:1],
    }
    return render(request, "partnership/public/consultation_list.html", context)


@require_safe
def public_consultation(request: HttpRequest, uuid: Any) -> HttpResponse:
    consultation = get_object_or_404(_with_names(public_consultations()).prefetch_related("areas"), uuid=uuid)
    reported = consultation.status == ConsultationStatus.REPORTED
    # What was done, as anyone may read it: issues with a published answer and actions in published plans.
    # The feedback items stay out: they are people's own words, shown publicly only through voice's pages.
    done = report_of(consultation, AnonymousUser()) if reported else None
    context = {
        "consultation": consultation,
        "reported": reported,
        "issues": done.issues if done else [],
        "actions": done.actions if done else [],
        "breadcrumbs": _crumbs(),
    }
    return render(request, "partnership/public/consultation_detail.html", context)
