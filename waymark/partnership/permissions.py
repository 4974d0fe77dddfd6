"""The partnership app's part of the policy: who records consultations and decisions, who sees the calendar,
and whose activity entries each person sees."""

from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core import policy
from waymark.core.roles import SIGNED_IN, Role
from waymark.partnership.choices import PUBLIC_STATUSES
from waymark.partnership.models import CdwTeam

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
WORKING = frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN})
# The partners' staff who plan consultations: community development workers, commissioners and providers.
PARTNER_STAFF = frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN})

PERMISSIONS = {
    # Every working user sees the whole partnership calendar (that is how clashes come to light); the public
    # sees consultations published on the public page, without signing in.
    "consultation.view": WORKING,
    # Partners' staff record consultations; a responder changes only those their organisation leads (object
    # rule responder_records_own_consultations).
    "consultation.record": PARTNER_STAFF,
    # CDW teams and balances. Community development workers are staff: they (and administrators) record
    # activity and read their own balance; each changes and deletes only their own entries (object rule
    # own_activity_only).
    "cdw_activity.record": STAFF_ROLES,
    # Administrators set teams up: name, employer, line manager, workers.
    "cdw_team.manage": frozenset({Role.ADMIN}),
    # A team's page of aggregates: its line manager, its workers and administrators (object rule
    # team_members_and_admins); being in the team, not a role, is what counts.
    "cdw_team.view": frozenset({SIGNED_IN}),
    # One worker's balance in a team: that worker and the team's line manager only, not even an administrator
    # (object rule worker_and_line_manager_only, on the worker's place in the team).
    "cdw_balance.view": frozenset({SIGNED_IN}),
    # Partnerships, their members, decision logs and matrices are every working user's to read; decisions are
    # recorded by staff and administrators, who also run the partnerships themselves. Each piece of evidence
    # behind a decision is still shown only to those who may see its source (its model's visible_to).
    "partnership.view": WORKING,
    "partnership.manage": STAFF_ROLES,
    # Downloading a worker's entries: the worker themself or their line manager (object rule
    # worker_or_line_manager, on the worker); as for a worker's balance, being the manager, not a role, counts.
    "cdw_activity.export": frozenset({SIGNED_IN}),
}


def responder_records_own_consultations(user: Any, held: set[str], obj: Model) -> bool:
    """Staff and administrators change any consultation; a responder those their organisation leads."""
    if held & STAFF_ROLES:
        return True
    return getattr(obj, "lead_organisation_id", None) in policy.organisation_ids(user, Role.RESPONDER)


def own_activity_only(user: Any, held: set[str], obj: Model) -> bool:
    """A worker changes and deletes their own entries; a line manager reads them, never changes them."""
    return getattr(obj, "worker_id", None) == user.pk


def worker_or_line_manager(user: Any, held: set[str], obj: Model) -> bool:
    """A worker's entries go to the worker, and to the manager of a team the worker is in."""
    return obj.pk == user.pk or CdwTeam.objects.filter(manager_id=user.pk, workers=obj.pk).exists()


def consultations_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Working users see every consultation; everyone else those published and open or reported."""
    if held & WORKING:
        return queryset
    return queryset.filter(published=True, status__in=PUBLIC_STATUSES)


def working_users_only(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Partnerships, their members, decisions and matrices are the working users' business."""
    return queryset if held & WORKING else queryset.none()


def activity_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """An activity entry is seen by the worker who made it and by their line manager, nobody else: not even
    an administrator. Teams' aggregates are read through the balance functions, never row by row."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(Q(worker_id=user.pk) | Q(worker__cdw_teams__manager_id=user.pk)).distinct()


def teams_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """A team is seen by its manager and workers, and by administrators, who set teams up."""
    if Role.ADMIN in held:
        return queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(Q(manager_id=user.pk) | Q(workers=user.pk)).distinct()


def team_members_and_admins(user: Any, held: set[str], obj: Model) -> bool:
    """A team's aggregates are for its line manager, its workers and administrators."""
    if Role.ADMIN in held:
        return True
    return getattr(obj, "manager_id", None) == user.pk or obj.workers.filter(pk=user.pk).exists()  # type: ignore[attr-defined]


def worker_and_line_manager_only(user: Any, held: set[str], obj: Model) -> bool:
    """``obj`` is a worker's place in a team (a row of ``CdwTeam.workers.through``): the worker sees it, and
    the team's line manager."""
    return user.pk in (obj.user_id, obj.cdwteam.manager_id)  # type: ignore[attr-defined]


def register() -> None:
    policy.declare_permissions("partnership", PERMISSIONS)
    policy.object_rule("consultation.record")(responder_records_own_consultations)
    policy.object_rule("cdw_activity.record")(own_activity_only)
    policy.object_rule("cdw_activity.export")(worker_or_line_manager)
    policy.visibility_rule("partnership.Consultation")(consultations_seen)
    policy.visibility_rule(
        "partnership.Partnership", "partnership.PartnershipMember", "partnership.Decision", "partnership.Responsibility"
    )(working_users_only)
    policy.visibility_rule("partnership.Activity")(activity_seen)
    policy.visibility_rule("partnership.CdwTeam")(teams_seen)
    policy.object_rule("cdw_team.view")(team_members_and_admins)
    policy.object_rule("cdw_balance.view")(worker_and_line_manager_only)
