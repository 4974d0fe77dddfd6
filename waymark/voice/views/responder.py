"""The responder's side: a signed-in responder sees and answers only the escalations addressed to their
organisation; an organisation without a responder account answers one escalation through the signed link sent
to its nominated contact."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.lists import page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.roles import Role
from waymark.voice import answering, today
from waymark.voice.forms_escalations import ResponseForm
from waymark.voice.models import Escalation, EscalationStatus, ReceivedBy, Response
from waymark.voice.services import escalations

ESCALATIONS_PER_PAGE = 25
SHARED_FEEDBACK_PER_PAGE = 20


@require_permission("voice_escalation.view")
def responder_list(request: HttpRequest) -> HttpResponse:
    """The escalations addressed to the organisations this person answers for."""
    escalations = answering.escalations_for_responder(request.user)
    awaiting_only = request.GET.get("status") == "awaiting"
    if awaiting_only:
        escalations = today.awaiting_answer(escalations)
    page = page_of(request, escalations, ESCALATIONS_PER_PAGE)
    context = {
        "page_obj": page,
        "awaiting_only": awaiting_only,
        "escalations": page.object_list,
        "is_staff": policy.can(request.user, "voice_issue.view"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "voice/respond/responder_list.html", context)


@require_permission("voice_escalation.view")
def responder_escalation(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One escalation to the responder's organisation, the feedback behind it that people agreed to share, and
    the form to answer it while it awaits an answer."""
    escalation = get_object_or_404(Escalation.objects.select_related("issue", "responder"), uuid=uuid)
    if escalation.responder_id not in policy.organisation_ids(request.user, Role.RESPONDER):
        if policy.can(request.user, "voice_issue.view"):
            return redirect(escalation)  # staff read escalations on their own pages
        raise Http404  # another organisation's responder does not learn that it exists
    check_permission(request, "voice_escalation.view", escalation)
    can_answer = policy.can(request.user, "voice_escalation.answer", escalation)
    form = ResponseForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        check_permission(request, "voice_escalation.answer", escalation)
        assert form is not None
        if form.is_valid():
            try:
                escalations.record_response(
                    actor=request.user, escalation=escalation, data=form.cleaned_data, received_by=ReceivedBy.ACCOUNT
                )
            except (ValidationError, escalations.EscalationError) as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your answer has been sent."))
                return redirect("voice:responder_escalation", uuid=escalation.uuid)
    context = {
        "escalation": escalation,
        "response": Response.objects.filter(escalation=escalation).first(),
        "form": form,
        "overdue": escalation.is_overdue(),
        "shared_page": page_of(request, answering.shared_feedback(escalation), SHARED_FEEDBACK_PER_PAGE),
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (_("Escalations to answer"), reverse("voice:responder_list")),
        ],
    }
    return render(request, "voice/respond/escalation.html", context)


@never_cache
def answer_link(request: HttpRequest, uuid: Any, token: str) -> HttpResponse:
    """Answer one escalation through the signed link, without an account. The link opens only its own
    escalation, and stops working once it expires, is revoked or has been used."""
    link = answering.answer_link_for(uuid, token)
    if link is None:
        return render(request, "voice/respond/answer_link_invalid.html", status=404)
    escalation = link.escalation
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalations.record_response(
                actor=None, escalation=escalation, data=form.cleaned_data, received_by=ReceivedBy.LINK, link=link
            )
        except (ValidationError, escalations.EscalationError) as error:
            attach_errors(form, error)
        else:
            return render(request, "voice/respond/answer_link_thanks.html", {"escalation": escalation})
    context = {
        "escalation": escalation,
        "form": form,
        "expires_at": link.expires_at,
        "awaiting": escalation.status == EscalationStatus.AWAITING,
    }
    response = render(request, "voice/respond/answer_link.html", context)
    # The token must not leak to other sites through links; "no-referrer" would also blank the Origin header
    # of the form's own POST, which the CSRF check needs.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
