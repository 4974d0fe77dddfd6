"""A programme's money: its budget, what awards have committed, what has been paid, and what remains.

Committed is the sum of awards decided; it never exceeds the budget, because ``services.decisions`` adds an
award only while holding the programme's row lock (see docs/grants.md)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from waymark.grants.choices import DecisionOutcome
from waymark.grants.models import GrantDecision, Payment, Programme

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BudgetPosition:
    budget: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        """What may still be awarded."""
        return self.budget - self.committed

    @property
    def unpaid(self) -> Decimal:
        """Awarded but not yet paid."""
        return self.committed - self.paid

    @property
    def committed_share(self) -> int:
        """Percentage of the budget committed, for the bar on the programme's page."""
        return int(self.committed * 100 / self.budget) if self.budget else 0


def committed_total(programme_id: int) -> Decimal:
    """The sum of the programme's awards, read afresh (inside the lock, when deciding)."""
    total = GrantDecision.objects.filter(
        application__programme_id=programme_id, outcome=DecisionOutcome.AWARD
    ).aggregate(total=Sum("amount_awarded"))["total"]
    return total or ZERO


def budget_position(programme: Programme) -> BudgetPosition:
    paid = Payment.objects.filter(decision__application__programme_id=programme.pk, paid_on__isnull=False).aggregate(
        total=Sum("amount")
    )["total"]
    return BudgetPosition(budget=programme.budget, committed=committed_total(programme.pk), paid=paid or ZERO)
