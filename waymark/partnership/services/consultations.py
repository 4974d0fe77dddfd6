"""Writes to the consultation calendar. A clash is never a reason to refuse: the form shows it, and the
leads decide whether to combine."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.partnership.choices import CONSULTATION_TRANSITIONS, ConsultationStatus
from waymark.partnership.models import Consultation

CONSULTATION_FIELDS = (
    "title",
    "purpose",
    "starts_on",
    "ends_on",
    "method",
    "lead_organisation",
    "partnership",
    "contact_name",
    "contact_email",
    "contact_phone",
    "published",
    "public_link",
)


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _check_may_record(actor: Any, consultation: Consultation) -> None:
    if actor is not None and not policy.can(actor, "consultation.record", consultation):
        raise PermissionDenied(_("Only the lead body's staff can change this consultation."))


def _validate(consultation: Consultation, communities: list[Model] | None, themes: list[Model] | None) -> None:
    refuse_nul_characters(consultation)
    errors: dict[str, str] = {}
    if consultation.starts_on and consultation.ends_on and consultation.ends_on < consultation.starts_on:
        errors["ends_on"] = _("A consultation must end on or after the day it starts.")
    if communities is not None and not communities:
        errors["communities"] = _("Choose at least one community this consultation will ask.")
    if themes is not None and not themes:
        errors["themes"] = _("Choose at least one theme, so that others asking about the same can find it.")
    if errors:
        raise ValidationError(errors)
    consultation.full_clean(exclude=["themes", "communities", "areas"])


def create_consultation(
    *,
    actor: Any,
    data: Mapping[str, Any],
    communities: Iterable[Model],
    themes: Iterable[Model],
    areas: Iterable[Model] = (),
) -> Consultation:
    """A planned consultation, led by the body in ``data``; a responder only for their own organisation."""
    consultation = Consultation(**_only(data, CONSULTATION_FIELDS), created_by=actor)
    communities, themes = list(communities), list(themes)
    _check_may_record(actor, consultation)
    _validate(consultation, communities, themes)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(consultation, {"communities": communities, "themes": themes, "areas": areas})
    return consultation


def change_consultation(
    *,
    actor: Any,
    consultation: Consultation,
    data: Mapping[str, Any],
    communities: Iterable[Model] | None = None,
    themes: Iterable[Model] | None = None,
    areas: Iterable[Model] | None = None,
) -> Consultation:
    """Change a consultation's particulars; its status moves only through ``move_consultation``."""
    _check_may_record(actor, consultation)  # as it was: a responder cannot take over another body's
    for name, value in _only(data, CONSULTATION_FIELDS).items():
        setattr(consultation, name, value)
    _check_may_record(actor, consultation)  # and as it will be: nor hand theirs to another body
    communities = list(communities) if communities is not None else None
    themes = list(themes) if themes is not None else None
    _validate(consultation, communities, themes)
    m2m = {
        name: values
        for name, values in (("communities", communities), ("themes", themes), ("areas", areas))
        if values is not None
    }
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(consultation, m2m)
    return consultation


def move_consultation(*, actor: Any, consultation: Consultation, to_status: str) -> Consultation:
    """Move along ``CONSULTATION_TRANSITIONS``; a consultation is reported only with what was heard."""
    _check_may_record(actor, consultation)
    with transaction.atomic(), acting_as(actor):
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if to_status not in CONSULTATION_TRANSITIONS.get(locked.status, ()):
            raise ValidationError(
                {
                    "status": _("A consultation that is %(current)s cannot be moved to %(wanted)s.")
                    % {
                        "current": locked.get_status_display().lower(),
                        "wanted": str(ConsultationStatus(to_status).label).lower()
                        if to_status in ConsultationStatus.values
                        else to_status,
                    }
                }
            )
        if to_status == ConsultationStatus.REPORTED and not locked.report_summary.strip():
            raise ValidationError(
                {"status": _("Write what you heard and what will be done before marking it reported.")}
            )
        locked.status = to_status
        if to_status == ConsultationStatus.REPORTED:
            locked.reported_on = timezone.localdate()
        locked.save()
    consultation.status, consultation.reported_on = locked.status, locked.reported_on
    return consultation
