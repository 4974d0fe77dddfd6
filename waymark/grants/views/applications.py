"""The grants officers' pages of applications: a programme's applications, and one application with everything
that happened to it (screening, assessment, decision, payments, reports: each topic adds its part)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.grants.choices import ApplicationStatus
from waymark.grants.models import Application
from waymark.grants.views.programmes import crumbs, programme_for
from waymark.grants.workflow import public_status_label

APPLICATIONS_PER_PAGE = 50


def application_for(request: HttpRequest, uuid: Any) -> Application:
    """The application, if the user may see it: never one they declared a conflict on."""
    rows = Application.objects.visible_to(request.user).select_related("programme", "organisation", "beneficiary_area")
    return get_object_or_404(rows, uuid=uuid)


@require_permission("grant_application.view")
@require_safe
def application_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    rows = (
        Application.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("organisation")
        .order_by("-submitted_at", "-created_at")
    )
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "grants/application_list.html",
        {
            "programme": programme,
            "status_shown": ApplicationStatus(status).label if status in ApplicationStatus.values else "",
            "page": page_of(request, rows, APPLICATIONS_PER_PAGE),
            "breadcrumbs": crumbs((programme.title, programme.get_absolute_url())),
        },
    )


@require_permission("grant_application.view")
@require_safe
def application_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    application = application_for(request, uuid)
    programme = application.programme
    questions = list(programme.questions.all())
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "programme": programme,
            "answers": [(question, application.answers.get(question.key, "")) for question in questions],
            "communities": list(application.communities.all()),
            "applicant_sees": public_status_label(application.status),
            "can_manage": policy.can(request.user, "grant_application.manage"),
            "can_decide": policy.can(request.user, "grant.decide"),
            "can_manage_award": policy.can(request.user, "grant_award.manage"),
            "breadcrumbs": crumbs(
                (programme.title, programme.get_absolute_url()),
                (_("Applications"), reverse("grants:application_list", kwargs={"uuid": programme.uuid})),
            ),
        },
    )
