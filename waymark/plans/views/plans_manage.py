"""Running a plan: start one (from a template), change it, see its history, move its status, write its
objectives and record the meetings that reviewed it.

Staff and administrators (``plan.manage``) at the door; approving and publishing also need
``plan.approve`` (administrators), asked here and again by the service. Rows from ``visible_to(user)``.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.history import render_history
from waymark.core.permissions import check_permission, require_permission
from waymark.core.views_forms import service_form_page
from waymark.plans.choices import APPROVER_STATUSES
from waymark.plans.forms_plans import ObjectiveForm, PlanForm, PlanStartForm, ReviewMeetingsForm
from waymark.plans.models import Objective, Plan
from waymark.plans.services import plans as plan_services


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list")), *extra]


def _plan(request: HttpRequest, uuid: Any) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("owner"), uuid=uuid)


def _plan_crumbs(plan: Plan) -> list[tuple[str, str]]:
    return _crumbs((plan.title, plan.get_absolute_url()))


def _form_page(
    request: HttpRequest, form: Any, *, save: Any, saved_message: Any, next_page: Any, context: dict[str, Any]
) -> HttpResponse:
    return service_form_page(
        request,
        form,
        save=save,
        saved_message=saved_message,
        next_page=next_page,
        template="plans/plan_form.html",
        context=context,
    )


@require_permission("plan.manage")
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanStartForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        save=lambda: plan_services.create_plan(
            actor=request.user, data=form.plan_data(), template=form.cleaned_data["template"], **form.relations()
        ),
        saved_message=lambda plan: (
            _("Plan started: %(title)s. It is a draft until it is approved.") % {"title": plan.title}
        ),
        next_page=lambda plan: plan,
        context={
            "heading": _("Start a plan"),
            "intro": _(
                "Choose the national framework the plan follows, if any, then its particulars. Objectives and "
                "actions can be added and changed afterwards."
            ),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("plan.manage")
def plan_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    plan = _plan(request, uuid)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    return _form_page(
        request,
        form,
        save=lambda: plan_services.change_plan(
            actor=request.user, plan=plan, data=form.plan_data(), **form.relations()
        ),
        saved_message=_("Plan changed."),
        next_page=lambda changed: changed,
        context={"heading": _("Change the plan"), "caption": plan.title, "breadcrumbs": _plan_crumbs(plan)},
    )


@require_permission("plan.manage")
def plan_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    plan = _plan(request, uuid)
    return render_history(request, plan, breadcrumbs=_plan_crumbs(plan))


@require_POST
@require_permission("plan.manage")
def plan_move(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Move the plan's status (a button on the plan's page); a refused move is said there."""
    plan = _plan(request, uuid)
    to_status = request.POST.get("to_status", "")
    if to_status in APPROVER_STATUSES:
        check_permission(request, "plan.approve")
    try:
        plan_services.move_plan(actor=request.user, plan=plan, to_status=to_status, note=request.POST.get("note", ""))
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _("The plan is now: %(status)s.") % {"status": plan.get_status_display()})
    return redirect(plan)


@require_permission("plan.manage")
def plan_meetings(request: HttpRequest, uuid: Any) -> HttpResponse:
    plan = _plan(request, uuid)
    form = ReviewMeetingsForm(request.POST or None, user=request.user, plan=plan)
    return _form_page(
        request,
        form,
        save=lambda: plan_services.record_reviews(
            actor=request.user, plan=plan, meetings=form.cleaned_data["meetings"]
        ),
        saved_message=_("Meetings that reviewed the plan recorded."),
        next_page=lambda saved: saved,
        context={
            "heading": _("Meetings that reviewed the plan"),
            "caption": plan.title,
            "breadcrumbs": _plan_crumbs(plan),
        },
    )


@require_permission("plan.manage")
def objective_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    plan = _plan(request, uuid)
    following = (plan.objectives.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = ObjectiveForm(request.POST or None, initial={"order": following})
    return _form_page(
        request,
        form,
        save=lambda: plan_services.add_objective(actor=request.user, plan=plan, data=form.objective_data()),
        saved_message=lambda objective: _("Objective %(code)s added.") % {"code": objective.code},
        next_page=lambda objective: f"{plan.get_absolute_url()}#objective-{slugify(objective.code)}",
        context={"heading": _("Add an objective"), "caption": plan.title, "breadcrumbs": _plan_crumbs(plan)},
    )


@require_permission("plan.manage")
def objective_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.visible_to(request.user).select_related("plan"), uuid=uuid)
    plan = objective.plan
    form = ObjectiveForm(request.POST or None, instance=objective)
    return _form_page(
        request,
        form,
        save=lambda: plan_services.change_objective(
            actor=request.user, objective=objective, data=form.objective_data()
        ),
        saved_message=_("Objective changed."),
        next_page=lambda saved: plan,
        context={
            "heading": _("Change objective %(code)s") % {"code": objective.code},
            "caption": plan.title,
            "breadcrumbs": _plan_crumbs(plan),
        },
    )
