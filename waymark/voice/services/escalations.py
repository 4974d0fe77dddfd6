"""Writes for issues and escalations: group feedback into an issue, send it to the organisation that must
answer, let that organisation answer (signed in, or through a signed link), record an answer that came by
letter or e-mail, publish it, and close it; and the closure days that due dates skip.

Pages, the API, tasks and the demo all call these functions. Each runs in a transaction inside
``acting_as(actor)`` so the audit history names who did it; e-mails are queued with ``send_email`` under a
dedupe key, so a function called twice never mails twice. Who may call them is decided at the edge. Reading
escalations (who answers, which link opens which escalation, which reminders are due) is ``voice.answering``;
the reminders themselves are sent by ``voice.services.reminders``.
"""

import datetime
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.email import send_email
from waymark.core.models import Organisation
from waymark.core.text import refuse_nul_characters
from waymark.voice import answering, workdays
from waymark.voice.choices_items import ItemStatus
from waymark.voice.models import (
    AnswerLink,
    ClosureDay,
    Escalation,
    EscalationStatus,
    FeedbackItem,
    Issue,
    IssueStatus,
    ReceivedBy,
    Response,
)
from waymark.voice.models.issues import hash_answer_secret

ISSUE_FIELDS = ("title", "description", "owner", "themes", "communities")
ISSUE_M2M_FIELDS = frozenset({"themes", "communities"})
RESPONSE_FIELDS = ("text", "outcome", "reasons", "what_changed", "responder_name")


class EscalationError(Exception):
    """A broken rule of the escalation workflow, with a message a person can act on."""


def _validate(instance: Any) -> None:
    refuse_nul_characters(instance)
    instance.full_clean()


def _absolute(url: str) -> str:
    return settings.SITE_URL + url


# --- Issues ------------------------------------------------------------------------------------------


def create_issue(*, actor: Any, data: Mapping[str, Any], items: Iterable[FeedbackItem] = ()) -> Issue:
    """Add an issue from ``data`` (title, description, owner, themes, communities), grouping ``items`` into it.

    Without themes or communities of its own, the issue takes those of its items.
    """
    unknown = set(data) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown issue fields: {sorted(unknown)}")
    items = list(items)
    scalars = {name: value for name, value in data.items() if name not in ISSUE_M2M_FIELDS}
    m2m = {name: list(value) for name, value in data.items() if name in ISSUE_M2M_FIELDS}
    with transaction.atomic(), acting_as(actor):
        issue = Issue(**scalars)
        _validate(issue)
        if items and not m2m.get("themes"):
            m2m["themes"] = list({theme.pk: theme for item in items for theme in item.themes.all()}.values())
        if items and not m2m.get("communities"):
            m2m["communities"] = list(
                {community.pk: community for item in items for community in item.communities.all()}.values()
            )
        m2m["items"] = items
        save_with_one_history_row(issue, m2m)
        _mark_items(items, ItemStatus.GROUPED)
    return issue


def update_issue(*, actor: Any, issue: Issue, data: Mapping[str, Any]) -> Issue:
    """Change the fields named in ``data``; the rest stay as they are."""
    unknown = set(data) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown issue fields: {sorted(unknown)}")
    with transaction.atomic(), acting_as(actor):
        current = Issue.objects.select_for_update().get(pk=issue.pk)
        for name, value in data.items():
            if name not in ISSUE_M2M_FIELDS:
                setattr(current, name, value)
        _validate(current)
        m2m = {name: list(value) for name, value in data.items() if name in ISSUE_M2M_FIELDS}
        save_with_one_history_row(current, m2m)
    return current


def add_items_to_issue(*, actor: Any, issue: Issue, items: Iterable[FeedbackItem]) -> Issue:
    """Group more feedback items into an issue (items already in it are left alone)."""
    items = list(items)
    with transaction.atomic(), acting_as(actor):
        current = Issue.objects.select_for_update().get(pk=issue.pk)
        if current.status == IssueStatus.CLOSED:
            raise EscalationError(_("This issue is closed: start a new issue for these items."))
        wanted = {item.pk: item for item in [*current.items.all(), *items]}
        save_with_one_history_row(current, {"items": list(wanted.values())})
        _mark_items(items, ItemStatus.GROUPED)
    return current


def _mark_items(items: Iterable[FeedbackItem], status: str) -> None:
    """Move items on to ``status`` with one history row each (new and triaged items only move forward)."""
    for item in items:
        if item.status != status and item.status != ItemStatus.CLOSED:
            item.status = status
            item.save(update_fields=["status", "updated_at"])


# --- Escalating --------------------------------------------------------------------------------------


def escalate_issue(
    *,
    actor: Any,
    issue: Issue,
    responder: Organisation,
    question: str,
    contact_email: str = "",
    sent_on: datetime.date | None = None,
    working_days: int | None = None,
) -> Escalation:
    """Send the issue to ``responder`` with an answer due ``working_days`` working days after ``sent_on``.

    Responder accounts are told by e-mail. An organisation without an active responder account gets a signed
    answer link at ``contact_email`` (its nominated contact, else the organisation's own e-mail address).
    """
    sent_on = sent_on or timezone.localdate()
    with transaction.atomic(), acting_as(actor):
        current = Issue.objects.select_for_update().get(pk=issue.pk)
        if current.status == IssueStatus.CLOSED:
            raise EscalationError(_("This issue is closed and cannot be escalated."))
        if current.escalations.filter(responder=responder).exclude(status=EscalationStatus.CLOSED).exists():
            raise EscalationError(
                _("%(organisation)s already has this issue to answer.") % {"organisation": responder.name}
            )
        escalation = Escalation(
            issue=current,
            responder=responder,
            question=question,
            contact_email=contact_email.strip() or responder.email,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
            due_on=workdays.due_date(sent_on, working_days),
        )
        _validate(escalation)
        escalation.save()
        if current.status == IssueStatus.OPEN or current.status == IssueStatus.ANSWERED:
            current.status = IssueStatus.ESCALATED
            current.save(update_fields=["status", "updated_at"])
        responders = answering.active_responders(responder)
        if responders:
            send_email(
                to=[user.email for user in responders],
                template="voice_escalation",
                context=escalation_email_context(escalation, _absolute(answering.escalation_answer_url(escalation))),
                dedupe_key=f"voice-escalation:{escalation.uuid}",
                actor=actor,
            )
        elif escalation.contact_email:
            issue_answer_link(actor=actor, escalation=escalation)
    return escalation


def escalation_email_context(escalation: Escalation, answer_url: str) -> dict[str, Any]:
    """What the e-mails about an escalation say: who is asked what, by when, and where to answer."""
    return {
        "organisation": escalation.responder.name,
        "issue_title": escalation.issue.title,
        "question": escalation.question,
        "due_on": escalation.due_on,
        "answer_url": answer_url,
    }


# --- Signed answer links ----------------------------------------------------------------------------


def issue_answer_link(*, actor: Any, escalation: Escalation, send_to: str = "") -> tuple[AnswerLink, str]:
    """Make a signed link that answers this one escalation, e-mail it to the nominated contact and return the
    link and its address. Earlier links for the escalation are revoked: only the newest one works."""
    send_to = (send_to or escalation.contact_email).strip()
    if not send_to:
        raise EscalationError(_("Add the nominated contact's e-mail address before sending an answer link."))
    if escalation.status != EscalationStatus.AWAITING:
        raise EscalationError(_("This escalation has been answered: a new answer link cannot be sent."))
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(), acting_as(actor):
        for old in escalation.answer_links.usable():
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
        link = AnswerLink(
            escalation=escalation,
            token_hash=hash_answer_secret(secret),
            sent_to=send_to,
            expires_at=now + timedelta(days=answering.answer_link_days()),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _validate(link)
        link.save()
        token = signing.dumps({"e": str(escalation.uuid), "k": secret}, salt=answering.ANSWER_LINK_SALT, compress=True)
        url = reverse("voice:answer_link", args=[escalation.uuid, token])
        context = escalation_email_context(escalation, _absolute(url))
        context["expires_at"] = link.expires_at
        send_email(
            to=send_to,
            template="voice_answer_link",
            context=context,
            dedupe_key=f"voice-answer-link:{link.uuid}",
            actor=actor,
        )
    return link, url


def revoke_answer_link(*, actor: Any, link: AnswerLink) -> AnswerLink:
    """Stop the link working at once (a wrong address, a contact who left…)."""
    with transaction.atomic(), acting_as(actor):
        current = AnswerLink.objects.select_for_update().get(pk=link.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.save(update_fields=["revoked_at"])
    return current


# --- Answers and outcomes -----------------------------------------------------------------------------


def record_response(
    *,
    actor: Any,
    escalation: Escalation,
    data: Mapping[str, Any],
    received_by: str,
    document: UploadedFile | None = None,
    link: AnswerLink | None = None,
) -> Response:
    """Record the organisation's answer and its outcome; the escalation is then answered.

    ``received_by`` says how it came: typed by a signed-in responder, through a signed link (``link``), or by
    letter or e-mail that staff record on the responder's behalf, with the document attached.
    """
    unknown = set(data) - set(RESPONSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown response fields: {sorted(unknown)}")
    if received_by == ReceivedBy.LINK and link is None:
        raise TypeError("An answer through a signed link needs the link.")
    with transaction.atomic(), acting_as(actor):
        current = Escalation.objects.select_for_update().select_related("issue", "responder").get(pk=escalation.pk)
        if current.status != EscalationStatus.AWAITING or Response.objects.filter(escalation=current).exists():
            raise EscalationError(_("This escalation has already been answered."))
        if link is not None:
            fresh = AnswerLink.objects.select_for_update().get(pk=link.pk)
            if not fresh.is_usable or fresh.escalation_id != current.pk:
                raise EscalationError(_("This answer link no longer works. Ask us for a new one."))
        response = Response(
            escalation=current,
            received_by=received_by,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **data,
        )
        if document is not None:
            response.document = document
        _validate(response)
        response.save()
        current.status = EscalationStatus.ANSWERED
        current.save(update_fields=["status"])
        if link is not None:  # locked above with the escalation, so no second answer can use it too
            fresh.used_at = timezone.now()
            fresh.save(update_fields=["used_at"])
        # Answered, however it came: no link for this escalation may be used again.
        for open_link in current.answer_links.filter(revoked_at__isnull=True):
            open_link.revoked_at = timezone.now()
            open_link.save(update_fields=["revoked_at"])
        _follow_escalations(current.issue)
        owner = current.issue.owner
        if owner is not None and owner.email:
            send_email(
                to=owner.email,
                template="voice_response_received",
                context={
                    "organisation": current.responder.name,
                    "issue_title": current.issue.title,
                    "outcome": response.get_outcome_display(),
                    "on_behalf": response.on_behalf,
                    "escalation_url": _absolute(current.get_absolute_url()),
                },
                dedupe_key=f"voice-response-received:{response.uuid}",
                actor=actor,
            )
    return response


def set_response_published(*, actor: Any, response: Response, published: bool) -> Response:
    """Show the answer on the public "you said, we did" pages, or take it off them."""
    with transaction.atomic(), acting_as(actor):
        current = Response.objects.select_for_update().get(pk=response.pk)
        if current.published != published:
            current.published = published
            current.published_at = timezone.now() if published else None
            current.save(update_fields=["published", "published_at"])
    return current


def close_escalation(*, actor: Any, escalation: Escalation, note: str) -> Escalation:
    """Record what finally happened and close the escalation; an issue whose escalations are all closed closes,
    and so do its feedback items."""
    with transaction.atomic(), acting_as(actor):
        current = Escalation.objects.select_for_update().select_related("issue").get(pk=escalation.pk)
        if current.status == EscalationStatus.CLOSED:
            raise EscalationError(_("This escalation is already closed."))
        if current.status != EscalationStatus.ANSWERED:
            raise EscalationError(_("Record the answer before closing the escalation."))
        current.closure_note = note
        current.status = EscalationStatus.CLOSED
        current.closed_at = timezone.now()
        _validate(current)
        current.save()
        _follow_escalations(current.issue)
    return current


def _follow_escalations(issue: Issue) -> None:
    """Keep the issue's status in step with its escalations."""
    statuses = set(issue.escalations.values_list("status", flat=True))
    if not statuses:
        return
    if statuses == {EscalationStatus.CLOSED}:
        wanted = IssueStatus.CLOSED
    elif EscalationStatus.AWAITING in statuses:
        wanted = IssueStatus.ESCALATED
    else:
        wanted = IssueStatus.ANSWERED
    if issue.status != wanted:
        issue.status = wanted
        issue.closed_at = timezone.now() if wanted == IssueStatus.CLOSED else None
        issue.save(update_fields=["status", "closed_at", "updated_at"])
        if wanted == IssueStatus.CLOSED:
            _mark_items(issue.items.all(), ItemStatus.CLOSED)


# --- Closure days ------------------------------------------------------------------------------------


def add_closure_day(*, actor: Any, day: datetime.date, reason: str) -> ClosureDay:
    """Add a day the office is closed; due dates worked out afterwards skip it."""
    with transaction.atomic(), acting_as(actor):
        closure = ClosureDay(date=day, reason=reason)
        _validate(closure)
        closure.save()
    return closure


def remove_closure_day(*, actor: Any, closure: ClosureDay) -> None:
    with transaction.atomic(), acting_as(actor):
        closure.delete()
