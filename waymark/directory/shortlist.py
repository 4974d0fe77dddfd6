"""The shortlist a worker builds for a client while searching: kept in the session, so it needs no account.

It holds service uuids (at most ``MAX_SERVICES``) and free-text notes for the person. Only public services can
be on it, and a service that stops being public drops off the next time the list is read.
"""

import uuid
from collections.abc import Iterable

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet

from waymark.directory.models import Service

SERVICES_KEY = "directory_shortlist"
NOTES_KEY = "directory_shortlist_notes"
MAX_SERVICES = 30
MAX_NOTES_LENGTH = 3000


def shortlisted_uuids(session: SessionBase) -> list[str]:
    """The uuids on the shortlist, in the order they were added (not checked against the database)."""
    stored = session.get(SERVICES_KEY, [])
    return [value for value in stored if isinstance(value, str)] if isinstance(stored, list) else []


def add_service(session: SessionBase, service: Service) -> bool:
    """Put a public service on the shortlist. False when the list is full or the service is not public."""
    uuids = shortlisted_uuids(session)
    key = str(service.uuid)
    if key in uuids:
        return True
    if len(uuids) >= MAX_SERVICES or not Service.objects.public().filter(pk=service.pk).exists():
        return False
    session[SERVICES_KEY] = [*uuids, key]
    return True


def remove_service(session: SessionBase, service_uuid: uuid.UUID | str) -> None:
    key = str(service_uuid)
    uuids = shortlisted_uuids(session)
    if key in uuids:
        session[SERVICES_KEY] = [value for value in uuids if value != key]


def shortlisted_services(session: SessionBase, queryset: QuerySet[Service] | None = None) -> list[Service]:
    """The public services on the shortlist, in the order added. Ones no longer public are forgotten.

    ``queryset`` lets the caller add select_related/prefetch_related; it is narrowed to public services here.
    """
    uuids = shortlisted_uuids(session)
    if not uuids:
        return []
    rows = (queryset if queryset is not None else Service.objects.all()).filter(
        uuid__in=_valid_uuids(uuids), pk__in=Service.objects.public().values("pk")
    )
    found = {str(service.uuid): service for service in rows}
    kept = [key for key in uuids if key in found]
    if kept != uuids:
        session[SERVICES_KEY] = kept
    return [found[key] for key in kept]


def _valid_uuids(values: Iterable[str]) -> list[uuid.UUID]:
    valid = []
    for value in values:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue  # a tampered or corrupt session value is simply not on the list
    return valid


def notes(session: SessionBase) -> str:
    value = session.get(NOTES_KEY, "")
    return value if isinstance(value, str) else ""


def set_notes(session: SessionBase, text: str) -> None:
    session[NOTES_KEY] = text[:MAX_NOTES_LENGTH]


def clear(session: SessionBase) -> None:
    """Empty the shortlist and its notes, as a worker does between clients."""
    session.pop(SERVICES_KEY, None)
    session.pop(NOTES_KEY, None)
