"""Pages of the trail from what communities said to what changed: link an issue to the action that answers
it (and undo that), raise a network meeting action into a plan action, and say where an objective came from.

All for those who run plans (``plan.manage``); records from ``visible_to(user)``; every write through
``plans.services.trail``.
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

from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.network.models import Action as MeetingAction
from waymark.plans import trail
from waymark.plans.forms_trail import IssueLinkForm, ObjectiveSourcesForm, RaiseMeetingActionForm
from waymark.plans.models import Action, Objective
from waymark.plans.services import trail as services
from waymark.voice.models import Issue

FORM_TEMPLATE = "plans/trail/form.html"


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list")), *extra]


def _action(request: HttpRequest, uuid: Any) -> Action:
    return get_object_or_404(Action.objects.visible_to(request.user).select_related("objective__plan"), uuid=uuid)


def _action_crumbs(action: Action) -> list[tuple[str, str]]:
    plan = action.objective.plan
    return _crumbs((plan.title, plan.get_absolute_url()), (f"{action.code} {action.title}", action.get_absolute_url()))


@require_permission("plan.manage")
def issue_link(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Choose an issue communities raised that this action answers, and say how."""
    action = _action(request, uuid)
    form = IssueLinkForm(request.POST or None, user=request.user, action=action)
    return service_form_page(
        request,
        form,
        save=lambda: services.link_issue(
            actor=request.user, action=action, issue=form.cleaned_data["issue"], note=form.cleaned_data["note"]
        ),
        saved_message=_("Issue linked. Its public page shows this action once the plan is published."),
        next_page=lambda link: action,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Link an issue this action answers"),
            "caption": f"{action.code} {action.title}",
            "breadcrumbs": _action_crumbs(action),
        },
    )


@require_POST
@require_permission("plan.manage")
def issue_unlink(request: HttpRequest, uuid: Any, issue_uuid: Any) -> HttpResponse:
    action = _action(request, uuid)
    issue = get_object_or_404(Issue.objects.filter(plan_action_links__action=action), uuid=issue_uuid)
    try:
        services.unlink_issue(actor=request.user, action=action, issue=issue)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The action no longer answers “%(issue)s”.") % {"issue": issue.title})
    return redirect(action)


@require_permission("plan.manage")
def raise_meeting_action(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A plan action made from what a network meeting agreed, starting with its words and due date."""
    meeting_action = get_object_or_404(
        MeetingAction.objects.visible_to(request.user).select_related("meeting__network"), uuid=uuid
    )
    raised = trail.plan_action_raised_from(meeting_action)
    if raised is not None and request.method != "POST":
        messages.info(
            request, _("This meeting action was already raised into plan action %(action)s.") % {"action": raised}
        )
        return redirect(meeting_action)
    form = RaiseMeetingActionForm(
        request.POST or None, user=request.user, initial=services.meeting_action_defaults(meeting_action)
    )
    meeting = meeting_action.meeting
    return service_form_page(
        request,
        form,
        save=lambda: services.raise_from_meeting_action(
            actor=request.user,
            meeting_action=meeting_action,
            objective=form.cleaned_data["objective"],
            data=form.service_data(),
        ),
        saved_message=lambda action: _("Plan action %(action)s made from the meeting action.") % {"action": action},
        next_page=lambda action: action,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Raise into a plan action"),
            "caption": _("%(network)s: action agreed at the meeting of %(date)s")
            % {"network": meeting.network.name, "date": f"{meeting.start:%d/%m/%Y}"},
            "intro": _(
                "The plan action starts with the meeting action's words and due date. Choose the plan objective "
                "it belongs to and the organisation that leads it; a named lead can be added on the action later."
            ),
            "breadcrumbs": [
                (_("Home"), reverse("core:home")),
                (meeting.network.name, meeting.network.get_absolute_url()),
                (meeting.title, meeting.get_absolute_url()),
                (_("Action"), meeting_action.get_absolute_url()),
            ],
        },
    )


@require_permission("plan.manage")
def objective_sources(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Where the objective came from: the issues communities raised, the consultations, and a note."""
    objective = get_object_or_404(Objective.objects.visible_to(request.user).select_related("plan"), uuid=uuid)
    form = ObjectiveSourcesForm(request.POST or None, user=request.user, objective=objective)
    plan = objective.plan
    return service_form_page(
        request,
        form,
        save=lambda: services.set_objective_sources(
            actor=request.user,
            objective=objective,
            issues=form.cleaned_data["source_issues"],
            surveys=form.cleaned_data["source_surveys"],
            note=form.cleaned_data["source_note"],
        ),
        saved_message=_("Where the objective came from is saved."),
        next_page=lambda saved: f"{plan.get_absolute_url()}#objective-{slugify(objective.code)}",
        template=FORM_TEMPLATE,
        context={
            "heading": _("Where the objective came from"),
            "caption": f"{plan.title}: {objective.code} {objective.title}",
            "breadcrumbs": _crumbs((plan.title, plan.get_absolute_url())),
        },
    )
