"""What the network puts in a person's work queue on the home page (``core.today``): their next meeting, with
its calendar file, and for staff the events of the coming week, linking to the event list filtered to them."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.core.today import Line
from waymark.network.models import Event, Meeting
from waymark.network.models.meetings import MeetingStatus

WEEK = datetime.timedelta(days=7)


def this_week[Events: QuerySet[Any]](events: Events) -> Events:
    """The event list's ``?week=1``: events starting from now to the same time next week."""
    now = timezone.now()
    return events.filter(starts_at__gte=now, starts_at__lt=now + WEEK)


def next_meeting_lines(user: Any) -> list[Line]:
    meeting = (
        Meeting.objects.visible_to(user)
        .filter(status=MeetingStatus.SCHEDULED, start__gte=timezone.now())
        .select_related("network")
        .order_by("start", "pk")
        .first()
    )
    if meeting is None:
        return []
    text = _("Next meeting: %(title)s (%(network)s), %(when)s") % {
        "title": meeting.title,
        "network": meeting.network.name,
        "when": formats.date_format(timezone.localtime(meeting.start), "l j F Y, H:i"),
    }
    calendar = (_("Add it to your calendar"), reverse("network:meeting_ics", args=[meeting.uuid]))
    return [Line(text, reverse("network:meeting_detail", args=[meeting.uuid]), links=(calendar,))]


def event_lines(user: Any) -> list[Line]:
    count = this_week(Event.objects.visible_to(user)).count()
    text = ngettext("%(count)d event in the coming week", "%(count)d events in the coming week", count) % {
        "count": count
    }
    return [Line(text, reverse("network:event_list") + "?week=1", count)]
