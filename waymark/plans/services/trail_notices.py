"""Telling people when an action that answers what they raised changes status: the people who raised a
linked issue and asked for updates (``FeedbackItem.wants_updates``, with an e-mail address), and the community
organisations the plan was co-produced with (those with an e-mail address).

Once per status change: ``update_action`` calls ``notify_status_change`` inside its transaction and the
e-mail goes after the commit, under a key made of the action, its new status and the history row of that
change, so the same change never sends twice and a later change does. A change of RAG, progress or
evidence alone sends nothing. Only published plans (``PUBLIC_STATUSES``) tell anyone: the e-mail points to
what the public can read. Each message names only the action, the plan and the recipient's own issues.
"""

import functools
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from waymark.core.email import send_email
from waymark.plans import trail
from waymark.plans.choices import PUBLIC_STATUSES, ActionStatus
from waymark.plans.models import Action, ActionIssueLink
from waymark.voice.models import Issue

logger = logging.getLogger(__name__)

TEMPLATE = "plans_action_status_changed"


def notify_status_change(*, action: Action, previous_status: str) -> None:
    """Queue the notices of the action's status change for when the caller's transaction commits."""
    if action.status == previous_status or not ActionIssueLink.objects.filter(action=action).exists():
        return
    change_id = action.history.order_by("-history_id").values_list("history_id", flat=True).first()  # type: ignore[attr-defined]
    transaction.on_commit(
        functools.partial(
            send_status_notices,
            action_id=action.pk,
            status=action.status,
            previous_status=previous_status,
            change_id=change_id,
        )
    )


@dataclass
class _Recipient:
    address: str
    organisation: str = ""  # the co-producing organisation's name, empty for someone who raised an issue
    issues: list[Issue] = field(default_factory=list)


def _recipients(action: Action, issues: list[Issue]) -> list[_Recipient]:
    by_address: dict[str, _Recipient] = {}
    raised = (
        Issue.items.through.objects.filter(issue__in=issues, feedbackitem__wants_updates=True)
        .exclude(feedbackitem__contact_email="")
        .values_list("issue_id", "feedbackitem__contact_email")
        .order_by("issue_id", "feedbackitem_id")
    )
    issue_by_id = {issue.pk: issue for issue in issues}
    for issue_id, address in raised:
        recipient = by_address.setdefault(address.strip().lower(), _Recipient(address=address.strip()))
        if issue_by_id[issue_id] not in recipient.issues:
            recipient.issues.append(issue_by_id[issue_id])
    for organisation in action.objective.plan.co_produced_with.exclude(email="").order_by("name"):
        by_address.setdefault(
            organisation.email.strip().lower(),
            _Recipient(address=organisation.email.strip(), organisation=organisation.name, issues=issues),
        )
    return list(by_address.values())


def send_status_notices(*, action_id: int, status: str, previous_status: str, change_id: int | None) -> int:
    """Send one e-mail to each person and organisation to be told of this change; returns how many were
    queued (again: none new, the key being the same)."""
    action = Action.objects.select_related("objective__plan__owner").filter(pk=action_id).first()
    if action is None or action.objective.plan.status not in PUBLIC_STATUSES:
        return 0
    issues = [link.issue for link in ActionIssueLink.objects.filter(action=action).select_related("issue")]
    if not issues:
        return 0
    public_ids = trail.public_issue_ids(issue.pk for issue in issues)
    plan = action.objective.plan
    dedupe_key = f"plans.action_status:{action.uuid}:{status}:{change_id}"
    sent = 0
    for recipient in _recipients(action, issues):
        shown = [issue for issue in recipient.issues if not recipient.organisation or issue.pk in public_ids]
        context = {
            "organisation": recipient.organisation,
            "action_code": action.code,
            "action_title": action.title,
            "plan_title": plan.title,
            "plan_owner": plan.owner.name,
            "previous_status": ActionStatus(previous_status).label,
            "status": ActionStatus(status).label,
            "progress": action.progress,
            "issues": [
                {
                    "title": issue.title,
                    "url": f"{settings.SITE_URL}{trail.public_issue_url(issue)}" if issue.pk in public_ids else "",
                }
                for issue in shown
            ],
        }
        try:
            send_email(to=recipient.address, template=TEMPLATE, context=context, dedupe_key=dedupe_key)
        except ValueError:  # an address the mail server would refuse: the others are still told
            logger.warning("Status notice of plan action %s not sent to an invalid address.", action.uuid)
            continue
        sent += 1
    return sent
