"""The network's calendars: meetings and events as iCalendar, and the private links that subscribe to them.

Built with ``network.ical``. Each calendar program subscribes to one user's feed link, because it cannot
sign in; ``services.meetings.replace_feed_links`` withdraws a user's links when one has leaked.
"""

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from waymark.core import signed_links
from waymark.network import ical
from waymark.network.mailing import absolute_url
from waymark.network.models import Event as NetworkEvent
from waymark.network.models import EventStatus, Meeting, Network

FEED_PURPOSE = "calendar-feed"


def titled(network: Network | None, title: str) -> str:
    """A calendar title that names the network: a list of ten "Network meeting"s says nothing about whose."""
    if network is None or network.name.casefold() in title.casefold():
        return title
    return f"{network.name}: {title}"


# --- Meetings ---------------------------------------------------------------------------------------


def meeting_vevent(meeting: Meeting) -> Event:
    """The meeting as a VEVENT: stable UID, current SEQUENCE, and STATUS:CANCELLED when cancelled."""
    description = _("Agenda, papers and minutes: %(url)s") % {"url": absolute_url(meeting.get_absolute_url())}
    return ical.vevent(
        uid=meeting.ical_uid,
        start=meeting.start,
        end=meeting.end,
        summary=titled(meeting.network, meeting.title),
        sequence=meeting.sequence,
        cancelled=meeting.cancelled,
        description=description,
        location=meeting.venue,
        url=absolute_url(meeting.get_absolute_url()),
        last_modified=meeting.updated_at,
    )


def meeting_calendar(meeting: Meeting) -> Calendar:
    return ical.calendar_for([meeting_vevent(meeting)], name=titled(meeting.network, meeting.title))


def network_calendar(network: Network) -> Calendar:
    """Every meeting of the network from a year ago onwards, cancelled ones included so calendars drop them."""
    since = timezone.now() - datetime.timedelta(days=366)
    meetings = network.meetings.filter(start__gte=since).select_related("network").order_by("start", "pk")
    return ical.calendar_for(
        (meeting_vevent(meeting) for meeting in meetings),
        name=_("%(network)s meetings") % {"network": network.name},
    )


def feed_subject(user: Any) -> str:
    """Whose calendar links these are: withdrawing them touches nobody else's."""
    return f"user:{user.pk}"


def feed_token(user: Any, network: Network) -> str:
    """A private subscription link for one user: calendar programs cannot sign in, so the URL carries who asks.
    It works for ``SIGNED_LINK_MAX_AGE_DAYS["calendar-feed"]`` days, or until the user or staff replace it."""
    return signed_links.make_token(purpose=FEED_PURPOSE, subject=feed_subject(user), data={"n": network.pk})


def feed_user(token: str, network: Network) -> Any:
    """The user a feed token was made for; signed_links.LinkRefused when it is not a usable link to this
    network's feed (expired, withdrawn, altered, made for another network, or its user is no longer active)."""
    from waymark.accounts.models import User

    subject, data = signed_links.read_token(token, purpose=FEED_PURPOSE)
    prefix, _colon, pk = subject.partition(":")
    user = User.objects.filter(is_active=True, pk=pk).first() if prefix == "user" and pk.isdigit() else None
    if data.get("n") != network.pk or user is None:
        raise signed_links.BadLink
    return user


def feed_url(user: Any, network: Network) -> str:
    path = reverse("network:network_meetings_feed", args=[network.slug])
    return absolute_url(f"{path}?token={feed_token(user, network)}")


# --- Events -----------------------------------------------------------------------------------------


def event_vevent(event: NetworkEvent) -> Any:
    return ical.vevent(
        uid=ical.make_uid("event", event.uuid),
        start=event.starts_at,
        end=event.ends_at,
        summary=titled(event.network, event.title),
        sequence=event.sequence,
        cancelled=event.status == EventStatus.CANCELLED,
        description=event.description,
        location=event.venue,
        url=ical_url(event),
        last_modified=event.updated_at,
    )


def event_calendar(event: NetworkEvent) -> Calendar:
    return ical.calendar_for([event_vevent(event)], name=titled(event.network, event.title))


def ical_url(event: NetworkEvent) -> str:
    return f"{settings.SITE_URL}{reverse('network:event_ics', args=[event.uuid])}"
