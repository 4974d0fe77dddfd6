"""An award's payments: the schedule (one payment or instalments) and marking each paid with its date.

The schedule always adds up to the amount awarded, and a payment is marked paid only while the award's row is
locked, so however many people press "Paid" at once, never more is paid than was awarded."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.grants.choices import DecisionOutcome
from waymark.grants.models import GrantDecision, Payment

MAX_INSTALMENTS = 12


class Instalment(NamedTuple):
    """One row of a schedule: how much, and when it is due."""

    amount: Decimal
    due_on: datetime.date


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _check_may_manage(actor: Any) -> None:
    if actor is not None and not policy.can(actor, "grant_award.manage"):
        raise PermissionDenied(_("Payments are handled by grants officers and administrators."))


def _paid_total(decision: GrantDecision) -> Decimal:
    total = Payment.objects.filter(decision=decision, paid_on__isnull=False).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0.00")


def replace_schedule(decision: GrantDecision, rows: Sequence[Instalment]) -> list[Payment]:
    """Replace the unpaid payments with ``rows``. The caller holds the award's transaction (and its lock)."""
    if decision.outcome != DecisionOutcome.AWARD or decision.amount_awarded is None:
        raise ValidationError({"instalments": _("Only an award has payments.")})
    if not rows:
        raise ValidationError({"instalments": _("Schedule at least one payment.")})
    if len(rows) > MAX_INSTALMENTS:
        raise ValidationError({"instalments": _("Schedule %(limit)d payments or fewer.") % {"limit": MAX_INSTALMENTS}})
    for row in rows:
        if row.amount is None or row.amount <= 0:
            raise ValidationError({"instalments": _("Each payment must be more than £0.00.")})
        if row.due_on is None:
            raise ValidationError({"instalments": _("Give each payment the date it is due.")})
        if row.due_on < decision.award_date:
            raise ValidationError(
                {
                    "instalments": _("A payment cannot be due before the award was made (%(date)s).")
                    % {"date": decision.award_date.isoformat()}
                }
            )
    paid = _paid_total(decision)
    scheduled = sum((row.amount for row in rows), Decimal("0.00"))
    if paid + scheduled != decision.amount_awarded:
        raise ValidationError(
            {
                "instalments": _(
                    "The payments must add up to the %(awarded)s awarded: %(paid)s is paid already and these "
                    "add up to %(scheduled)s."
                )
                % {
                    "awarded": _money(decision.amount_awarded),
                    "paid": _money(paid),
                    "scheduled": _money(scheduled),
                }
            }
        )
    for payment in Payment.objects.filter(decision=decision, paid_on__isnull=True):
        payment.delete()  # one by one, so the history keeps each
    return [Payment.objects.create(decision=decision, amount=row.amount, due_on=row.due_on) for row in rows]


def schedule_payments(decision: GrantDecision, rows: Sequence[Instalment], *, actor: Any) -> list[Payment]:
    """A new schedule for what is still unpaid: the paid payments stay, and all of them add up to the award."""
    _check_may_manage(actor)
    with transaction.atomic(), acting_as(actor):
        locked = GrantDecision.objects.select_for_update().get(pk=decision.pk)
        return replace_schedule(locked, rows)


def mark_paid(payment: Payment, *, paid_on: datetime.date, actor: Any) -> Payment:
    """Record that a payment went out on ``paid_on``. Refused if it is paid already or would pay more than the
    award (read under the award's lock)."""
    _check_may_manage(actor)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date paid must be today or earlier.")})
    with transaction.atomic(), acting_as(actor):
        decision = GrantDecision.objects.select_for_update().get(pk=payment.decision_id)
        current = Payment.objects.get(pk=payment.pk)
        if current.paid_on is not None:
            raise ValidationError(
                {"paid_on": _("This payment was marked paid on %(date)s.") % {"date": current.paid_on.isoformat()}}
            )
        if paid_on < decision.award_date:
            raise ValidationError(
                {
                    "paid_on": _("A payment cannot be made before the award (%(date)s).")
                    % {"date": decision.award_date.isoformat()}
                }
            )
        awarded = decision.amount_awarded or Decimal("0.00")
        paid = _paid_total(decision)
        if paid + current.amount > awarded:
            raise ValidationError(
                {
                    "amount": _("Only %(left)s of the %(awarded)s awarded is left to pay.")
                    % {"left": _money(awarded - paid), "awarded": _money(awarded)}
                }
            )
        current.paid_on = paid_on
        current.recorded_by = actor
        current.save(update_fields=["paid_on", "recorded_by"])
    payment.paid_on, payment.recorded_by = current.paid_on, current.recorded_by
    return current
