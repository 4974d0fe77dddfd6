"""Staff pages for issues and escalations: build an issue from feedback, escalate it, send or revoke the signed
answer link, record an answer that came by letter or e-mail, publish it, and close the escalation. Closure days
are kept by administrators.

Permission at the door, rows from ``visible_to(user)``, writes through ``voice.services.escalations``.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.history import render_history
from waymark.core.lists import page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.uploads import accepts_upload
from waymark.voice import answering, today, workdays
from waymark.voice.forms_escalations import (
    AnswerLinkForm,
    CloseEscalationForm,
    ClosureDayForm,
    EscalationForm,
    IssueForm,
    OnBehalfResponseForm,
)
from waymark.voice.models import (
    AnswerLink,
    ClosureDay,
    Escalation,
    EscalationStatus,
    FeedbackItem,
    Issue,
    IssueStatus,
    Response,
)
from waymark.voice.services import escalations

ISSUES_PER_PAGE = 25
CLOSURE_DAYS_PER_PAGE = 50


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Issues"), reverse("voice:issue_list"))]


def _issue_crumbs(issue: Issue) -> list[tuple[str, str]]:
    return [*_crumbs(), (issue.title, issue.get_absolute_url())]


def _get_issue(request: HttpRequest, uuid: Any) -> Issue:
    return get_object_or_404(Issue.objects.visible_to(request.user), uuid=uuid)


def _get_escalation(request: HttpRequest, uuid: Any) -> Escalation:
    return get_object_or_404(
        Escalation.objects.visible_to(request.user).select_related("issue", "responder"), uuid=uuid
    )


# --- Issues ------------------------------------------------------------------------------------------


@require_permission("voice_issue.view")
def issue_list(request: HttpRequest) -> HttpResponse:
    """Every issue, newest first, optionally of one status, with how many items and escalations it has."""
    rows = Issue.objects.visible_to(request.user).select_related("owner").order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in IssueStatus.values:
        rows = rows.filter(status=status)
    escalations_due = request.GET.get("escalations") == "due"
    if escalations_due:
        rows = today.issues_with_escalations_due(rows)
    rows = rows.annotate(item_count=Count("items", distinct=True), escalation_count=Count("escalations", distinct=True))
    page = page_of(request, rows, ISSUES_PER_PAGE)
    context = {
        "page_obj": page,
        "issues": page.object_list,
        "status": status,
        "escalations_due": escalations_due,
        "statuses": IssueStatus.choices,
        "can_manage": policy.can(request.user, "voice_issue.manage"),
        "can_manage_closure_days": policy.can(request.user, "voice_closure_day.manage"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "voice/issues/issue_list.html", context)


@require_permission("voice_issue.manage")
def issue_create(request: HttpRequest) -> HttpResponse:
    """A new issue, made from the feedback items ticked on the triage page (``?item=<uuid>``)."""
    item_uuids = request.POST.getlist("item") if request.method == "POST" else request.GET.getlist("item")
    items = list(
        FeedbackItem.objects.visible_to(request.user)
        .filter(uuid__in=[value for value in item_uuids if _is_uuid(value)])
        .prefetch_related("themes", "communities")
    )
    form = IssueForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            issue = escalations.create_issue(actor=request.user, data=form.cleaned_data, items=items)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Issue created."))
            return redirect(issue)
    context = {"form": form, "items": items, "breadcrumbs": _crumbs()}
    return render(request, "voice/issues/issue_form.html", context)


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@require_permission("voice_issue.view")
def issue_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    issue = _get_issue(request, uuid)
    issue = (
        Issue.objects.filter(pk=issue.pk)
        .select_related("owner")
        .prefetch_related(
            "themes",
            "communities",
            Prefetch("items", queryset=FeedbackItem.objects.select_related("original_language").order_by("pk")),
            Prefetch(
                "escalations",
                queryset=Escalation.objects.select_related("responder", "response").order_by("sent_at", "pk"),
            ),
        )
        .get()
    )
    context = {
        "issue": issue,
        "can_manage": policy.can(request.user, "voice_issue.manage"),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "voice/issues/issue_detail.html", context)


@require_permission("voice_issue.manage")
def issue_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    issue = _get_issue(request, uuid)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            escalations.update_issue(actor=request.user, issue=issue, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Issue saved."))
            return redirect(issue)
    context = {"form": form, "issue": issue, "items": [], "breadcrumbs": _issue_crumbs(issue)}
    return render(request, "voice/issues/issue_form.html", context)


@require_permission("voice_issue.view")
def issue_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    issue = _get_issue(request, uuid)
    return render_history(request, issue, breadcrumbs=_issue_crumbs(issue))


# --- Escalations -------------------------------------------------------------------------------------


@require_permission("voice_issue.manage")
def escalation_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Send the issue to the organisation that must answer, with the due date counted in working days."""
    issue = _get_issue(request, uuid)
    form = EscalationForm(request.POST or None, default_working_days=workdays.response_working_days())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = escalations.escalate_issue(
                actor=request.user,
                issue=issue,
                responder=data["responder"],
                question=data["question"],
                contact_email=data["contact_email"],
                working_days=data["working_days"],
            )
        except (ValidationError, escalations.EscalationError) as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Escalated to %(organisation)s. The answer is due by %(due)s.")
                % {"organisation": escalation.responder.name, "due": formats.date_format(escalation.due_on, "j F Y")},
            )
            return redirect(escalation)
    context = {"form": form, "issue": issue, "breadcrumbs": _issue_crumbs(issue)}
    return render(request, "voice/issues/escalation_form.html", context)


@require_permission("voice_issue.view")
def escalation_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One escalation: what was asked, when it is due, the answer and its outcome, links sent and reminders."""
    escalation = _get_escalation(request, uuid)
    response = Response.objects.filter(escalation=escalation).select_related("recorded_by").first()
    can_manage = policy.can(request.user, "voice_issue.manage")
    awaiting = escalation.status == EscalationStatus.AWAITING
    context = {
        "escalation": escalation,
        "issue": escalation.issue,
        "response": response,
        "links": escalation.answer_links.select_related("created_by").order_by("-created_at"),
        "reminders": answering.reminders_with_delivery(escalation),
        "responders": answering.active_responders(escalation.responder),
        "overdue": escalation.is_overdue(),
        "can_manage": can_manage,
        "link_form": AnswerLinkForm(initial={"send_to": escalation.contact_email}) if can_manage and awaiting else None,
        "close_form": CloseEscalationForm() if can_manage and escalation.status == EscalationStatus.ANSWERED else None,
        "breadcrumbs": _issue_crumbs(escalation.issue),
    }
    return render(request, "voice/issues/escalation_detail.html", context)


@require_POST
@require_permission("voice_issue.manage")
def answer_link_send(request: HttpRequest, uuid: Any) -> HttpResponse:
    """E-mail a new signed answer link to the nominated contact (earlier links stop working)."""
    escalation = _get_escalation(request, uuid)
    form = AnswerLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter an e-mail address in the correct format, like name@example.com."))
        return redirect(escalation)
    try:
        link, _url = escalations.issue_answer_link(
            actor=request.user, escalation=escalation, send_to=form.cleaned_data["send_to"]
        )
    except escalations.EscalationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("An answer link has been sent to %(address)s.") % {"address": link.sent_to})
    return redirect(escalation)


@require_POST
@require_permission("voice_issue.manage")
def answer_link_revoke(request: HttpRequest, uuid: Any) -> HttpResponse:
    link = get_object_or_404(AnswerLink.objects.visible_to(request.user).select_related("escalation"), uuid=uuid)
    escalations.revoke_answer_link(actor=request.user, link=link)
    messages.success(request, _("The answer link sent to %(address)s no longer works.") % {"address": link.sent_to})
    return redirect(link.escalation)


@accepts_upload("documents")
@require_permission("voice_issue.manage")
def response_record(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Staff record an answer that came by letter or e-mail, on the responder's behalf, with the document."""
    escalation = _get_escalation(request, uuid)
    if escalation.status != EscalationStatus.AWAITING:
        messages.error(request, _("This escalation has already been answered."))
        return redirect(escalation)
    form = OnBehalfResponseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in escalations.RESPONSE_FIELDS}
        try:
            escalations.record_response(
                actor=request.user,
                escalation=escalation,
                data=data,
                received_by=form.cleaned_data["received_by"],
                document=form.cleaned_data["document"],
            )
        except (ValidationError, escalations.EscalationError) as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The answer has been recorded on the responder's behalf."))
            return redirect(escalation)
    context = {
        "form": form,
        "escalation": escalation,
        "issue": escalation.issue,
        "breadcrumbs": [*_issue_crumbs(escalation.issue), (str(escalation.responder), escalation.get_absolute_url())],
    }
    return render(request, "voice/issues/response_record.html", context)


@require_POST
@require_permission("voice_issue.manage")
def response_publish(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Put the answer on the public "you said, we did" pages, or take it off."""
    escalation = _get_escalation(request, uuid)
    response = get_object_or_404(Response, escalation=escalation)
    publish = request.POST.get("published") == "true"
    escalations.set_response_published(actor=request.user, response=response, published=publish)
    if publish:
        messages.success(request, _("The answer is published on the public pages."))
    else:
        messages.success(request, _("The answer is no longer public."))
    return redirect(escalation)


@require_permission("voice_issue.manage")
def escalation_close(request: HttpRequest, uuid: Any) -> HttpResponse:
    escalation = _get_escalation(request, uuid)
    form = CloseEscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalations.close_escalation(actor=request.user, escalation=escalation, note=form.cleaned_data["note"])
        except (ValidationError, escalations.EscalationError) as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The escalation is closed."))
            return redirect(escalation)
    context = {
        "form": form,
        "escalation": escalation,
        "breadcrumbs": [*_issue_crumbs(escalation.issue), (str(escalation.responder), escalation.get_absolute_url())],
    }
    return render(request, "voice/issues/escalation_close.html", context)


@require_permission("voice_escalation.view")
def response_document(request: HttpRequest, uuid: Any) -> FileResponse:
    """The letter or e-mail attached to an answer, only for staff and the organisation that sent it.

    Uploaded files are never served from a public media URL; this view checks who asks each time.
    """
    escalation = get_object_or_404(Escalation.objects.select_related("response"), uuid=uuid)
    check_permission(request, "voice_escalation.view", escalation)
    response = getattr(escalation, "response", None)
    if response is None or not response.document:
        raise Http404
    try:
        handle = response.document.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = response.document.name.rsplit("/", 1)[-1]
    served = FileResponse(handle, as_attachment=True, filename=filename)
    served["Cache-Control"] = "private, no-store"
    return served


# --- Closure days ------------------------------------------------------------------------------------


@require_permission("voice_closure_day.manage")
def closure_days(request: HttpRequest) -> HttpResponse:
    """Days the office is closed that are not bank holidays; they do not count towards due dates."""
    form = ClosureDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalations.add_closure_day(
                actor=request.user, day=form.cleaned_data["date"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Closure day added."))
            return redirect("voice:closure_days")
    page = page_of(request, ClosureDay.objects.visible_to(request.user).order_by("-date"), CLOSURE_DAYS_PER_PAGE)
    context = {
        "form": form,
        "page_obj": page,
        "days": page.object_list,
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Issues"), reverse("voice:issue_list"))],
    }
    return render(request, "voice/issues/closure_days.html", context)


@require_POST
@require_permission("voice_closure_day.manage")
def closure_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(ClosureDay.objects.visible_to(request.user), pk=pk)
    if not policy.can(request.user, "voice_closure_day.manage", closure):
        raise PermissionDenied
    escalations.remove_closure_day(actor=request.user, closure=closure)
    messages.success(request, _("Closure day removed."))
    return redirect("voice:closure_days")
