"""The consultation calendar as iCalendar (RFC 5545): the public feed of published consultations, and each
working user's private feed of the whole calendar.

Consultations run over whole days, so each is an all-day VEVENT (DTSTART and DTEND as dates, DTEND the day
after the last, as RFC 5545 counts it). The VCALENDAR wrapper, UIDs and the response come from
``network.ical``, so every feed Waymark serves reads alike.

A calendar program cannot sign in, so the private feed's URL carries a signed link (``core.signed_links``,
purpose ``consultation-feed``) naming its user; ``services.feeds.replace_feed_link`` withdraws it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from waymark.core import signed_links
from waymark.core.models import Community
from waymark.network import ical
from waymark.partnership.choices import PUBLIC_STATUSES, ConsultationStatus
from waymark.partnership.models import Consultation

FEED_PURPOSE = "consultation-feed"
# How far back a feed reaches: calendars keep what they already hold, so older consultations add nothing.
FEED_PAST_DAYS = 366
# SEQUENCE must go up on every change or a calendar holding the event ignores it; seconds since this moment
# at the last change do, without a counter on the model (and stay well inside the 32-bit integer calendars use).
SEQUENCE_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def public_consultations() -> QuerySet[Consultation]:
    """What anyone may read without signing in: published, and open to take part in or reported. Said here
    rather than left to ``visible_to``, because a working user reading the public page sees what the public sees."""
    return Consultation.objects.filter(published=True, status__in=PUBLIC_STATUSES)


def _sequence(consultation: Consultation) -> int:
    return max(0, int((consultation.updated_at - SEQUENCE_EPOCH).total_seconds()))


def consultation_vevent(consultation: Consultation, *, public: bool) -> Event:
    """One consultation as an all-day VEVENT. The public one links to the public page and names no contact;
    the working one links to the calendar page and names the contact, so leads can talk before they clash."""
    communities = ", ".join(community.name for community in consultation.communities.all())
    lines = [
        _("Led by %(body)s.") % {"body": consultation.lead_organisation.name},
        _("Communities asked: %(communities)s.") % {"communities": communities},
        consultation.purpose,
    ]
    if public:
        page = reverse("partnership:public_consultation", args=[consultation.uuid])
        if consultation.status == ConsultationStatus.OPEN and consultation.public_link:
            lines.append(_("Take part: %(url)s") % {"url": consultation.public_link})
    else:
        page = consultation.get_absolute_url()
        lines.insert(1, _("Contact: %(name)s.") % {"name": consultation.contact_name})
    event = Event()
    event.add("uid", ical.make_uid("consultation", consultation.uuid))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", consultation.starts_on)
    event.add("dtend", consultation.ends_on + datetime.timedelta(days=1))
    event.add("summary", consultation.title)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("url", absolute_url(page))
    event.add("sequence", _sequence(consultation))
    event.add("last-modified", consultation.updated_at)
    event.add("status", "CANCELLED" if consultation.status == ConsultationStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a consultation running for weeks does not make anyone busy
    return event


def _feed_rows(rows: QuerySet[Consultation]) -> QuerySet[Consultation]:
    since = timezone.localdate() - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        rows.filter(ends_on__gte=since)
        .select_related("lead_organisation")
        .prefetch_related(Prefetch("communities", queryset=Community.objects.only("pk", "name")))
        .order_by("starts_on", "pk")
    )


def _calendar(consultations: Iterable[Consultation], *, public: bool, name: str) -> Calendar:
    return ical.calendar_for((consultation_vevent(row, public=public) for row in consultations), name=name)


def public_calendar() -> Calendar:
    """Published consultations, open or reported, from a year ago onwards."""
    return _calendar(_feed_rows(public_consultations()), public=True, name=_("Consultations in the borough"))


def working_calendar(user: Any) -> Calendar:
    """Every consultation ``user`` sees from a year ago onwards; cancelled ones too, so calendars drop them."""
    rows = _feed_rows(Consultation.objects.visible_to(user))
    return _calendar(rows, public=False, name=_("Partnership consultation calendar"))


def feed_subject(user: Any) -> str:
    """Whose feed link this is: withdrawing it touches nobody else's."""
    return f"user:{user.pk}"


def feed_token(user: Any) -> str:
    """A private subscription link for ``user``, working for ``SIGNED_LINK_MAX_AGE_DAYS["consultation-feed"]``
    days or until it is replaced."""
    return signed_links.make_token(purpose=FEED_PURPOSE, subject=feed_subject(user))


def feed_url(user: Any) -> str:
    """The address a calendar program subscribes to, whole, for copying from the calendar page."""
    return absolute_url(reverse("partnership:consultation_feed") + "?token=" + feed_token(user))


def feed_user(token: str) -> Any:
    """The active user a feed token was made for; ``signed_links.LinkRefused`` when it cannot be used."""
    subject, _data = signed_links.read_token(token, purpose=FEED_PURPOSE)
    prefix, _colon, pk = subject.partition(":")
    user = get_user_model().objects.filter(is_active=True, pk=pk).first() if prefix == "user" and pk.isdigit() else None
    if user is None:
        raise signed_links.BadLink
    return user
