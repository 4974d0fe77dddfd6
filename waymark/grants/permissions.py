"""The grants app's part of the policy: grants officers (staff) and administrators run programmes and decide;
assessors see only what they hold an open seat on, and nobody sees an application they declared a conflict on.

Published programmes, the public statistics and the open data (awards in 360Giving's shape) need no account;
applicants reach their own draft through the link e-mailed to them, not through a role.
"""

from typing import Any

from django.db.models import Q, QuerySet

from waymark.core import policy
from waymark.core.roles import SIGNED_IN, WORKING_ROLES, Role
from waymark.grants.choices import AssessmentStatus

GRANTS_OFFICERS = frozenset({Role.STAFF, Role.ADMIN})
OPEN_SEAT = (AssessmentStatus.IN_PROGRESS, AssessmentStatus.SUBMITTED)
# A seat's holder, grants officer or not, opens the application only after declaring no conflict.
CLOSED_TO_ASSESSOR = (AssessmentStatus.AWAITING_DECLARATION, AssessmentStatus.CONFLICTED)

PERMISSIONS = {
    # Programmes with their budgets (committed, paid, remaining) are every working user's to read: commissioners
    # fund them; grants officers and administrators set them up.
    "programme.view": WORKING_ROLES,
    "programme.manage": GRANTS_OFFICERS,
    # Applications hold people's names and words: grants officers and administrators read and handle them
    # (enter one taken by phone, screen, assign assessors, record a panel's decision), except any they declared
    # a conflict on (visibility rule applications_seen).
    "grant_application.view": GRANTS_OFFICERS,
    "grant_application.manage": GRANTS_OFFICERS,
    # Award or decline, payments and reports.
    "grant.decide": GRANTS_OFFICERS,
    "grant_award.manage": GRANTS_OFFICERS,
    # An assessor's own seats (assess): anyone signed in may be given one, staff or a community panel member;
    # the object rule admits only the seat's assessor, once they have declared no conflict.
    "grant_assessment.score": frozenset({SIGNED_IN}),
}


def _closed_seat_application_ids(user: Any) -> QuerySet:
    from waymark.grants.models import Assessment

    return Assessment.objects.filter(assessor_id=user.pk, status__in=CLOSED_TO_ASSESSOR).values("application_id")


def programmes_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Working users see every programme; everyone else the published ones."""
    if held & WORKING_ROLES:
        return queryset
    return queryset.filter(published=True)


def applications_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Grants officers see every application but those they hold a seat on and have not declared no conflict on
    (a declared conflict closes it for good); an assessor sees those they hold an open seat on; nobody else any."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if held & GRANTS_OFFICERS:
        return queryset.exclude(pk__in=_closed_seat_application_ids(user))
    return queryset.filter(assessments__assessor_id=user.pk, assessments__status__in=OPEN_SEAT).distinct()


def on_seen_applications(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Attachments, decisions, payments and reports follow their application, for grants officers only."""
    if not getattr(user, "is_authenticated", False) or not held & GRANTS_OFFICERS:
        return queryset.none()
    field = {
        "Attachment": "application_id",
        "GrantDecision": "application_id",
        "Payment": "decision__application_id",
        "GrantReport": "decision__application_id",
    }[queryset.model.__name__]
    return queryset.exclude(**{f"{field}__in": _closed_seat_application_ids(user)})


def assessments_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """An assessor sees their own seats; grants officers every seat but those on applications they declared a
    conflict on (so the moderation view shows the spread)."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    own = Q(assessor_id=user.pk)
    if held & GRANTS_OFFICERS:
        return queryset.filter(own | ~Q(application_id__in=_closed_seat_application_ids(user)))
    return queryset.filter(own)


def assessor_declared_no_conflict(user: Any, held: set[str], obj: Any) -> bool:
    """A seat opens only to its own assessor, and only after they declared no conflict: never to anyone else
    (a grants officer included), never while the declaration is awaited, never once a conflict is declared."""
    return obj.assessor_id == user.pk and obj.status in OPEN_SEAT


def register() -> None:
    policy.declare_permissions("grants", PERMISSIONS)
    policy.visibility_rule("grants.Programme")(programmes_seen)
    policy.visibility_rule("grants.Application")(applications_seen)
    policy.visibility_rule("grants.Attachment", "grants.GrantDecision", "grants.Payment", "grants.GrantReport")(
        on_seen_applications
    )
    policy.visibility_rule("grants.Assessment")(assessments_seen)
    policy.object_rule("grant_assessment.score")(assessor_declared_no_conflict)
