"""A meeting's agenda as people read it: each item with the time it starts, worked out from the meeting's
start and the minutes allowed for the items before it, so moving an item moves the times with it.

Changes to the agenda (adding, moving, sending it to members) are ``services.meetings``.
"""

import datetime
import hashlib
from dataclasses import dataclass

from waymark.network.models import AgendaItem, Meeting


@dataclass(frozen=True)
class TimedItem:
    item: AgendaItem
    starts: datetime.datetime | None  # None once an earlier item has no minutes allowed: the time is unknown


def timed_agenda(meeting: Meeting) -> list[TimedItem]:
    """The items in order, each with its start time (one query)."""
    rows = []
    moment: datetime.datetime | None = meeting.start
    for item in meeting.agenda_items.select_related("presenter").order_by("order", "pk"):
        rows.append(TimedItem(item=item, starts=moment))
        if moment is not None and item.minutes_allowed:
            moment += datetime.timedelta(minutes=item.minutes_allowed)
        else:
            moment = None
    return rows


def agenda_digest(meeting: Meeting, rows: list[TimedItem]) -> str:
    """A short fingerprint of what the agenda e-mail says: sending an unchanged agenda again sends nothing,
    while a changed time, venue or item makes a new e-mail."""
    parts = [meeting.title, meeting.start.isoformat(), meeting.end.isoformat(), meeting.venue]
    for row in rows:
        parts += [row.item.title, str(row.item.minutes_allowed or ""), str(row.item.presenter_id or "")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
