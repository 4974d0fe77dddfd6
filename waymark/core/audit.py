"""Who did it: the acting user for audit history.

Services receive ``actor=`` and run their writes inside ``acting_as(actor)``;
django-simple-history reads the actor from here, so changes made by pages,
the API, background tasks and management commands are all attributed.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from simple_history.models import HistoricalRecords

_actor: ContextVar[Any] = ContextVar("waymark_actor", default=None)


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute every audited write inside the block to ``actor`` (a User or None for the system)."""
    token = _actor.set(actor if getattr(actor, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor(request: Any = None, **kwargs: Any) -> Any:
    """The user simple-history records: the service's actor, else the signed-in request user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def audit_history(**kwargs: Any) -> HistoricalRecords:
    """HistoricalRecords configured to read the actor from the service call."""
    return HistoricalRecords(get_user=current_actor, **kwargs)
