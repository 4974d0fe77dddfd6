"""EDS 2022 gradings (list, grade, change, publish, year-on-year) and a PCREF plan's competency
self-assessment. Everyone who may see plans reads gradings they may see; staff and administrators grade."""

from django import forms
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.lists import filtered_list_page
from waymark.core.models import Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.core.views_forms import service_form_page
from waymark.plans import gradings
from waymark.plans.choices import EdsGrade, PlanType
from waymark.plans.filtersets import EdsGradingFilterSet
from waymark.plans.forms_grading import CompetencyAssessmentForm, EdsGradingForm
from waymark.plans.models import EdsGrader, EdsGrading, EdsOutcomeGrade, Plan
from waymark.plans.services import grading as services

GRADINGS_PER_PAGE = 25
BANDS = [
    (EdsGrade.UNDEVELOPED, "0–7"),
    (EdsGrade.DEVELOPING, "8–21"),
    (EdsGrade.ACHIEVING, "22–32"),
    (EdsGrade.EXCELLING, "33"),
]


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("EDS 2022 gradings"), reverse("plans:eds_grading_list")), *extra]


def _grading(request: HttpRequest, uuid: str) -> EdsGrading:
    return get_object_or_404(gradings.gradings_with_grades(EdsGrading.objects.visible_to(request.user)), uuid=uuid)


@require_permission("plan.view")
def eds_grading_list(request: HttpRequest) -> HttpResponse:
    rows = (
        EdsGrading.objects.visible_to(request.user)
        .select_related("organisation")
        .prefetch_related(Prefetch("grades", queryset=EdsOutcomeGrade.objects.only("grading_id", "grade")))
    )
    return filtered_list_page(
        request,
        EdsGradingFilterSet(request.GET or None, queryset=rows, request=request),
        per_page=GRADINGS_PER_PAGE,
        template="plans/grading/eds_grading_list.html",
        rows_template="plans/grading/_eds_grading_rows.html",
        rows_name="gradings",
        context={
            "breadcrumbs": _crumbs()[:1],
            "can_grade": policy.can(request.user, "plan.grade"),
            "today": timezone.localdate(),
        },
    )


def _form_context(form: EdsGradingForm) -> dict[str, object]:
    return {"running": gradings.overall(form.typed_grades()), "bands": BANDS, "outcome_count": len(form.outcomes)}


@require_permission("plan.grade")
def eds_grading_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if organisation := request.GET.get("organisation"):
        initial["organisation"] = organisation
    form = EdsGradingForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)

    def save() -> EdsGrading:
        return services.record_eds_grading(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            year=form.cleaned_data["year"],
            data=form.grading_data(),
            grades=form.grades(),
            graders=form.graders(),
        )

    return service_form_page(
        request,
        form,
        save=save,
        saved_message=lambda grading: _("Grading for %(grading)s saved.") % {"grading": grading},
        next_page=lambda grading: grading.get_absolute_url(),
        template="plans/grading/eds_grading_form.html",
        context={
            "heading": _("Record an EDS 2022 grading"),
            "breadcrumbs": _crumbs(),
            **_form_context(form),
        },
    )


@require_permission("plan.grade")
def eds_grading_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    grading = _grading(request, uuid)
    form = EdsGradingForm(request.POST if request.method == "POST" else None, user=request.user, grading=grading)

    def save() -> EdsGrading:
        return services.change_eds_grading(
            actor=request.user,
            grading=grading,
            year=form.cleaned_data["year"],
            data=form.grading_data(),
            grades=form.grades(),
            graders=form.graders(),
        )

    return service_form_page(
        request,
        form,
        save=save,
        saved_message=_("Grading changed."),
        next_page=lambda saved: saved.get_absolute_url(),
        template="plans/grading/eds_grading_form.html",
        context={
            "heading": _("Change the EDS 2022 grading"),
            "grading": grading,
            "breadcrumbs": _crumbs((str(grading), grading.get_absolute_url())),
            **_form_context(form),
        },
    )


@require_permission("plan.view")
def eds_grading_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    grading = _grading(request, uuid)
    grades = list(grading.grades.all())
    by_outcome = {row.outcome.code: row for row in grades}
    domains = [
        (group, [(item, by_outcome.get(item.code)) for item in items])
        for group, items in gradings.by_group(gradings.eds_outcomes())
    ]
    graders: list[EdsGrader] = list(grading.graders.all())
    return render(
        request,
        "plans/grading/eds_grading_detail.html",
        {
            "grading": grading,
            "year_label": gradings.year_label(grading.year),
            "domains": domains,
            "graders": graders,
            "overall": gradings.grading_overall(grading),
            "bands": BANDS,
            "late": gradings.publication_late(grading),
            "can_grade": policy.can(request.user, "plan.grade"),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("plan.grade")
def eds_grading_publish(request: HttpRequest, uuid: str) -> HttpResponse:
    """A confirmation page; the POST marks the grading published today."""
    grading = _grading(request, uuid)
    if grading.published_on:
        raise Http404
    form = _PublishForm(request.POST if request.method == "POST" else None)
    return service_form_page(
        request,
        form,
        save=lambda: services.publish_eds_grading(actor=request.user, grading=grading),
        saved_message=_("Grading marked as published."),
        next_page=lambda saved: saved.get_absolute_url(),
        template="plans/grading/eds_grading_publish.html",
        context={
            "grading": grading,
            "late": gradings.publication_late(grading),
            "breadcrumbs": _crumbs((str(grading), grading.get_absolute_url())),
        },
    )


class _PublishForm(forms.Form):
    """Nothing to type: publishing is a confirmation."""


@require_permission("plan.view")
def eds_comparison(request: HttpRequest, uuid: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=uuid)
    comparison = gradings.eds_comparison(EdsGrading.objects.visible_to(request.user).filter(organisation=organisation))
    return render(
        request,
        "plans/grading/eds_comparison.html",
        {
            "organisation": organisation,
            "comparison": comparison,
            "can_grade": policy.can(request.user, "plan.grade"),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("plan.view")
def competency_assessment(request: HttpRequest, uuid: str) -> HttpResponse:
    """A PCREF plan's self-assessment against the six competencies: the latest of each, and the earlier ones.
    Staff and administrators record a new assessment on the same page."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("owner"), uuid=uuid)
    if plan.plan_type != PlanType.PCREF:
        raise Http404
    can_grade = policy.can(request.user, "plan.grade")
    if request.method == "POST":
        check_permission(request, "plan.grade")
    form = CompetencyAssessmentForm(
        request.POST if request.method == "POST" else None,
        initial={"assessed_on": timezone.localdate(), "competency": request.GET.get("competency")},
    )
    return service_form_page(
        request,
        form,
        save=lambda: services.assess_competency(actor=request.user, plan=plan, **form.cleaned_data),
        saved_message=lambda saved: (
            _("Self-assessment of %(competency)s saved.") % {"competency": saved.competency.title}
        ),
        next_page=lambda saved: reverse("plans:competency_assessment", args=[plan.uuid]),
        template="plans/grading/competency_assessment.html",
        context={
            "plan": plan,
            "histories": gradings.competency_self_assessment(plan),
            "can_grade": can_grade,
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                (_("Action plans"), reverse("plans:plan_list")),
                (plan.title, plan.get_absolute_url()),
            ],
        },
    )
