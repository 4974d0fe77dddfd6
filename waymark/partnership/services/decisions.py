"""Writes to a partnership's decision log: what was decided, when and where, why, by whom, the evidence it
rests on and the plan actions that follow. Staff and administrators record decisions (``partnership.manage``).

Evidence is chosen among the rows the recorder may see; changing a decision never drops evidence someone
else linked that the person changing it cannot see."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.network.models import Meeting
from waymark.partnership.models import Decision, Partnership

DECISION_FIELDS = ("decision", "decided_on", "meeting", "rationale", "decided_by")
# The decision's links: the evidence it rests on and the plan actions that follow from it.
LINK_FIELDS = (
    "evidence_issues",
    "evidence_snapshots",
    "evidence_consultations",
    "evidence_actions",
    "following_actions",
)


def partnership_meetings(partnership: Partnership) -> QuerySet[Meeting]:
    """Meetings where the partnership decides: those of its meeting series, or of the network it meets as."""
    condition = Q(series__in=partnership.meeting_series.all())
    if partnership.network_id:
        condition |= Q(network_id=partnership.network_id)
    return Meeting.objects.filter(condition)


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def _check_may_record(actor: Any) -> None:
    if actor is not None and not policy.can(actor, "partnership.manage"):
        raise PermissionDenied(_("Decisions are recorded by staff and administrators."))


def _validate(decision: Decision) -> None:
    refuse_nul_characters(decision)
    errors: dict[str, str] = {}
    if not decision.decision.strip():
        errors["decision"] = _("Say what was decided.")
    if not decision.decided_by.strip():
        errors["decided_by"] = _("Say who decided: for example the partnership board, by consensus.")
    if decision.decided_on and decision.decided_on > timezone.localdate():
        errors["decided_on"] = _("The date of a decision must be today or earlier.")
    limit = Decision._meta.get_field("rationale").max_length or 10_000
    if len(decision.rationale) > limit:  # a TextField's max_length is not checked by full_clean
        errors["rationale"] = _("The rationale must be %(limit)d characters or fewer.") % {"limit": limit}
    if decision.meeting_id and not partnership_meetings(decision.partnership).filter(pk=decision.meeting_id).exists():
        errors["meeting"] = _("Choose a meeting of this partnership, or none.")
    if errors:
        raise ValidationError(errors)
    decision.decision, decision.decided_by = decision.decision.strip(), decision.decided_by.strip()
    decision.full_clean(exclude=[*LINK_FIELDS, "partnership", "recorded_by"])


def _visible(name: str, actor: Any) -> QuerySet:
    """The rows of the link ``name``'s model that the actor may see."""
    model: Any = Decision._meta.get_field(name).related_model
    return model.objects.visible_to(actor)


def _checked_links(actor: Any, links: Mapping[str, Iterable[Model]]) -> dict[str, list[Model]]:
    """The chosen rows of each link, refused when the actor may not see one (the pages offer only those)."""
    checked = {name: list(rows) for name, rows in _only(links, LINK_FIELDS).items()}
    if actor is None:
        return checked
    errors = {}
    for name, rows in checked.items():
        seen = set(_visible(name, actor).filter(pk__in=[row.pk for row in rows]).values_list("pk", flat=True))
        if any(row.pk not in seen for row in rows):
            errors[name] = _("Choose only from the records offered.")
    if errors:
        raise ValidationError(errors)
    return checked


def _with_unseen_kept(actor: Any, decision: Decision, links: dict[str, list[Model]]) -> dict[str, list[Model]]:
    """Each chosen link, with the rows already linked that the actor cannot see (and so could not choose)."""
    if actor is None:
        return links
    kept = {}
    for name, rows in links.items():
        unseen = getattr(decision, name).exclude(pk__in=_visible(name, actor).values("pk"))
        kept[name] = [*rows, *unseen]
    return kept


def record_decision(
    *, actor: Any, partnership: Partnership, data: Mapping[str, Any], links: Mapping[str, Iterable[Model]] | None = None
) -> Decision:
    """A decision in ``partnership``'s log, with the evidence it rests on and the actions that follow."""
    _check_may_record(actor)
    decision = Decision(partnership=partnership, recorded_by=actor, **_only(data, DECISION_FIELDS))
    _validate(decision)
    checked = _checked_links(actor, links or {})
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(decision, checked)
    return decision


def change_decision(
    *, actor: Any, decision: Decision, data: Mapping[str, Any], links: Mapping[str, Iterable[Model]] | None = None
) -> Decision:
    """Change a decision's particulars and (for the links named in ``links``) what it rests on and leads to."""
    _check_may_record(actor)
    for name, value in _only(data, DECISION_FIELDS).items():
        setattr(decision, name, value)
    _validate(decision)
    checked = _with_unseen_kept(actor, decision, _checked_links(actor, links or {}))
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(decision, checked)
    return decision
