"""Award or decline an application, and tell the applicant why.

An award counts against the programme's budget the moment it is made, so two grants officers deciding at the
same moment must not both spend the last of it. ``decide_application`` takes the programme's row lock
(``select_for_update`` on PostgreSQL; on SQLite every transaction is IMMEDIATE, so writers already take turns)
before it reads what is committed, and adds the award while still holding it: the second decision waits, then
reads a total that includes the first, and is refused if it no longer fits, naming what remains.

Applicants hear in their own language: an award by e-mail with a signed link to the award letter (a PDF), a
decline by e-mail with the reason as feedback. Both are queued when the transaction commits.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.core.signed_links import make_token
from waymark.grants.budgets import committed_total
from waymark.grants.choices import ApplicationStatus, DecisionOutcome
from waymark.grants.models import Application, GrantDecision, Programme
from waymark.grants.services.funding import record_award_funding
from waymark.grants.services.payments import Instalment, replace_schedule
from waymark.grants.services.recipients import recipient_identifier_for
from waymark.grants.services.reports import create_reports_for
from waymark.grants.workflow import can_move

REASON_LIMIT = GrantDecision._meta.get_field("reason").max_length or 5_000
CONDITIONS_LIMIT = GrantDecision._meta.get_field("conditions").max_length or 5_000
LETTER_LINK_PURPOSE = "grant-letter"
STATUS_FOR = {DecisionOutcome.AWARD: ApplicationStatus.AWARDED, DecisionOutcome.DECLINE: ApplicationStatus.DECLINED}


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _lock_programme(programme_id: int) -> Programme:
    """The programme's row, locked until the transaction ends: deciders on one programme take turns."""
    return Programme.objects.select_for_update().get(pk=programme_id)


def grant_identifier_for(application: Application) -> str:
    """The award's 360Giving identifier: the publisher's prefix and the application's reference, never reused."""
    return f"{settings.GRANTS_360G_PREFIX}-{application.reference}"


def _check_particulars(
    programme: Programme,
    *,
    outcome: str,
    reason: str,
    amount: Decimal | None,
    conditions: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    award_date: datetime.date,
) -> None:
    """What can be refused before taking the lock: everything but the budget."""
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose award or decline.")
    if not reason.strip():
        errors["reason"] = _("Give the applicant a reason: what persuaded you, or why not and what would help.")
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = _("The reason must be %(limit)d characters or fewer.") % {"limit": REASON_LIMIT}
    if len(conditions) > CONDITIONS_LIMIT:
        errors["conditions"] = _("The conditions must be %(limit)d characters or fewer.") % {"limit": CONDITIONS_LIMIT}
    if award_date > timezone.localdate():
        errors["award_date"] = _("The date of the decision must be today or earlier.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The grant must end on or after the day it starts (%(start)s).") % {
            "start": starts_on.isoformat()
        }
    if outcome == DecisionOutcome.AWARD:
        if amount is None:
            errors["amount"] = _("Enter the amount awarded.")
        elif amount < programme.minimum_award or amount > programme.maximum_award:
            errors["amount"] = _("Awards from this programme are from %(low)s to %(high)s.") % {
                "low": _money(programme.minimum_award),
                "high": _money(programme.maximum_award),
            }
    elif outcome == DecisionOutcome.DECLINE:
        if amount is not None:
            errors["amount"] = _("A decline awards nothing: leave the amount empty.")
        if conditions.strip():
            errors["conditions"] = _("A decline has no conditions: leave them empty.")
    if errors:
        raise ValidationError(errors)


def decide_application(
    application: Application,
    *,
    outcome: str,
    reason: str,
    actor: Any,
    amount: Decimal | None = None,
    conditions: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    award_date: datetime.date | None = None,
    instalments: Iterable[Instalment] | None = None,
) -> GrantDecision:
    """Award (with any conditions and a schedule of payments) or decline an application in assessment.

    An award is refused if it is above what remains of the programme's budget, read under the programme's
    lock. Without ``instalments`` an award is paid in one payment by the programme's published payment date.
    """
    if actor is not None and not policy.can(actor, "grant.decide"):
        raise PermissionDenied(_("Decisions are made by grants officers and administrators."))
    award_date = award_date or timezone.localdate()
    starts_on = starts_on or application.starts_on
    ends_on = ends_on or application.ends_on
    _check_particulars(
        application.programme,
        outcome=outcome,
        reason=reason,
        amount=amount,
        conditions=conditions,
        starts_on=starts_on,
        ends_on=ends_on,
        award_date=award_date,
    )
    with transaction.atomic(), acting_as(actor):
        programme = _lock_programme(application.programme_id)
        current = Application.objects.select_for_update().get(pk=application.pk)
        if GrantDecision.objects.filter(application_id=current.pk).exists():
            raise ValidationError({"outcome": _("This application has been decided already.")})
        if not can_move(current.status, STATUS_FOR[DecisionOutcome(outcome)]):
            raise ValidationError(
                {
                    "outcome": _("Only an application in assessment can be decided; this one is %(status)s.")
                    % {"status": current.get_status_display().lower()}
                }
            )
        if outcome == DecisionOutcome.AWARD:
            assert amount is not None
            remaining = programme.budget - committed_total(programme.pk)
            if amount > remaining:
                raise ValidationError(
                    {
                        "amount": _(
                            "Only %(remaining)s remains of the programme's budget of %(budget)s: "
                            "award %(remaining)s or less."
                        )
                        % {"remaining": _money(max(remaining, Decimal(0))), "budget": _money(programme.budget)}
                    }
                )
        decision = GrantDecision.objects.create(
            application=current,
            outcome=outcome,
            amount_awarded=amount if outcome == DecisionOutcome.AWARD else None,
            conditions=conditions.strip(),
            reason=reason.strip(),
            grant_identifier=grant_identifier_for(current) if outcome == DecisionOutcome.AWARD else "",
            award_date=award_date,
            starts_on=starts_on,
            ends_on=ends_on,
            decided_by=actor,
            notified_at=timezone.now(),
        )
        current.status = STATUS_FOR[DecisionOutcome(outcome)]
        current.save(update_fields=["status", "last_saved_at"])
        application.status = current.status
        if outcome == DecisionOutcome.AWARD:
            assert amount is not None
            rows = list(instalments) if instalments else [Instalment(amount, max(award_date, programme.payment_by))]
            replace_schedule(decision, rows)
            _follow_award(decision, current, actor=actor)
        _tell_applicant(decision, current)
    return decision


def _follow_award(decision: GrantDecision, application: Application, *, actor: Any) -> None:
    """What an award sets going in the same transaction: the recipient's published identifier (minted now for an
    unregistered group, so the open data never holds the grant back), its reports with their fixed due dates,
    and its funding source on the map, which the fragility radar reads."""
    organisation = application.organisation
    if organisation is not None:
        recipient_identifier_for(organisation, actor=actor, mutual_number=application.mutual_number)
    create_reports_for(decision, actor=actor)
    record_award_funding(decision, actor=actor)


def _tell_applicant(decision: GrantDecision, application: Application) -> None:
    """The award e-mail with its letter's link, or the decline with its reason, in the application's language."""
    context: dict[str, Any] = {
        "decision": decision,
        "application": application,
        "programme": application.programme,
        "payments": list(decision.payments.order_by("due_on", "pk")),
    }
    if decision.outcome == DecisionOutcome.AWARD:
        template = "grants_award"
        token = make_token(purpose=LETTER_LINK_PURPOSE, subject=f"grant-decision:{decision.uuid}")
        context["letter_url"] = settings.SITE_URL + reverse("grants:award_letter_public", kwargs={"token": token})
    else:
        template = "grants_decline"
    with translation.override(application.language):
        send_email(
            to=application.contact_email,
            template=template,
            context=context,
            dedupe_key=f"grants-decision:{decision.uuid}",
        )
