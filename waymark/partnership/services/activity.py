"""Writes to a community development worker's activity log. An entry is always the actor's own: a worker
records, changes and deletes their own entries; a line manager reads them and never changes them."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.text import refuse_nul_characters
from waymark.partnership.choices import CdwFunction
from waymark.partnership.models import Activity

ACTIVITY_FIELDS = ("date", "hours", "activity_type", "venue", "outcome", *CdwFunction.values)
# The many-to-many links an entry may carry; the form offers only rows the worker sees.
ACTIVITY_LINKS = ("communities", "organisations", "feedback_items", "issues", "plan_actions", "services", "events")
MIN_HOURS = Decimal("0.25")
MAX_HOURS = Decimal("24")
HOURS_STEP = Decimal("0.25")


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return dict(data)


def hours_problem(hours: Decimal | None) -> str | None:
    """What is wrong with a number of hours, if anything: the form and the service say it alike."""
    if hours is None:
        return _("Enter the hours the activity took, such as 1.5.")
    if not MIN_HOURS <= hours <= MAX_HOURS:
        return _("Hours must be between 0.25 and 24.")
    if hours % HOURS_STEP:
        return _("Hours must be in quarters of an hour, such as 0.75 or 1.5.")
    return None


def _validate(activity: Activity) -> None:
    refuse_nul_characters(activity)
    errors: dict[str, str] = {}
    problem = hours_problem(activity.hours)
    if problem:
        errors["hours"] = problem
    if not activity.functions:
        errors["functions"] = _("Choose at least one of the four functions the activity served.")
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["worker", *ACTIVITY_LINKS])


def _check_own(actor: Any, activity: Activity) -> None:
    if not policy.can(actor, "cdw_activity.record", activity):
        raise PermissionDenied(_("Only the worker who recorded this activity can change it."))


def _links(links: Mapping[str, Iterable[Model]]) -> dict[str, list[Model]]:
    return {name: list(values) for name, values in _only(links, ACTIVITY_LINKS).items()}


def record_activity(*, actor: Any, data: Mapping[str, Any], links: Mapping[str, Iterable[Model]]) -> Activity:
    """An entry in the actor's own log: what it was, for how long, and which functions it served."""
    if not policy.can(actor, "cdw_activity.record"):
        raise PermissionDenied(_("Only community development workers record activity."))
    activity = Activity(worker=actor, **_only(data, ACTIVITY_FIELDS))
    _validate(activity)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(activity, _links(links))
    return activity


def change_activity(
    *, actor: Any, activity: Activity, data: Mapping[str, Any], links: Mapping[str, Iterable[Model]]
) -> Activity:
    """Change one of the actor's own entries; links not named in ``links`` stay as they were."""
    _check_own(actor, activity)
    for name, value in _only(data, ACTIVITY_FIELDS).items():
        setattr(activity, name, value)
    _validate(activity)
    with transaction.atomic(), acting_as(actor):
        save_with_one_history_row(activity, _links(links))
    return activity


def delete_activity(*, actor: Any, activity: Activity) -> None:
    """Delete one of the actor's own entries (the audit history keeps a record of its deletion)."""
    _check_own(actor, activity)
    with transaction.atomic(), acting_as(actor):
        activity.delete()
