"""Who did it: the acting user for audit history.

Services receive ``actor=`` and run their writes inside ``acting_as(actor)``;
django-simple-history reads the actor from here, so changes made by pages,
the API, background tasks and management commands are all attributed.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
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


def save_with_one_history_row(instance: models.Model, m2m: Mapping[str, Iterable[Any]]) -> None:
    """Save ``instance`` and set its many-to-many fields, leaving one audit history row for the whole change.

    simple-history writes a row on every save and another on every many-to-many add
    or remove, so an edit that also changed sectors would leave three rows, the first
    without the new sectors. Here the steps run with history held back, and one
    ordinary save then writes a single row holding the final fields and relations.
    A new record's row is marked as a creation.
    """
    creating = instance._state.adding
    m2m = {name: list(values) for name, values in m2m.items()}
    if creating:
        m2m = {name: values for name, values in m2m.items() if values}
    if m2m:
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            if creating:
                instance.save()  # the relations need the primary key
            for name, values in m2m.items():
                getattr(instance, name).set(values)
        finally:
            del instance.skip_history_when_saving  # type: ignore[attr-defined]
    instance.save()
    if creating and m2m:
        # The ordinary save above was an update of the just-inserted row, so mark its history row as the creation.
        history = instance.history  # type: ignore[attr-defined]
        history.filter(pk=history.latest().pk).update(history_type="+")
