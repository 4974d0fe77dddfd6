"""The action pages: staff add and edit actions with their partners; the named lead updates status, progress,
RAG and evidence, and keeps the milestones; "My actions" lists what the signed-in person leads, late and stale
first; a list of actions across plans for those who see every plan.

Permission at the door (``require_permission``), rows from ``visible_to(user)``, the lead's rule on the action
itself (``check_permission`` with ``plan_action.update``), writes through ``plans.services``.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core.forms import attach_errors
from waymark.core.lists import filtered_list_page, page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.templatetags.nhsuk import error_summary_items, error_target_id
from waymark.core.uploads import accepts_upload
from waymark.core.views_forms import service_form_page
from waymark.plans import progress, today
from waymark.plans.choices import FINISHED_STATUSES, RAG_DEFINITIONS, Freshness
from waymark.plans.filtersets import ActionFilterSet
from waymark.plans.forms_actions import (
    ActionForm,
    ActionUpdateForm,
    BasePartnerFormSet,
    EvidenceForm,
    MilestoneForm,
    partner_formset,
)
from waymark.plans.models import Action, ActionEvidence, Milestone, Objective
from waymark.plans.services import actions as action_services
from waymark.plans.services import evidence as evidence_services
from waymark.plans.services import milestones as milestone_services

ACTIONS_PER_PAGE = 25
# Late and stale first: the order "My actions" lists a lead's actions in.
FRESHNESS_ORDER = {Freshness.STALE: 0, Freshness.LATE: 1, Freshness.CURRENT: 2}


def _crumbs(action: Action | None = None, *, plan: Any = None) -> list[tuple[str, str]]:
    crumbs = [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list"))]
    plan = plan or (action.objective.plan if action is not None else None)
    if plan is not None:
        crumbs.append((plan.title, plan.get_absolute_url()))
    if action is not None:
        crumbs.append((f"{action.code} {action.title}", action.get_absolute_url()))
    return crumbs


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST, even an empty one (which is then refused, not shown as a fresh form)."""
    return request.POST if request.method == "POST" else None


def _visible_action(request: HttpRequest, uuid: Any) -> Action:
    return get_object_or_404(
        Action.objects.visible_to(request.user).select_related("objective__plan", "lead", "lead_organisation"),
        uuid=uuid,
    )


def _action_to_update(request: HttpRequest, uuid: Any) -> Action:
    """An action the user sees and may update: staff any, anyone else only an action they lead (else 403)."""
    action = _visible_action(request, uuid)
    check_permission(request, "plan_action.update", action)
    return action


def _form_errors(form: Any, formset: BasePartnerFormSet) -> list[dict[str, str]]:
    """The error summary of the action form and its partner rows, each linked to its field."""
    items: list[dict[str, str]] = error_summary_items(form)
    items += [{"text": str(error), "href": ""} for error in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, start=1):
        for bound_field in row:
            for error in bound_field.errors:
                items.append({"text": f"{_('Partner')} {number}: {error}", "href": f"#{error_target_id(bound_field)}"})
    return items


def _action_form_page(request: HttpRequest, *, objective: Objective, action: Action | None) -> HttpResponse:
    """Add or edit an action with its partner organisations; a refusal keeps every row as it was typed."""
    data = _posted(request)
    form = ActionForm(data, instance=action, user=request.user)
    formset = partner_formset(data, user=request.user, action=action)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            if action is None:
                saved = action_services.add_action(
                    actor=request.user, objective=objective, data=form.action_data(), partners=formset.partners()
                )
            else:
                saved = action_services.change_action(
                    actor=request.user, action=action, data=form.action_data(), partners=formset.partners()
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect(saved)
    error_items = _form_errors(form, formset) if form.errors or any(formset.errors) or formset.non_form_errors() else []
    context = {
        "form": form,
        "formset": formset,
        "error_items": error_items,
        "objective": objective,
        "plan": objective.plan,
        "action": action,
        "breadcrumbs": _crumbs(plan=objective.plan),
    }
    return render(request, "plans/action_form.html", context, status=400 if error_items else 200)


@require_permission("plan.manage")
def action_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.visible_to(request.user).select_related("plan"), uuid=uuid)
    return _action_form_page(request, objective=objective, action=None)


@require_permission("plan.manage")
def action_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    action = _visible_action(request, uuid)
    # A copy for the page's heading and crumbs, unchanged by what was typed.
    return _action_form_page(request, objective=action.objective, action=Action.objects.get(pk=action.pk))


@require_permission("plan_action.update")
def action_update(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The lead's update: status, progress, RAG and its reason, evidence; with the milestones and evidence items."""
    action = _action_to_update(request, uuid)
    shown = Action.objects.select_related("objective__plan").get(pk=action.pk)  # as saved, for the page
    form = ActionUpdateForm(_posted(request), instance=action)
    return service_form_page(
        request,
        form,
        save=lambda: action_services.update_action(actor=request.user, action=action, data=form.update_data()),
        saved_message=_("Your update is saved."),
        next_page=lambda saved: saved,
        template="plans/action_update.html",
        context={
            "action": shown,
            "plan": shown.objective.plan,
            "milestones": shown.milestones.all(),
            "evidence_items": shown.evidence_items.select_related("added_by"),
            "rag_definitions": RAG_DEFINITIONS.items(),
            "breadcrumbs": _crumbs(shown),
        },
    )


# --- Milestones --------------------------------------------------------------------------------------------


@require_permission("plan_action.update")
def milestone_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    action = _action_to_update(request, uuid)
    form = MilestoneForm(_posted(request))
    return service_form_page(
        request,
        form,
        save=lambda: milestone_services.add_milestone(actor=request.user, action=action, data=form.milestone_data()),
        saved_message=_("The milestone is added."),
        next_page=lambda saved: reverse("plans:action_update", args=[action.uuid]),
        template="plans/milestone_form.html",
        context={"action": action, "milestone": None, "breadcrumbs": _crumbs(action)},
    )


def _milestone_to_change(request: HttpRequest, uuid: Any) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.visible_to(request.user).select_related("action__objective__plan"), uuid=uuid
    )
    check_permission(request, "plan_action.update", milestone.action)
    return milestone


@require_permission("plan_action.update")
def milestone_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    milestone = _milestone_to_change(request, uuid)
    action = milestone.action
    form = MilestoneForm(_posted(request), instance=milestone)
    return service_form_page(
        request,
        form,
        save=lambda: milestone_services.change_milestone(
            actor=request.user, milestone=milestone, data=form.milestone_data()
        ),
        saved_message=_("The milestone is saved."),
        next_page=lambda saved: reverse("plans:action_update", args=[action.uuid]),
        template="plans/milestone_form.html",
        context={"action": action, "milestone": milestone, "breadcrumbs": _crumbs(action)},
    )


@require_permission("plan_action.update")
@require_POST
def milestone_complete(request: HttpRequest, uuid: Any) -> HttpResponse:
    milestone = _milestone_to_change(request, uuid)
    milestone_services.complete_milestone(actor=request.user, milestone=milestone)
    messages.success(request, _("“%(title)s” is marked done.") % {"title": milestone.title})
    return redirect(reverse("plans:action_update", args=[milestone.action.uuid]))


# --- Evidence ----------------------------------------------------------------------------------------------


@accepts_upload(evidence_services.EVIDENCE_LIMITS)
@require_permission("plan_action.update")
def evidence_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    action = _action_to_update(request, uuid)
    form = EvidenceForm(_posted(request), request.FILES or None)
    return service_form_page(
        request,
        form,
        save=lambda: evidence_services.add_evidence(
            actor=request.user, action=action, data=form.evidence_data(), file=form.cleaned_data.get("file")
        ),
        saved_message=_("The evidence is added."),
        next_page=lambda saved: reverse("plans:action_update", args=[action.uuid]),
        template="plans/evidence_form.html",
        context={"action": action, "breadcrumbs": _crumbs(action)},
    )


@require_permission("plan.view")
def evidence_file(request: HttpRequest, uuid: Any) -> FileResponse:
    """An evidence file, for those who see its plan. Uploaded files are never served from a public media URL;
    this view asks who is looking each time."""
    item = get_object_or_404(ActionEvidence.objects.visible_to(request.user), uuid=uuid)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    served = FileResponse(handle, as_attachment=True, filename=(item.file.name or "").rsplit("/", 1)[-1])
    served["Cache-Control"] = "private, no-store"
    return served


# --- Lists -------------------------------------------------------------------------------------------------


@require_permission("plan.view")
def my_actions(request: HttpRequest) -> HttpResponse:
    """The actions the signed-in person leads: stale, then late, then up to date, finished ones last; soonest
    due first within each. Freshness is the plan's rule (``progress.freshness``), so the list is ordered here."""
    mine = Action.objects.visible_to(request.user).filter(lead_id=request.user.pk)
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        mine = today.overdue(mine)
    actions = list(mine.select_related("objective__plan", "lead_organisation"))
    rows = [(action, progress.freshness(action, action.objective.plan)) for action in actions]
    rows.sort(key=lambda row: (row[0].status in FINISHED_STATUSES, FRESHNESS_ORDER[Freshness(row[1])], row[0].due_date))
    page = page_of(request, rows, ACTIONS_PER_PAGE)
    context = {
        "page_obj": page,
        "actions": [action for action, _freshness in page.object_list],
        "overdue_only": overdue_only,
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list"))],
    }
    return render(request, "plans/my_actions.html", context)


@require_permission("plan.view")
def action_list(request: HttpRequest) -> HttpResponse:
    """Actions across every plan the user sees, filtered by plan, status and RAG."""
    rows = (
        Action.objects.visible_to(request.user)
        .select_related("objective__plan", "lead", "lead_organisation")
        .order_by("objective__plan__title", "objective__order", "objective__code", "code")
    )
    return filtered_list_page(
        request,
        ActionFilterSet(request.GET or None, queryset=rows, request=request),
        per_page=ACTIONS_PER_PAGE,
        template="plans/action_list.html",
        rows_template="plans/_action_rows.html",
        rows_name="actions",
        context={"breadcrumbs": [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list"))]},
    )
