"""Demo meetings for the Riverside Mental Health Network: a six-weekly series that started a year ago and
is block-booked a year ahead, with agendas, attendance, minutes and actions for every meeting held.

Called by ``network.demo.seed`` after the people part has put the network and its contacts in
``context``. Meetings, agendas and actions go through the meeting services, so sequences, booking
and history behave as they do for real users. Minutes are written straight to the table in their
final state: the demo must not e-mail 280 people nine times about minutes that were never drafted.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from waymark.core.audit import acting_as
from waymark.network.models import (
    ActionStatus,
    AttendanceStatus,
    Contact,
    Meeting,
    Membership,
    MembershipRole,
    Minutes,
    MinutesComment,
    MinutesStatus,
    Network,
    Recurrence,
)
from waymark.network.services import meetings, minutes

VENUE = "Riverside Community Hub, Meeting Room 2"
TOPICS = [
    ("Crisis café: first six months", "The crisis café team reported on who is using it and how people hear about it."),
    ("Interpreting in mental health appointments", "The task group shared its draft standard for interpreters."),
    ("Housing and mental health referral route", "Members discussed the new referral route from housing options."),
    ("Patient and Carer Race Equality Framework", "The trust updated members on its PCREF plan and data."),
    ("Launch event planning", "The planning group confirmed the venue, workshops and marketplace stalls."),
    ("Young people's wellbeing", "Youth workers described rising demand and long waits for support."),
    ("Faith and wellbeing", "Faith leaders described the support they give and where they need training."),
    ("Commissioning intentions", "The ICB outlined next year's priorities and how members can respond."),
    ("Carers' support", "The carers' centre described its new advice sessions in community languages."),
    ("Evaluation survey", "Members agreed the questions for the network's annual evaluation survey."),
]
ACTIONS = [
    "Circulate the draft interpreting standard to members for comment",
    "Send the crisis café leaflet in Bengali, Polish and Somali to members",
    "Invite the housing options manager to the next meeting",
    "Share the trust's PCREF data summary with the network",
    "Confirm workshop leads for the launch event",
    "Collect service updates from faith organisations for the bulletin",
    "Draft the network's response to the commissioning intentions",
    "Book interpreters for the launch event",
    "Update the network's directory entries for new services",
    "Send the evaluation survey with next year's meeting dates",
]
COMMENTS = [
    "Item 3: the café also opens on Sunday evenings now.",
    "Please add that apologies were sent by the carers' centre.",
    "Could the action on interpreting name a date?",
]


def _first_thursday_a_year_ago(today: datetime.date) -> datetime.date:
    start = today - datetime.timedelta(days=364)
    return start + datetime.timedelta(days=(3 - start.weekday()) % 7)


def _minutes_text(meeting: Meeting, agenda: list[tuple[str, str]], present: int, apologies: int) -> str:
    parts = [
        "## 1. Welcome and apologies",
        f"The chair welcomed {present} members. Apologies were received from {apologies} members.",
        "## 2. Minutes of the last meeting and actions",
        "The minutes of the last meeting were agreed. Actions were reviewed: see the action list.",
    ]
    for number, (title, summary) in enumerate(agenda, start=3):
        parts += [f"## {number}. {title}", summary]
    parts += [
        f"## {len(agenda) + 3}. Service updates",
        "Members gave short updates on their services; details are in the next bulletin.",
        f"## {len(agenda) + 4}. Date of the next meeting",
        "See the network's calendar: meetings are booked a year ahead.",
    ]
    return "\n\n".join(parts) + "\n"


def seed_meetings(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, int]:
    """A year of six-weekly meetings with agendas, attendance, minutes and actions, and a year booked ahead."""
    network: Network = context["network"]
    today = timezone.localdate()
    now = timezone.now()
    steps = 3
    progress(0, steps, "Booking a year of network meetings")
    memberships = list(Membership.objects.current().filter(network=network).select_related("contact").order_by("pk"))
    members = [membership.contact for membership in memberships]
    officers = {membership.role: membership.contact for membership in memberships if membership.role != "member"}
    minute_taker = officers.get(MembershipRole.MINUTE_TAKER) or members[0]
    chair = officers.get(MembershipRole.CHAIR) or members[0]
    attendees_per_meeting = (25, 45) if size == "full" else (8, 14)

    with transaction.atomic():
        first_date = _first_thursday_a_year_ago(today)
        series = meetings.create_series(
            actor=actor,
            network=network,
            data={
                "title": "Network meeting",
                "recurrence": Recurrence.WEEKLY,
                "interval": 6,
                "first_date": first_date,
                "start_time": datetime.time(14, 0),
                "duration_minutes": 120,
                "venue": VENUE,
            },
        )
        # Booked a year ahead from its start, and now from today: two years of dates, like the real network's.
        meetings.book_series(actor=actor, series=series, today=today)
        booked = list(series.meetings.order_by("start"))
        held = [meeting for meeting in booked if meeting.end < now]
        upcoming = [meeting for meeting in booked if meeting.end >= now]

        progress(1, steps, f"Writing agendas, attendance and minutes for {len(held)} meetings")
        counts = {"meetings": len(booked), "minutes": 0, "actions": 0, "attendance": 0}
        topics = TOPICS.copy()
        rng.shuffle(topics)
        action_texts = ACTIONS.copy()
        for index, meeting in enumerate(held):
            agenda = [topics[(index * 2 + offset) % len(topics)] for offset in range(2)]
            _agenda(meeting, agenda, members, rng, actor)
            present, apologies = _attendance(meeting, members, rng, attendees_per_meeting, actor)
            counts["attendance"] += present + apologies
            latest = index == len(held) - 1
            _minutes(meeting, agenda, present, apologies, latest, minute_taker, rng, actor)
            counts["minutes"] += 1
            owners = rng.sample(members, k=min(len(members), 3))
            for number, owner in enumerate(owners):
                counts["actions"] += 1
                description = action_texts[(index * 3 + number) % len(action_texts)]
                due = timezone.localtime(meeting.start).date() + datetime.timedelta(weeks=rng.choice((4, 5, 6)))
                status = ActionStatus.OPEN
                if due < today - datetime.timedelta(weeks=8):
                    status = rng.choices([ActionStatus.DONE, ActionStatus.DROPPED, ActionStatus.OPEN], [8, 1, 1])[0]
                elif due < today:
                    status = rng.choice([ActionStatus.DONE, ActionStatus.OPEN])
                minutes.create_action(
                    actor=actor,
                    meeting=meeting,
                    data={"description": description, "owner": owner, "due_date": due, "status": status},
                )

        progress(2, steps, "Agendas for the next meetings")
        if upcoming:
            next_meeting = upcoming[0]
            _agenda(next_meeting, topics[:2], members, rng, actor)
        if len(upcoming) > 3:
            # One booked date clashes with the hub's refurbishment: cancelled, so calendars strike it out.
            meetings.cancel_meeting(actor=actor, meeting=upcoming[3])
    context["network_meetings"] = booked
    context["network_chair"] = chair
    progress(steps, steps, "Meetings are ready")
    return {f"network_{name}": value for name, value in counts.items()}


def _agenda(
    meeting: Meeting, agenda: list[tuple[str, str]], members: list[Contact], rng: random.Random, actor: Any
) -> None:
    items = [{"title": "Welcome and apologies", "minutes_allowed": 5}]
    items.append({"title": "Minutes of the last meeting and actions", "minutes_allowed": 10})
    items += [{"title": title, "presenter": rng.choice(members), "minutes_allowed": 25} for title, _summary in agenda]
    items.append({"title": "Service updates", "service_update": True, "minutes_allowed": 20})
    items.append({"title": "Any other business", "minutes_allowed": 5})
    for item in items:
        meetings.add_agenda_item(actor=actor, meeting=meeting, data=item)


def _attendance(
    meeting: Meeting, members: list[Contact], rng: random.Random, band: tuple[int, int], actor: Any
) -> tuple[int, int]:
    present = rng.sample(members, k=min(len(members), rng.randint(*band)))
    others = [member for member in members if member not in present]
    apologies = rng.sample(others, k=min(len(others), rng.randint(3, 10)))
    statuses = dict.fromkeys(present, AttendanceStatus.PRESENT)
    statuses.update(dict.fromkeys(apologies, AttendanceStatus.APOLOGIES))
    meetings.record_attendance(actor=actor, meeting=meeting, statuses=statuses)
    return len(present), len(apologies)


def _minutes(
    meeting: Meeting,
    agenda: list[tuple[str, str]],
    present: int,
    apologies: int,
    latest: bool,
    minute_taker: Contact,
    rng: random.Random,
    actor: Any,
) -> None:
    """Published minutes for every meeting but the latest, whose minutes are out for comment."""
    held_on = meeting.end
    circulated_at = held_on + datetime.timedelta(days=rng.randint(3, 7))
    record = Minutes(
        meeting=meeting,
        text=_minutes_text(meeting, agenda, present, apologies),
        status=MinutesStatus.CIRCULATED if latest else MinutesStatus.PUBLISHED,
        drafted_by=minute_taker.user,
        circulated_at=min(circulated_at, timezone.now()),
        published_at=None if latest else circulated_at + datetime.timedelta(days=14),
    )
    with acting_as(actor):
        record.save()
    for text in rng.sample(COMMENTS, k=rng.randint(0, 2)):
        MinutesComment.objects.create(minutes=record, author=actor if getattr(actor, "pk", None) else None, text=text)
