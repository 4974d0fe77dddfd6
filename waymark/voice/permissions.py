"""Community voice's part of the policy: intake, escalation, and the reports made from them."""

from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core import policy
from waymark.core.roles import SIGNED_IN, Role
from waymark.voice.models import EscalationStatus

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})

PERMISSIONS = {
    # Intake: the public sends feedback without signing in; staff read items, record what they gathered at
    # events and outreach, work the interpreting queue and list the languages they read.
    "voice_item.view": STAFF_ROLES,
    "voice_item.add": STAFF_ROLES,
    "voice_item.interpret": STAFF_ROLES,
    "voice_language.manage_own": STAFF_ROLES,
    # Escalation: staff triage items, build issues, escalate them and chase the answers; a responder sees and
    # answers only the escalations addressed to their organisation (the object rule below); administrators add
    # the closure days that do not count as working days.
    "voice.triage": STAFF_ROLES,
    "voice_issue.view": STAFF_ROLES,
    "voice_issue.manage": STAFF_ROLES,
    "voice_escalation.view": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "voice_escalation.answer": frozenset({Role.RESPONDER}),
    "voice_closure_day.manage": frozenset({Role.ADMIN}),
    # Public pages and reports: "you said, we did" is public; the intelligence report (disclosure-controlled,
    # for commissioners and scrutiny committees) and its exports are made by staff and analysts.
    "voice.report": frozenset({Role.STAFF, Role.ANALYST, Role.ADMIN}),
}


def _addressed_to_own_organisation(user: Any, obj: Model) -> Any:
    """The escalation (the object or the escalation of a Response), if addressed to one of the responder's
    organisations; None otherwise."""
    escalation: Any = getattr(obj, "escalation", obj)
    return escalation if escalation.responder_id in policy.organisation_ids(user, Role.RESPONDER) else None


def responder_sees_own_escalations(user: Any, held: set[str], obj: Model) -> bool:
    """A responder acts only for the organisations they answer for."""
    return bool(held & STAFF_ROLES) or _addressed_to_own_organisation(user, obj) is not None


def responder_answers_awaiting_escalations(user: Any, held: set[str], obj: Model) -> bool:
    """A responder answers only an escalation of their organisation still awaiting its answer."""
    if held & STAFF_ROLES:
        return True
    escalation = _addressed_to_own_organisation(user, obj)
    return escalation is not None and escalation.status == EscalationStatus.AWAITING


def staff_only(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Feedback items and their demographics are for staff only (public pages publish through disclosure
    control and consent, never these rows); so are answer links, reminders and closure days."""
    return queryset if held & STAFF_ROLES else queryset.none()


def staff_languages_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """A person sees their own "languages I read"."""
    if held & STAFF_ROLES:
        return queryset
    return queryset.filter(user=user) if SIGNED_IN in held else queryset.none()


ESCALATION_PATHS = {"voice.Issue": "escalations__", "voice.Escalation": "", "voice.Response": "escalation__"}
PUBLISHED_PATHS = {"voice.Issue": "escalations__response__", "voice.Escalation": "response__", "voice.Response": ""}


def escalations_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Staff see every issue and escalation; a responder those addressed to their organisation; anyone else
    what has a published response.

    The pages ask this only for staff (the public pages read ``voice.published``), but ``visible_to`` on an
    issue is what the publishing test asks of an anonymous visitor, so the rule stays whole.
    """
    if held & STAFF_ROLES:
        return queryset
    label = queryset.model._meta.label
    mine = Q(**{f"{ESCALATION_PATHS[label]}responder_id__in": policy.organisation_ids(user, Role.RESPONDER)})
    public = Q(**{f"{PUBLISHED_PATHS[label]}published": True})
    if label == "voice.Issue":
        # Through the escalations, without the duplicate rows a join to many would give.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(mine | public).values("pk"))
    return queryset.filter(mine | public)


def register() -> None:
    policy.declare_permissions("voice", PERMISSIONS)
    policy.object_rule("voice_escalation.view")(responder_sees_own_escalations)
    policy.object_rule("voice_escalation.answer")(responder_answers_awaiting_escalations)
    policy.visibility_rule(
        "voice.FeedbackItem",
        "voice.ItemDemographics",
        "voice.AnswerLink",
        "voice.EscalationReminder",
        "voice.ClosureDay",
    )(staff_only)
    policy.visibility_rule("voice.StaffLanguage")(staff_languages_seen)
    policy.visibility_rule(*ESCALATION_PATHS)(escalations_seen)
