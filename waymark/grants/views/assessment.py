"""Screening and assessment pages.

Grants officers (``grant_application.manage``) screen an application, give assessors seats and record a
community panel's decision; they read the spread of a programme's scores (``grant_application.view``).
An assessor (``grant_assessment.score``: anyone signed in, on their own seat only) sees "My assessments",
declares their interests, and only then opens and scores the application. A seat with a declared conflict
never opens again: the assessment page answers 403 and says why; the application is hidden from that person
on every other page by the policy's visibility rule.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.grants import scoring, today
from waymark.grants.choices import AssessmentStatus
from waymark.grants.forms_assessment import (
    NOT_APPLICABLE,
    AssignAssessorForm,
    DeclarationForm,
    PanelDecisionForm,
    ScoresForm,
    ScreeningForm,
    justification_field,
    score_field,
)
from waymark.grants.models import Assessment
from waymark.grants.services import assessment as services
from waymark.grants.services.screening import screen_application
from waymark.grants.views.applications import application_for
from waymark.grants.views.programmes import crumbs, programme_for

SEATS_PER_PAGE = 25
SPREADS_PER_PAGE = 25


def _posted(request: HttpRequest) -> Any:
    """The POST data, even when empty: an empty form sent is refused with its errors, not shown afresh."""
    return request.POST if request.method == "POST" else None


def _application_crumbs(application: Any) -> list[tuple[str, str]]:
    programme = application.programme
    return crumbs(
        (programme.title, programme.get_absolute_url()),
        (_("Applications"), reverse("grants:application_list", kwargs={"uuid": programme.uuid})),
        (application.reference, application.get_absolute_url()),
    )


# --- Grants officers ------------------------------------------------------------------------------------


@require_permission("grant_application.manage")
def application_screen(request: HttpRequest, uuid: Any) -> HttpResponse:
    application = application_for(request, uuid)
    form = ScreeningForm(_posted(request))
    return service_form_page(
        request,
        form,
        save=lambda: screen_application(
            application, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"], actor=request.user
        ),
        saved_message=lambda screened: _("Screened: %(status)s.") % {"status": screened.get_status_display()},
        next_page=lambda screened: screened,
        template="grants/assessment/screen_form.html",
        context={"application": application, "breadcrumbs": _application_crumbs(application)},
    )


@require_permission("grant_application.manage")
def assessor_assign(request: HttpRequest, uuid: Any) -> HttpResponse:
    application = application_for(request, uuid)
    form = AssignAssessorForm(_posted(request), panel_enabled=application.programme.panel_enabled)
    return service_form_page(
        request,
        form,
        save=lambda: services.assign_assessor(
            application, assessor=form.cleaned_data["assessor"], role=form.cleaned_data["role"], actor=request.user
        ),
        saved_message=_("The assessor has a seat. They declare their interests before the application opens."),
        next_page=lambda seat: application,
        template="grants/assessment/assign_form.html",
        context={"application": application, "breadcrumbs": _application_crumbs(application)},
    )


@require_permission("grant_application.manage")
def panel_decision(request: HttpRequest, uuid: Any) -> HttpResponse:
    application = application_for(request, uuid)
    if not application.programme.panel_enabled:
        raise Http404("This programme has no community panel.")
    existing = getattr(application, "panel_decision", None)
    initial = {}
    if existing is not None:
        fields = ("recommendation", "votes_for", "votes_against", "abstentions", "notes", "met_on")
        initial = {name: getattr(existing, name) for name in fields}
    form = PanelDecisionForm(_posted(request), initial=initial)
    return service_form_page(
        request,
        form,
        save=lambda: services.record_panel_decision(application, actor=request.user, **form.cleaned_data),
        saved_message=_("The panel's decision is recorded."),
        next_page=lambda decision: application,
        template="grants/assessment/panel_form.html",
        context={"application": application, "breadcrumbs": _application_crumbs(application)},
    )


@require_permission("grant_application.view")
@require_safe
def moderation(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The spread of each application's submitted weighted scores, widest gaps marked for discussion."""
    programme = programme_for(request, uuid)
    page = page_of(request, scoring.programme_applications_assessed(programme, request.user), SPREADS_PER_PAGE)
    return render(
        request,
        "grants/assessment/moderation.html",
        {
            "programme": programme,
            "page": page,
            "spreads": scoring.spreads(list(page.object_list)),
            "criteria": list(programme.criteria_set.all()),
            "spread_to_discuss": scoring.SPREAD_TO_DISCUSS,
            "breadcrumbs": crumbs((programme.title, programme.get_absolute_url())),
        },
    )


# --- Assessors --------------------------------------------------------------------------------------------


def _my_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("My assessments"), reverse("grants:my_assessments")), *extra]


def _own_seat(request: HttpRequest, uuid: Any) -> Assessment:
    """The seat, if the user may see it; refused (403) unless it is their own."""
    seat = get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("application__programme"), uuid=uuid
    )
    if seat.assessor_id != request.user.pk:
        raise PermissionDenied
    return seat


@require_permission("grant_assessment.score")
@require_safe
def my_assessments(request: HttpRequest) -> HttpResponse:
    """The user's own seats, those waiting for them first. Before the declaration only the applicant's name and
    the project's title show: enough to know whether there is an interest to declare."""
    waiting_first = Case(
        When(status=AssessmentStatus.AWAITING_DECLARATION, then=Value(0)),
        When(status=AssessmentStatus.IN_PROGRESS, then=Value(1)),
        When(status=AssessmentStatus.SUBMITTED, then=Value(2)),
        default=Value(3),
    )
    seats = (
        Assessment.objects.filter(assessor_id=request.user.pk)
        .select_related("application__programme", "application__organisation")
        .order_by(waiting_first, "-assigned_at")
    )
    waiting_only = request.GET.get("waiting") == "1"
    if waiting_only:
        seats = today.waiting_seats(seats)
    return render(
        request,
        "grants/assessment/my_assessments.html",
        {
            "page": page_of(request, seats, SEATS_PER_PAGE),
            "waiting_only": waiting_only,
            "breadcrumbs": _my_crumbs()[:1],
        },
    )


@require_permission("grant_assessment.score")
def assessment_declare(request: HttpRequest, uuid: Any) -> HttpResponse:
    seat = _own_seat(request, uuid)
    if seat.status != AssessmentStatus.AWAITING_DECLARATION:
        messages.info(request, _("You have already declared your interests on this application."))
        return redirect(seat)
    form = DeclarationForm(_posted(request))
    return service_form_page(
        request,
        form,
        save=lambda: services.declare_interest(
            seat,
            has_conflict=form.cleaned_data["has_conflict"],
            details=form.cleaned_data["details"],
            actor=request.user,
        ),
        saved_message=lambda declared: (
            _("Your conflict of interest is recorded. The application is closed to you; someone else will assess it.")
            if declared.status == AssessmentStatus.CONFLICTED
            else _("Thank you. The application is open to you to score.")
        ),
        next_page=lambda declared: (
            reverse("grants:my_assessments") if declared.status == AssessmentStatus.CONFLICTED else declared
        ),
        template="grants/assessment/declare_form.html",
        context={"seat": seat, "application": seat.application, "breadcrumbs": _my_crumbs()},
    )


def _initial_scores(seat: Assessment) -> dict[str, Any]:
    initial: dict[str, Any] = {"recommendation": seat.recommendation, "overall_comment": seat.overall_comment}
    for row in seat.scores.select_related("criterion"):
        initial[score_field(row.criterion)] = NOT_APPLICABLE if row.score is None else str(row.score)
        initial[justification_field(row.criterion)] = row.justification
    return initial


@require_permission("grant_assessment.score")
def assessment(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The application, opened to its assessor after a declaration of no conflict, beside the scoring form.
    "Save as draft" keeps the scores; "Submit" sends them, after which they no longer change."""
    seat = _own_seat(request, uuid)
    if seat.status == AssessmentStatus.AWAITING_DECLARATION:
        return redirect("grants:assessment_declare", uuid=seat.uuid)
    if not policy.can(request.user, "grant_assessment.score", seat):
        declaration = seat.declarations.order_by("-declared_at").first()
        return render(
            request,
            "grants/assessment/refused.html",
            {"seat": seat, "declaration": declaration, "breadcrumbs": _my_crumbs()},
            status=403,
        )
    application = seat.application
    criteria = list(application.programme.criteria_set.all())
    form = ScoresForm(_posted(request), criteria=criteria, initial=_initial_scores(seat))
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            services.save_scores(
                seat,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                overall_comment=form.cleaned_data["overall_comment"],
                actor=request.user,
            )
            if submitting:
                services.submit_assessment(seat, actor=request.user)
        except ValidationError as refusal:
            attach_errors(form, refusal)
        else:
            messages.success(
                request, _("Your scores are submitted.") if submitting else _("Your scores are saved as a draft.")
            )
            return redirect(seat)
    seat.refresh_from_db()
    scores = list(seat.scores.select_related("criterion"))
    return render(
        request,
        "grants/assessment/assessment.html",
        {
            "seat": seat,
            "application": application,
            "answers": [(q, application.answers.get(q.key, "")) for q in application.programme.questions.all()],
            "communities": list(application.communities.all()),
            "form": form,
            "criterion_rows": [
                (criterion, form[score_field(criterion)], form[justification_field(criterion)])
                for criterion in criteria
            ],
            "scores": scores,
            "weighted": scoring.weighted_score(seat),
            "submitted": seat.status == AssessmentStatus.SUBMITTED,
            "breadcrumbs": _my_crumbs(),
        },
        status=400 if form.errors else 200,
    )
