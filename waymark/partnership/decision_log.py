"""Reads of a partnership's decision log. A decision may rest on records the viewer must not see (an issue
escalated to another body, an action of a plan still in draft, a meeting of a network they are not in): every
link is read through its own model's ``visible_to(viewer)``, so the log shows each person only what they may see.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from waymark.core import policy
from waymark.monitoring.models import PublishedSnapshot
from waymark.network.models import Meeting
from waymark.partnership.models import Consultation, Decision, Partnership
from waymark.plans.models import Action
from waymark.voice.models import Issue

# The kinds of evidence a decision rests on, as the log's filter names them: (key, link, label).
EVIDENCE_KINDS = (
    ("issues", "evidence_issues", _("Issues raised by communities")),
    ("snapshots", "evidence_snapshots", _("Published monitoring figures")),
    ("consultations", "evidence_consultations", _("Consultations")),
    ("actions", "evidence_actions", _("Plan actions")),
)
RECENT_ON_PARTNERSHIP_PAGE = 5


def _seen(link: str, user: Any) -> QuerySet:
    """The rows of one link the user may see, with what their labels need."""
    if link == "evidence_issues":
        return Issue.objects.visible_to(user).only("pk", "uuid", "title").order_by("title")
    if link == "evidence_snapshots":
        return PublishedSnapshot.objects.visible_to(user).only("pk", "uuid", "title", "published_on")
    if link == "evidence_consultations":
        return Consultation.objects.visible_to(user).only("pk", "uuid", "title", "starts_on").order_by("-starts_on")
    return (
        Action.objects.visible_to(user)
        .select_related("objective__plan")
        .only("pk", "uuid", "code", "title", "objective__plan__title")
        .order_by("objective__plan__title", "code")
    )


def seen_links(user: Any) -> list[Prefetch]:
    """Prefetches putting each link's rows the user may see on ``seen_<link>`` of every decision."""
    links = [link for _key, link, _label in EVIDENCE_KINDS] + ["following_actions"]
    return [Prefetch(link, queryset=_seen(link, user), to_attr=f"seen_{link}") for link in links]


def visible_meeting(decision: Decision, user: Any) -> Meeting | None:
    """The meeting the decision was taken at, if the user may see it."""
    if decision.meeting_id is None:
        return None
    return Meeting.objects.visible_to(user).filter(pk=decision.meeting_id).first()


def decisions_seen(partnership: Partnership, user: Any) -> QuerySet[Decision]:
    """The partnership's decisions, newest first, each with the evidence the user may see."""
    return (
        Decision.objects.visible_to(user)
        .filter(partnership=partnership)
        .prefetch_related(*seen_links(user))
        .order_by("-decided_on", "-pk")
    )


def decision_years(partnership: Partnership) -> list[int]:
    """The years in which the partnership decided anything, newest first (the log's year filter)."""
    dates = Decision.objects.filter(partnership=partnership).dates("decided_on", "year", order="DESC")
    return [day.year for day in dates]


def resting_on(queryset: QuerySet[Decision], kind: str, user: Any) -> QuerySet[Decision]:
    """Decisions resting on at least one piece of evidence of ``kind`` that the user may see."""
    link = {key: link for key, link, _label in EVIDENCE_KINDS}[kind]
    seen = _seen(link, user).values("pk")
    return queryset.filter(pk__in=Decision.objects.filter(**{f"{link}__in": seen}).values("pk"))


@dataclass(frozen=True)
class DecisionLinks:
    """What the viewer may see of a decision's links, and whether they may open each kind's pages."""

    issues: list[Issue]
    snapshots: list[PublishedSnapshot]
    consultations: list[Consultation]
    actions: list[Action]
    following: list[Action]
    meeting: Meeting | None
    can_open_issues: bool
    can_open_meeting: bool


def links_seen(decision: Decision, user: Any) -> DecisionLinks:
    meeting = visible_meeting(decision, user)
    return DecisionLinks(
        issues=list(_seen("evidence_issues", user).filter(partnership_decisions=decision)),
        snapshots=list(_seen("evidence_snapshots", user).filter(partnership_decisions=decision)),
        consultations=list(_seen("evidence_consultations", user).filter(decisions=decision)),
        actions=list(_seen("evidence_actions", user).filter(partnership_decisions_resting_on=decision)),
        following=list(_seen("following_actions", user).filter(partnership_decisions_followed=decision)),
        meeting=meeting,
        can_open_issues=policy.can(user, "voice_issue.view"),
        can_open_meeting=meeting is not None and policy.can(user, "meeting.view", meeting),
    )
