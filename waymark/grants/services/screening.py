"""Screening: a grants officer reads a submitted application with its automatic eligibility flags and sends it
to assessment or screens it out, always with a reason (Open and Trusting: "be open"). The flags only advise: a
person decides, and the reason is kept with who screened and when; an applicant screened out reads "Not
eligible".
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as
from waymark.core.text import contains_nul
from waymark.grants.choices import ApplicationStatus, ScreeningOutcome
from waymark.grants.models import Application
from waymark.grants.workflow import check_move

REASON_LIMIT = 2_000
TO_STATUS = {
    ScreeningOutcome.ELIGIBLE: ApplicationStatus.IN_ASSESSMENT,
    ScreeningOutcome.INELIGIBLE: ApplicationStatus.SCREENED_OUT,
}


def screen_application(application: Application, *, outcome: str, reason: str, actor: Any) -> Application:
    """Send ``application`` to assessment (eligible) or screen it out (ineligible), with the reason."""
    if actor is not None and not policy.can(actor, "grant_application.manage"):
        raise PermissionDenied(_("Applications are screened by grants officers."))
    reason = (reason or "").strip()
    errors = {}
    if outcome not in TO_STATUS:
        errors["outcome"] = _("Choose whether the application goes to assessment or is screened out.")
    if not reason:
        errors["reason"] = _("Give the reason for the screening decision.")
    elif len(reason) > REASON_LIMIT or contains_nul(reason):
        errors["reason"] = _("The reason must be %(limit)d characters or fewer, without hidden characters.") % {
            "limit": REASON_LIMIT
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        try:
            check_move(locked.status, TO_STATUS[ScreeningOutcome(outcome)])
        except ValidationError as refusal:
            raise ValidationError({"outcome": refusal.messages}) from refusal
        locked.status = TO_STATUS[ScreeningOutcome(outcome)]
        locked.screening_outcome = outcome
        locked.screening_reason = reason
        locked.screened_by = actor
        locked.screened_at = timezone.now()
        locked.save(update_fields=["status", "screening_outcome", "screening_reason", "screened_by", "screened_at"])
    return locked
