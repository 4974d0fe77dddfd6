"""The awards' parts of an application's page: the decision (or the button to decide, with what remains of the
budget) and the award's payments with what is paid and what is left."""

from typing import Any

from django.db.models import Sum
from django.http import HttpRequest

from waymark.core import policy
from waymark.core.panels import register_panel
from waymark.grants.budgets import ZERO, budget_position
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.models import Application, GrantDecision, Payment


def _decision_seen(request: HttpRequest | None, application: Application) -> GrantDecision | None:
    if request is None:
        return None
    rows = GrantDecision.objects.visible_to(request.user).select_related("decided_by")
    return rows.filter(application=application).first()


def decision_context(request: HttpRequest | None, application: Application) -> dict[str, Any] | None:
    if request is None or not policy.can(request.user, "grant_application.view"):
        return None
    decision = _decision_seen(request, application)
    can_decide = (
        decision is None
        and application.status == ApplicationStatus.IN_ASSESSMENT
        and policy.can(request.user, "grant.decide")
    )
    return {
        "application": application,
        "decision": decision,
        "can_decide": can_decide,
        "remaining": budget_position(application.programme).remaining if can_decide else None,
    }


def payments_context(request: HttpRequest | None, application: Application) -> dict[str, Any] | None:
    decision = _decision_seen(request, application)
    if request is None or decision is None or decision.outcome != DecisionOutcome.AWARD:
        return None
    payments = list(Payment.objects.visible_to(request.user).filter(decision=decision).order_by("due_on", "pk"))
    paid = Payment.objects.filter(decision=decision, paid_on__isnull=False).aggregate(total=Sum("amount"))["total"]
    paid = paid or ZERO
    return {
        "decision": decision,
        "payments": payments,
        "paid": paid,
        "left": (decision.amount_awarded or ZERO) - paid,
        "can_manage": policy.can(request.user, "grant_award.manage"),
    }


def register() -> None:
    register_panel("grants.application_decision", "grants/panels/decision.html", decision_context)
    register_panel("grants.application_payments", "grants/panels/payments.html", payments_context)
