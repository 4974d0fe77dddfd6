"""Writes of the trail from what communities said to what changed: linking a voice issue to the plan actions
that answer it, raising a network meeting action into a plan action, and recording where an objective came
from (the issues, the consultations and a note). Pages check ``plan.manage`` (staff and administrators)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.network.models import Action as MeetingAction
from waymark.network.models import Survey
from waymark.plans.choices import PlanStatus
from waymark.plans.models import Action, ActionIssueLink, Objective
from waymark.plans.services.actions import ACTION_FIELDS, _check_code_unique, _check_due_date
from waymark.plans.services.plans import _only, _validate
from waymark.voice.models import Issue

TITLE_LENGTH = Action._meta.get_field("title").max_length or 300


def link_issue(*, actor: Any, action: Action, issue: Issue, note: str = "") -> ActionIssueLink:
    """Record that the action answers the issue; the note says how, in words the public will read."""
    if ActionIssueLink.objects.filter(action=action, issue=issue).exists():
        raise ValidationError({"issue": _("This action is already linked to that issue.")})
    link = ActionIssueLink(action=action, issue=issue, note=note.strip(), linked_by=actor)
    _validate(link)
    try:
        with transaction.atomic(), acting_as(actor):
            link.save()
    except IntegrityError:  # linked by someone else a moment ago
        raise ValidationError({"issue": _("This action is already linked to that issue.")}) from None
    return link


def unlink_issue(*, actor: Any, action: Action, issue: Issue) -> None:
    """The action no longer answers the issue; the link's history keeps that it once did, and who undid it."""
    with transaction.atomic(), acting_as(actor):
        link = ActionIssueLink.objects.select_for_update().filter(action=action, issue=issue).first()
        if link is None:
            raise ValidationError({"issue": _("This action is not linked to that issue.")})
        link.delete()


def meeting_action_defaults(meeting_action: MeetingAction) -> dict[str, Any]:
    """What a plan action raised from a meeting action starts with: its words (the first line as the title)
    and its due date."""
    description = meeting_action.description.strip()
    first_line = description.splitlines()[0].strip() if description else ""
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1].rstrip() + "…"
    return {"title": title, "description": description, "due_date": meeting_action.due_date}


def raise_from_meeting_action(
    *, actor: Any, meeting_action: MeetingAction, objective: Objective, data: Mapping[str, Any]
) -> Action:
    """A plan action under ``objective`` made from what a meeting agreed; ``data`` (code, lead organisation,
    and anything changed from ``meeting_action_defaults``) wins over the meeting action's own words. A meeting
    action is raised once only."""
    if objective.plan.status == PlanStatus.CLOSED:
        raise ValidationError({"objective": _("This plan is closed: choose an objective of a plan still running.")})
    _refuse_raised_twice(meeting_action)
    values = {**meeting_action_defaults(meeting_action), **_only(data, ACTION_FIELDS)}
    action = Action(objective=objective, raised_from=meeting_action, **values)
    _validate(action)
    _check_due_date(action)
    _check_code_unique(action)
    try:
        with transaction.atomic(), acting_as(actor):
            # One at a time per meeting action, so two people raising it at once make one plan action.
            MeetingAction.objects.select_for_update().filter(pk=meeting_action.pk).first()
            _refuse_raised_twice(meeting_action)
            action.save()
    except IntegrityError:
        _refuse_raised_twice(meeting_action)
        raise
    return action


def _refuse_raised_twice(meeting_action: MeetingAction) -> None:
    existing = Action.objects.filter(raised_from=meeting_action).first()
    if existing is not None:
        raise ValidationError(
            {
                "meeting_action": _("This meeting action was already raised into plan action %(action)s.")
                % {"action": existing}
            }
        )


def set_objective_sources(
    *, actor: Any, objective: Objective, issues: Iterable[Issue], surveys: Iterable[Survey], note: str
) -> Objective:
    """Replace where the objective came from: the issues communities raised, the consultations, and a note."""
    objective.source_note = note.strip()
    limit = Objective._meta.get_field("source_note").max_length or 2_000
    if len(objective.source_note) > limit:  # a TextField's max_length is not checked by full_clean
        raise ValidationError(
            {"source_note": _("Where it came from must be %(limit)d characters or fewer.") % {"limit": limit}}
        )
    refuse_nul_characters(objective)
    objective.full_clean()
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(objective, {"source_issues": list(issues), "source_surveys": list(surveys)})
    return objective
