"""Deciding an application (award or decline), its award letter, and the award's payments.

Grants officers decide (``grant.decide``) and handle payments (``grant_award.manage``); the applicant reads
their award letter through the signed link in their award e-mail, with no account. Every write is a call to
``services.decisions`` or ``services.payments``, whose refusals (the budget, the award's range, paying twice)
are shown on the form with everything typed kept."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.permissions import require_permission
from waymark.core.signed_links import LinkRefused, read_token
from waymark.core.views_forms import service_form_page
from waymark.grants.award_letters import award_letter_pdf, letter_filename
from waymark.grants.budgets import budget_position
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.forms_awards import INSTALMENT_ROWS, DecisionForm, PaidForm, ScheduleForm
from waymark.grants.models import Application, GrantDecision, Payment
from waymark.grants.services import decisions, payments
from waymark.grants.views.applications import application_for
from waymark.grants.views.programmes import crumbs

FORM_TEMPLATE = "grants/award_form.html"


def _posted(request: HttpRequest) -> Any:
    """The POST data, even when empty: an empty form sent is refused with its errors, not shown afresh."""
    return request.POST if request.method == "POST" else None


def _application_crumbs(application: Application) -> list[tuple[str, str]]:
    programme = application.programme
    return crumbs(
        (programme.title, programme.get_absolute_url()),
        (_("Applications"), reverse("grants:application_list", kwargs={"uuid": programme.uuid})),
        (application.reference, application.get_absolute_url()),
    )


def _award_for(request: HttpRequest, uuid: Any) -> GrantDecision:
    """The award on the application ``uuid``, if the user may see it."""
    rows = GrantDecision.objects.visible_to(request.user).select_related("application__programme__funder")
    return get_object_or_404(rows, application__uuid=uuid, outcome=DecisionOutcome.AWARD)


def _pdf(decision: GrantDecision) -> HttpResponse:
    response = HttpResponse(award_letter_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter_filename(decision)}"'
    return response


@require_permission("grant.decide")
def decide(request: HttpRequest, uuid: Any) -> HttpResponse:
    application = application_for(request, uuid)
    decided = GrantDecision.objects.filter(application=application).exists()
    form = DecisionForm(_posted(request), initial={"starts_on": application.starts_on, "ends_on": application.ends_on})
    return service_form_page(
        request,
        form,
        save=lambda: decisions.decide_application(application, actor=request.user, **form.particulars()),
        saved_message=lambda decision: (
            _("Awarded. The applicant has been sent the award letter.")
            if decision.outcome == DecisionOutcome.AWARD
            else _("Declined. The applicant has been sent the reason.")
        ),
        next_page=lambda decision: application,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Decide"),
            "caption": f"{application.reference} · {application.applicant_name}",
            "application": application,
            "position": budget_position(application.programme),
            "not_decidable": decided or application.status != ApplicationStatus.IN_ASSESSMENT,
            "breadcrumbs": _application_crumbs(application),
        },
    )


@require_permission("grant_award.manage")
def schedule(request: HttpRequest, uuid: Any) -> HttpResponse:
    decision = _award_for(request, uuid)
    application = decision.application
    unpaid = list(decision.payments.filter(paid_on__isnull=True).order_by("due_on", "pk"))
    initial: dict[str, Any] = {}
    for number, payment in enumerate(unpaid[:INSTALMENT_ROWS], start=1):
        initial[f"payment_{number}_amount"] = payment.amount
        initial[f"payment_{number}_due_on"] = payment.due_on
    form = ScheduleForm(_posted(request), initial=initial)
    return service_form_page(
        request,
        form,
        save=lambda: payments.schedule_payments(decision, form.instalments(), actor=request.user),
        saved_message=_("The payments are rescheduled."),
        next_page=lambda saved: application,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Change the payments"),
            "caption": f"{application.reference} · {application.applicant_name}",
            "application": application,
            "decision": decision,
            "paid": decision.payments.filter(paid_on__isnull=False).order_by("paid_on", "pk"),
            "breadcrumbs": _application_crumbs(application),
        },
    )


@require_permission("grant_award.manage")
def mark_paid(request: HttpRequest, uuid: Any) -> HttpResponse:
    rows = Payment.objects.visible_to(request.user).select_related("decision__application__programme")
    payment = get_object_or_404(rows, uuid=uuid)
    application = payment.decision.application
    form = PaidForm(_posted(request))
    return service_form_page(
        request,
        form,
        save=lambda: payments.mark_paid(payment, paid_on=form.cleaned_data["paid_on"], actor=request.user),
        saved_message=_("The payment is marked paid."),
        next_page=lambda saved: application,
        template=FORM_TEMPLATE,
        context={
            "heading": _("Mark a payment paid"),
            "caption": f"{application.reference} · {application.applicant_name}",
            "application": application,
            "payment": payment,
            "breadcrumbs": _application_crumbs(application),
        },
    )


@require_permission("grant_application.view")
@require_safe
def award_letter(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The award letter, as the applicant reads it, for grants officers."""
    return _pdf(_award_for(request, uuid))


@require_safe
def award_letter_public(request: HttpRequest, token: str) -> HttpResponse:
    """The award letter from the link in the award e-mail: no account needed, the signed link is the key."""
    try:
        subject, _data = read_token(token, purpose=decisions.LETTER_LINK_PURPOSE)
    except LinkRefused as refused:
        return render(request, "grants/public/letter_link_refused.html", {"reason": refused.reason}, status=404)
    kind, _sep, decision_uuid = subject.partition(":")
    if kind != "grant-decision":
        raise Http404
    rows = GrantDecision.objects.select_related("application__programme__funder")
    return _pdf(get_object_or_404(rows, uuid=decision_uuid, outcome=DecisionOutcome.AWARD))
