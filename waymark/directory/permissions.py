"""The directory's part of the policy: the public reads published services without signing in; the
permissions below are for the staff pages."""

from typing import Any

from django.db.models import Model, QuerySet

from waymark.core import policy
from waymark.core.roles import WORKING_ROLES, Role
from waymark.directory.models import public_service_filter

PERMISSIONS = {
    "directory.view_staff": WORKING_ROLES,
    "service.add": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.change": frozenset({Role.STAFF, Role.RESPONDER, Role.ADMIN}),
    "service.history": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.import": frozenset({Role.STAFF, Role.ADMIN}),
    "directory.review_queue": frozenset({Role.STAFF, Role.ADMIN}),
    # Registering neighbours' feeds, and deciding what their changes and duplicates mean for Waymark's records.
    "directory.feeds": frozenset({Role.STAFF, Role.ADMIN}),
    "fragility.view": frozenset({Role.STAFF, Role.RESPONDER, Role.ANALYST, Role.ADMIN}),
    # Funding amounts (on the radar, its CSV and the staff HSDS export) are for staff and administrators; the
    # others who see the radar get its flags without them.
    "directory.view_funding_amounts": frozenset({Role.STAFF, Role.ADMIN}),
}


def responder_keeps_own_services(user: Any, held: set[str], obj: Model) -> bool:
    """A responder keeps only their own organisation's services and locations up to date.

    The object is a Service or a Location (through its organisation), or the Organisation itself.
    """
    if held & {Role.STAFF, Role.ADMIN}:
        return True
    return getattr(obj, "organisation_id", obj.pk) in policy.organisation_ids(user, Role.RESPONDER)


def everyone_sees(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """The taxonomy is public."""
    return queryset


def services_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if held & WORKING_ROLES:
        return queryset
    # The public, members and anyone signed in without a working role see published, running services.
    return queryset.filter(public_service_filter())


def locations_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if held & WORKING_ROLES:
        return queryset
    # Locations of public services; callers still show only what each location's visibility allows.
    return queryset.filter(public_service_filter("services__")).distinct()


def funding_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    return queryset if held & WORKING_ROLES else queryset.none()


def feeds_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    """Feeds are looked after by staff; the public learns a record's source from the record itself."""
    return queryset if held & {Role.STAFF, Role.ADMIN} else queryset.none()


def register() -> None:
    policy.declare_permissions("directory", PERMISSIONS)
    policy.object_rule("service.add", "service.change")(responder_keeps_own_services)
    policy.visibility_rule("directory.Taxonomy", "directory.TaxonomyTerm")(everyone_sees)
    policy.visibility_rule("directory.Service")(services_seen)
    policy.visibility_rule("directory.Location")(locations_seen)
    policy.visibility_rule("directory.FundingSource")(funding_seen)
    policy.visibility_rule("directory.Feed")(feeds_seen)
