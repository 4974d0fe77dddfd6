"""Writes to minutes and actions, and the weekly digest of overdue actions.

Minutes follow the network's practice: the minute-taker drafts them, circulates them to members
for comment (an e-mail to every current member who may be e-mailed), revises them, then publishes
them. Members comment only while the minutes are circulated; published minutes are final.
Every step is audited (django-simple-history on Minutes) and each function is the one write path
for pages, tasks and the demo.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.core.text import refuse_nul_characters
from waymark.network.actions import overdue_actions
from waymark.network.mailing import absolute_url, bulletin_headers, email_context
from waymark.network.models import (
    Action,
    ActionStatus,
    Contact,
    Meeting,
    Membership,
    MembershipRole,
    Minutes,
    MinutesComment,
    MinutesStatus,
)

ACTION_FIELDS = ("description", "owner", "due_date", "status")


class MinutesError(Exception):
    """The step is not allowed in the minutes' current state; the message says why, for the user."""


def _validate(instance: Any) -> None:
    refuse_nul_characters(instance)
    instance.full_clean()


def _locked_minutes(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__network").get(pk=minutes.pk)


def save_minutes(*, actor: Any, meeting: Meeting, text: str) -> Minutes:
    """Write or revise the minutes. Allowed while draft or circulated (to answer comments), never once published."""
    with transaction.atomic(), acting_as(actor):
        minutes, created = Minutes.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"text": text, "drafted_by": actor if actor and actor.pk else None}
        )
        if created:
            _validate(minutes)
            return minutes
        if minutes.status == MinutesStatus.PUBLISHED:
            raise MinutesError(_("These minutes are published and can no longer be changed."))
        if minutes.text != text:
            minutes.text = text
            _validate(minutes)
            minutes.save()
    return minutes


def circulate_minutes(*, actor: Any, minutes: Minutes) -> int:
    """Send draft minutes round for comment. Returns how many members were e-mailed."""
    with transaction.atomic(), acting_as(actor):
        current = _locked_minutes(minutes)
        if current.status != MinutesStatus.DRAFT:
            raise MinutesError(_("Only draft minutes can be circulated."))
        if not current.text.strip():
            raise MinutesError(_("Write the minutes before circulating them."))
        current.status = MinutesStatus.CIRCULATED
        current.circulated_at = timezone.now()
        current.save()
        return _tell_members(current, actor)


def _tell_members(minutes: Minutes, actor: Any) -> int:
    """E-mail every current member who may be e-mailed that the minutes are ready for comment."""
    meeting = minutes.meeting
    contacts = (
        Contact.objects.filter(memberships__in=Membership.objects.current().filter(network_id=meeting.network_id))
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for contact in contacts:
        if not contact.may_be_emailed:
            continue
        send_email(
            to=contact.email,
            template="network_minutes_circulated",
            context={
                "contact": contact,
                "meeting": meeting,
                "minutes_url": absolute_url(minutes.get_absolute_url()),
                **email_context(contact),
            },
            dedupe_key=f"network-minutes-circulated:{minutes.pk}:{contact.uuid}",
            headers=bulletin_headers(contact),
            actor=actor,
        )
        sent += 1
    return sent


def comment_on_minutes(*, actor: Any, minutes: Minutes, text: str) -> MinutesComment:
    """A member's comment; only while the minutes are circulated."""
    with transaction.atomic(), acting_as(actor):
        current = _locked_minutes(minutes)
        if current.status != MinutesStatus.CIRCULATED:
            raise MinutesError(_("Comments can be made only while the minutes are circulated."))
        comment = MinutesComment(minutes=current, author=actor, text=text.strip())
        _validate(comment)
        comment.save()
    return comment


def publish_minutes(*, actor: Any, minutes: Minutes) -> Minutes:
    """Make circulated minutes final."""
    with transaction.atomic(), acting_as(actor):
        current = _locked_minutes(minutes)
        if current.status != MinutesStatus.CIRCULATED:
            raise MinutesError(_("Circulate the minutes for comment before publishing them."))
        current.status = MinutesStatus.PUBLISHED
        current.published_at = timezone.now()
        current.save()
    return current


# --- Actions ----------------------------------------------------------------------------------------


def _set_closed_on(action: Action) -> None:
    if action.status == ActionStatus.OPEN:
        action.closed_on = None
    elif action.closed_on is None:
        action.closed_on = timezone.localdate()


def create_action(*, actor: Any, meeting: Meeting, data: Mapping[str, Any]) -> Action:
    """An action agreed at ``meeting``: what, who (a contact) and by when."""
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    action = Action(meeting=meeting, **data)
    _set_closed_on(action)
    with transaction.atomic(), acting_as(actor):
        _validate(action)
        action.save()
    return action


def update_action(*, actor: Any, action: Action, data: Mapping[str, Any]) -> Action:
    """Change an action, such as marking it done; the date it was closed is kept."""
    unknown = set(data) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    with transaction.atomic(), acting_as(actor):
        current = Action.objects.select_for_update().get(pk=action.pk)
        for name, value in data.items():
            setattr(current, name, value)
        _set_closed_on(current)
        _validate(current)
        current.save()
    return current


def send_overdue_digest(today: datetime.date | None = None) -> int:
    """E-mail each owner their overdue actions, and each network's chair all of the network's.

    One e-mail per person per ISO week: the dedupe key names the week, so the job can be queued
    twice (two schedulers, a retry) and still sends once. People without an address or who have
    unsubscribed from everything are left out. Returns how many e-mails were queued or already sent.
    """
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    by_owner: dict[Contact, list[Action]] = defaultdict(list)
    by_network: dict[int, list[Action]] = defaultdict(list)
    for action in overdue_actions(today):
        by_owner[action.owner].append(action)
        by_network[action.meeting.network_id].append(action)

    recipients: dict[Contact, dict[str, list[Action]]] = defaultdict(lambda: {"own": [], "chaired": []})
    for owner, actions in by_owner.items():
        recipients[owner]["own"] = actions
    chairs = (
        Membership.objects.current(today)
        .filter(network_id__in=by_network, role=MembershipRole.CHAIR)
        .select_related("contact")
    )
    for membership in chairs:
        recipients[membership.contact]["chaired"].extend(by_network[membership.network_id])

    sent = 0
    for contact, lists in sorted(recipients.items(), key=lambda item: item[0].pk):
        if not contact.email or contact.unsubscribed:
            continue
        send_email(
            to=contact.email,
            template="network_overdue_actions",
            context={
                "contact": contact,
                "own_actions": lists["own"],
                "chaired_actions": lists["chaired"],
                "today": today,
                **email_context(contact),
            },
            dedupe_key=f"network-overdue-actions:{year}-W{week:02d}:{contact.uuid}",
            headers=bulletin_headers(contact),
        )
        sent += 1
    return sent
