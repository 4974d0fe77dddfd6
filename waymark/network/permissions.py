"""The professional network's part of the policy: people, meetings, events and surveys."""

from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core import policy
from waymark.core.roles import Role
from waymark.network.models import BulletinStatus, EventStatus, Membership, MembershipRole, MinutesStatus

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})

PERMISSIONS = {
    # People: staff run networks; members read their own networks' pages and bulletins.
    "network.view": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "network.manage": STAFF_ROLES,
    "network.history": STAFF_ROLES,
    "contact.view": STAFF_ROLES,
    "contact.change": STAFF_ROLES,
    "contact.import": STAFF_ROLES,
    "bulletin.write": STAFF_ROLES,
    # Events and surveys: staff run events and surveys; anyone registers for a published event and answers a
    # survey through their personal link; analysts may read survey results.
    "network_event.view": STAFF_ROLES,
    "network_event.manage": STAFF_ROLES,
    "network_survey.view": frozenset({Role.STAFF, Role.ANALYST, Role.ADMIN}),
    "network_survey.manage": STAFF_ROLES,
    # Meetings: staff book and run meetings; members of a network see its meetings and comment on circulated
    # minutes; its minute-takers and secretaries (Membership role, via Contact.user) write the minutes and
    # record actions (the object rules below).
    "meeting.view": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "meeting.manage": STAFF_ROLES,
    "minutes.write": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "minutes.comment": frozenset({Role.MEMBER, Role.STAFF, Role.ADMIN}),
    "minutes.history": STAFF_ROLES,
}


def minute_taker_network_ids(user: Any) -> set[int]:
    """Networks where the user's contact record is a current minute-taker or secretary, cached for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_waymark_minute_taker_networks", None)
    if cached is None:
        writers = Membership.objects.current().filter(
            contact__user=user, role__in=[MembershipRole.MINUTE_TAKER, MembershipRole.SECRETARY]
        )
        cached = set(writers.values_list("network_id", flat=True))
        user._waymark_minute_taker_networks = cached
    return cached


# --- Object rules: the object is a Meeting or its Minutes -------------------------------------------------


def _in_own_network(user: Any, obj: Model) -> bool:
    """Members act only in their own networks."""
    meeting: Any = getattr(obj, "meeting", obj)
    return meeting.network.organisation_id in policy.organisation_ids(user, Role.MEMBER)


def _circulated(obj: Model) -> bool:
    """Comments are taken only while the minutes are circulated."""
    return getattr(obj, "status", None) == MinutesStatus.CIRCULATED


def meeting_in_own_network(user: Any, held: set[str], obj: Model) -> bool:
    return bool(held & STAFF_ROLES) or _in_own_network(user, obj)


def minutes_written_by_minute_takers(user: Any, held: set[str], obj: Model) -> bool:
    """Only the network's minute-takers (and staff) write its minutes."""
    if held & STAFF_ROLES:
        return True
    meeting: Any = getattr(obj, "meeting", obj)
    return meeting.network_id in minute_taker_network_ids(user)


def comments_on_circulated_minutes(user: Any, held: set[str], obj: Model) -> bool:
    if not held & STAFF_ROLES and not _in_own_network(user, obj):
        return False
    return _circulated(obj)


# --- Visibility rules -------------------------------------------------------------------------------------


def staff_only(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Contacts, memberships, lists, recipients, registrations and stalls: personal data, for staff only."""
    return queryset if held & STAFF_ROLES else queryset.none()


def networks_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Members see their own networks' pages; members read bulletins sent to their networks, and anyone
    reads bulletins put in the public archive."""
    if held & STAFF_ROLES:
        return queryset
    label = queryset.model._meta.label
    network_path = "organisation_id" if label == "network.Network" else "network__organisation_id"
    own = queryset.filter(**{f"{network_path}__in": policy.organisation_ids(user, Role.MEMBER)})
    if label == "network.Bulletin":
        return queryset.filter(status=BulletinStatus.SENT).filter(
            Q(pk__in=own.values("pk")) | Q(in_public_archive=True)
        )
    return own


MEETING_NETWORK_PATHS = {
    "network.MeetingSeries": "network",
    "network.Meeting": "network",
    "network.Action": "meeting__network",
    "network.Minutes": "meeting__network",
}


def meetings_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Members see the meetings and actions of their networks; draft minutes only their network's
    minute-takers (and staff) see, circulated and published minutes every member of the network."""
    if held & STAFF_ROLES:
        return queryset
    label = queryset.model._meta.label
    network_path = MEETING_NETWORK_PATHS[label]
    own = queryset.filter(**{f"{network_path}__organisation_id__in": policy.organisation_ids(user, Role.MEMBER)})
    if label == "network.Minutes":
        return _minutes_seen_by_member(own, user, "")
    return own


def _minutes_seen_by_member(queryset: QuerySet, user: Any, minutes_path: str) -> QuerySet:
    return queryset.filter(
        ~Q(**{f"{minutes_path}status": MinutesStatus.DRAFT})
        | Q(**{f"{minutes_path}meeting__network_id__in": minute_taker_network_ids(user)})
    )


def minutes_comments_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Who sees a comment is who sees its minutes."""
    if held & STAFF_ROLES:
        return queryset
    own = queryset.filter(minutes__meeting__network__organisation_id__in=policy.organisation_ids(user, Role.MEMBER))
    return _minutes_seen_by_member(own, user, "minutes__")


def events_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Published events are public (their registration page and calendar), and so are cancelled ones."""
    if held & STAFF_ROLES:
        return queryset
    event_path = "" if queryset.model._meta.label == "network.Event" else "event__"
    return queryset.filter(**{f"{event_path}status__in": [EventStatus.PUBLISHED, EventStatus.CANCELLED]})


def surveys_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Surveys and their answers are for those who run them and analysts who read the results."""
    return queryset if held & {Role.STAFF, Role.ANALYST, Role.ADMIN} else queryset.none()


def register() -> None:
    policy.declare_permissions("network", PERMISSIONS)
    policy.object_rule("meeting.view")(meeting_in_own_network)
    policy.object_rule("minutes.write")(minutes_written_by_minute_takers)
    policy.object_rule("minutes.comment")(comments_on_circulated_minutes)
    policy.visibility_rule(
        "network.Contact",
        "network.Membership",
        "network.DistributionList",
        "network.BulletinRecipient",
        "network.Registration",
        "network.WorkshopBooking",
        "network.Stall",
    )(staff_only)
    policy.visibility_rule("network.Network", "network.TermsOfReference", "network.TaskGroup", "network.Bulletin")(
        networks_seen
    )
    policy.visibility_rule(*MEETING_NETWORK_PATHS)(meetings_seen)
    policy.visibility_rule("network.MinutesComment")(minutes_comments_seen)
    policy.visibility_rule("network.Event", "network.TicketType", "network.Workshop")(events_seen)
    policy.visibility_rule("network.Survey", "network.SurveyInvitation", "network.SurveyResponse")(surveys_seen)
