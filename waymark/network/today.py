"""What the network puts in a person's work queue on the home page (``core.today``): their next meeting, with
its calendar file, and for staff the events of the coming week, linking to the event list filtered to them."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waymark.core import policy
from waymark.core.roles import Role
from waymark.core.today import Line
from waymark.network.models import Action, ActionStatus, Bulletin, BulletinStatus, Event, Meeting, Minutes
from waymark.network.models.meetings import MeetingStatus, MinutesStatus

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


def overdue_mine[Actions: QuerySet[Any]](actions: Actions, user: Any) -> Actions:
    """ "My network actions" with ``?overdue=1``: open actions owned by the user's contact record, past due."""
    return actions.filter(owner__user_id=user.pk, status=ActionStatus.OPEN, due_date__lt=timezone.localdate())


def overdue_action_lines(user: Any) -> list[Line]:
    count = overdue_mine(Action.objects.visible_to(user), user).count()
    text = ngettext(
        "%(count)d of your network actions is overdue", "%(count)d of your network actions are overdue", count
    ) % {"count": count}
    return [Line(text, reverse("network:my_actions") + "?overdue=1", count, urgent=bool(count))]


MINUTES_SHOWN = 5


def minutes_for_comment_lines(user: Any) -> list[Line]:
    """Circulated minutes of the user's own networks (as a member), each a line to its page, newest first."""
    minutes = (
        Minutes.objects.visible_to(user)
        .filter(
            status=MinutesStatus.CIRCULATED,
            meeting__network__organisation_id__in=policy.organisation_ids(user, Role.MEMBER),
        )
        .select_related("meeting__network")
        .order_by("-circulated_at", "-pk")[:MINUTES_SHOWN]
    )
    return [
        Line(
            _("Minutes open for your comment: %(title)s (%(network)s)")
            % {"title": item.meeting.title, "network": item.meeting.network.name},
            reverse("network:minutes_detail", args=[item.meeting.uuid]),
        )
        for item in minutes
    ]


def latest_bulletin_lines(user: Any) -> list[Line]:
    bulletin = (
        Bulletin.objects.visible_to(user)
        .filter(status=BulletinStatus.SENT)
        .select_related("network")
        .order_by("-sent_at", "-pk")
        .first()
    )
    if bulletin is None:
        return []
    text = _("Latest bulletin: %(subject)s (%(network)s)") % {
        "subject": bulletin.subject,
        "network": bulletin.network.name,
    }
    return [Line(text, reverse("network:bulletin_detail", args=[bulletin.uuid]))]
