"""The decision form (award with conditions and a schedule of payments, or decline, a reason always), the
schedule form and the "paid" form. They check and tidy what is typed; ``services.decisions`` and
``services.payments`` decide and refuse (the budget, the award's range), and the pages show the refusal here."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.forms import DateField, PlainErrorsMixin
from waymark.grants.choices import DecisionOutcome
from waymark.grants.services.payments import Instalment

INSTALMENT_ROWS = 4
ORDINALS = (_("First payment"), _("Second payment"), _("Third payment"), _("Fourth payment"))


class InstalmentsMixin(forms.Form):
    """Up to four payments, each an amount and a due date; rows left empty are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, INSTALMENT_ROWS + 1):
            self.fields[f"payment_{number}_amount"] = forms.DecimalField(
                label=_("%(payment)s: amount (£)") % {"payment": ORDINALS[number - 1]},
                required=False,
                min_value=Decimal("0.01"),
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"payment_{number}_due_on"] = DateField(
                label=_("%(payment)s: due on") % {"payment": ORDINALS[number - 1]},
                subject=_("the date the %(payment)s is due") % {"payment": str(ORDINALS[number - 1]).lower()},
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, INSTALMENT_ROWS + 1):
            amount, due_on = cleaned.get(f"payment_{number}_amount"), cleaned.get(f"payment_{number}_due_on")
            if amount is not None and due_on is None:
                self.add_error(f"payment_{number}_due_on", _("Enter the date this payment is due."))
            if due_on is not None and amount is None:
                self.add_error(f"payment_{number}_amount", _("Enter the amount of this payment."))
        return cleaned

    def instalments(self) -> list[Instalment]:
        rows = []
        for number in range(1, INSTALMENT_ROWS + 1):
            amount = self.cleaned_data.get(f"payment_{number}_amount")
            due_on = self.cleaned_data.get(f"payment_{number}_due_on")
            if amount is not None and due_on is not None:
                rows.append(Instalment(amount, due_on))
        return rows


class DecisionForm(PlainErrorsMixin, InstalmentsMixin):
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason given to the applicant"),
        help_text=_("Always given. For an award, what persuaded you; for a decline, why, and what would help."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
    )
    amount = forms.DecimalField(
        label=_("Amount awarded (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_("For an award only."),
    )
    conditions = forms.CharField(
        label=_("Conditions of the grant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        help_text=_("For an award only; leave empty for none."),
    )
    starts_on = DateField(label=_("Grant starts"), subject=_("the date the grant starts"), required=False)
    ends_on = DateField(label=_("Grant ends"), subject=_("the date the grant ends"), required=False)

    def particulars(self) -> dict[str, Any]:
        data = self.cleaned_data
        award = data["outcome"] == DecisionOutcome.AWARD
        return {
            "outcome": data["outcome"],
            "reason": data["reason"],
            "amount": data.get("amount") if award else None,
            "conditions": (data.get("conditions") or "") if award else "",
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "instalments": (self.instalments() or None) if award else None,
        }


class ScheduleForm(PlainErrorsMixin, InstalmentsMixin):
    """A new schedule for what is unpaid: together with what is paid, the payments add up to the award."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not self.instalments():
            raise forms.ValidationError(_("Enter at least one payment."))
        return cleaned


class PaidForm(PlainErrorsMixin, forms.Form):
    paid_on = DateField(label=_("Paid on"), subject=_("the date it was paid"), initial=timezone.localdate)
