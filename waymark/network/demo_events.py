"""The demo borough's events and surveys: the network's launch for 100 people (30 places for directors and
NHS leaders, 70 for practitioners) with six workshops and a marketplace of stalls, held a few months ago,
with check-ins and an anonymous evaluation survey with responses; and a community café coming up, with
registration open and a waiting list.

Registrations go through ``services_events.register`` (so places and waiting lists follow the real rules)
without sending e-mail: demo people are never written to. Everything else comes from ``rng``.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from waymark.network.ical import LONDON
from waymark.network.models import (
    Contact,
    Event,
    EventStatus,
    Question,
    QuestionKind,
    RegistrationStatus,
    Stall,
    Survey,
    SurveyInvitation,
    SurveyStatus,
    TicketType,
    Workshop,
)
from waymark.network.services import events as services_events
from waymark.network.services import surveys as services_surveys

WORKSHOPS = [
    ("Culturally appropriate talking therapies", "Morning, 10:30 to 11:30"),
    ("Faith communities and crisis care", "Morning, 10:30 to 11:30"),
    ("Young people, schools and early help", "Morning, 10:30 to 11:30"),
    ("Detentions under the Mental Health Act: what the figures say", "Afternoon, 13:30 to 14:30"),
    ("Peer support and community development workers", "Afternoon, 13:30 to 14:30"),
    ("Housing, debt and mental health", "Afternoon, 13:30 to 14:30"),
]
STALL_NOTES = ["Needs a power socket.", "Bringing leaflets in five languages.", "", "Two people on the stall.", ""]
ACCESS_NEEDS = ["Step-free access", "Hearing loop", "Urdu interpreter", "Seat near the front", "BSL interpreter"]
DIETARY_NEEDS = ["Halal", "Vegetarian", "Vegan", "Gluten free", "Kosher", "No nuts"]
NEXT_YEAR = [
    "More workshops",
    "A longer marketplace",
    "An evening event",
    "Online sessions",
    "Sessions in other languages",
]
IMPROVEMENTS = [
    "More time for questions in the workshops.",
    "The room was too warm in the afternoon.",
    "Please share the slides afterwards.",
    "More people from faith groups next time.",
    "Great to meet commissioners face to face.",
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _people(contacts: list[Contact], rng: random.Random, count: int) -> list[Contact]:
    with_email = [contact for contact in contacts if contact.email]
    return rng.sample(with_email, k=min(count, len(with_email)))


def _organisation_name(contact: Contact) -> str:
    return contact.organisation.name if contact.organisation_id else ""  # type: ignore[union-attr]


def seed_events(
    *,
    rng: random.Random,
    size: str,
    actor: Any,
    progress: Callable[[int, int, str], None],
    context: dict[str, Any],
) -> dict[str, int]:
    """The launch (past) with its evaluation survey, and a café (coming up) with a waiting list."""
    scale = 1 if size == "full" else 4  # the small borough has a quarter of the places
    network = context["network"]
    contacts = list(
        Contact.objects.filter(pk__in=[c.pk for c in context["network_contacts"]]).select_related("organisation")
    )
    organisations = sorted(context["organisations"].values(), key=lambda org: org.name)
    today = timezone.localdate()
    steps = 3
    progress(0, steps, "Holding the network's launch event")

    with transaction.atomic():
        launch_day = today - datetime.timedelta(days=120)
        launch = services_events.save_event(
            actor=actor,
            event=Event(
                title="Riverside Mental Health Network launch",
                description=(
                    "The launch of the network: six workshops on race equality in mental health care, and a "
                    "marketplace where local groups and services show what they do."
                ),
                venue="Riverside Town Hall, Canal Street",
                starts_at=_at(launch_day, 9, 30),
                ends_at=_at(launch_day, 16, 0),
                network=network,
                status=EventStatus.PUBLISHED,
                registration_open=True,
            ),
        )
        leaders = services_events.save_event_part(
            actor=actor,
            part=TicketType(
                event=launch,
                name="Directors and NHS leaders",
                description="Directors, commissioners and senior NHS staff",
                capacity=30 // scale,
                order=1,
            ),
        )
        practitioners = services_events.save_event_part(
            actor=actor,
            part=TicketType(
                event=launch,
                name="Practitioners",
                description="Front-line staff, community workers and volunteers",
                capacity=70 // scale,
                order=2,
            ),
        )
        workshops = [
            services_events.save_event_part(
                actor=actor, part=Workshop(event=launch, title=title, slot=slot, capacity=20 // scale)
            )
            for title, slot in WORKSHOPS
        ]
        for number, organisation in enumerate(rng.sample(organisations, k=min(10 // scale + 2, len(organisations)))):
            services_events.save_event_part(
                actor=actor,
                part=Stall(
                    event=launch, organisation=organisation, table=f"Table {number + 1}", notes=rng.choice(STALL_NOTES)
                ),
            )
        mornings = [workshop for workshop in workshops if workshop.slot.startswith("Morning")]
        afternoons = [workshop for workshop in workshops if workshop.slot.startswith("Afternoon")]
        attendees = _people(contacts, rng, 110 // scale)
        for index, contact in enumerate(attendees):
            ticket = leaders if index % 4 == 0 else practitioners
            chosen = [rng.choice(mornings)] + ([rng.choice(afternoons)] if rng.random() < 0.8 else [])
            services_events.register(
                event=launch,
                ticket_type=ticket,
                name=contact.name,
                email=contact.email,
                organisation=_organisation_name(contact),
                access_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.1 else "",
                dietary_needs=rng.choice(DIETARY_NEEDS) if rng.random() < 0.3 else "",
                workshops=chosen,
                actor=actor,
                notify=False,
            )
        confirmed = list(launch.registrations.filter(status=RegistrationStatus.CONFIRMED))
        came = [registration for registration in confirmed if rng.random() < 0.85]
        for registration in came:
            registration.checked_in_at = launch.starts_at + datetime.timedelta(minutes=rng.randrange(0, 90))
            registration.save(update_fields=["checked_in_at"])
        launch.registration_open = False
        services_events.save_event(actor=actor, event=launch)
        # The launch is long past: the daily retention job has already erased its needs.
        erased = services_events.erase_event_needs()

    progress(1, steps, "Collecting the launch evaluation")
    with transaction.atomic():
        survey = services_surveys.save_survey(
            actor=actor,
            survey=Survey(
                title="Launch evaluation",
                introduction="Thank you for coming to the launch. Five questions, about three minutes.",
                network=network,
                event=launch,
                anonymous=True,
                results_public=True,
                status=SurveyStatus.OPEN,
            ),
        )
        useful = services_surveys.save_question(
            actor=actor,
            question=Question(
                survey=survey,
                kind=QuestionKind.SCALE,
                text="How useful was the day for your work?",
                required=True,
                scale_min_label="Not useful",
                scale_max_label="Very useful",
            ),
        )
        best = services_surveys.save_question(
            actor=actor,
            question=Question(survey=survey, kind=QuestionKind.SINGLE, text="Which workshop was most useful?"),
            options=[title for title, _slot in WORKSHOPS],
        )
        next_year = services_surveys.save_question(
            actor=actor,
            question=Question(survey=survey, kind=QuestionKind.MULTIPLE, text="What would you like next year?"),
            options=NEXT_YEAR,
        )
        again = services_surveys.save_question(
            actor=actor,
            question=Question(survey=survey, kind=QuestionKind.SINGLE, text="Would you come again?", required=True),
            options=["Yes", "Maybe", "No"],
        )
        better = services_surveys.save_question(
            actor=actor, question=Question(survey=survey, kind=QuestionKind.TEXT, text="What could we do better?")
        )
        # Invitations are recorded as sent without e-mailing anyone: demo people are never written to.
        invitations = SurveyInvitation.objects.bulk_create(
            [
                SurveyInvitation(
                    survey=survey, email=registration.email, name=registration.name, registration=registration
                )
                for registration in came
            ]
        )
        best_options = list(best.options.all())
        next_options = list(next_year.options.all())
        again_options = list(again.options.all())
        responses = 0
        for invitation in invitations:
            if rng.random() > 0.6:
                continue
            answers: dict[int, Any] = {
                useful.pk: rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 5])[0],
                best.pk: rng.choice(best_options).pk,
                next_year.pk: [option.pk for option in rng.sample(next_options, k=rng.randint(0, 3))],
                again.pk: rng.choices(again_options, weights=[8, 3, 1])[0].pk,
                better.pk: rng.choice(IMPROVEMENTS) if rng.random() < 0.4 else "",
            }
            services_surveys.submit_response(invitation=invitation, answers=answers)
            responses += 1
        survey.status = SurveyStatus.CLOSED
        services_surveys.save_survey(actor=actor, survey=survey)

    progress(2, steps, "Opening registration for the community café")
    with transaction.atomic():
        cafe_day = today + datetime.timedelta(days=42)
        cafe = services_events.save_event(
            actor=actor,
            event=Event(
                title="Community café: talking about mental health",
                description="An informal afternoon with tea, conversation and information from local groups.",
                venue="Canal Community Centre, 4 Lock Street",
                starts_at=_at(cafe_day, 13, 0),
                ends_at=_at(cafe_day, 16, 0),
                network=network,
                status=EventStatus.PUBLISHED,
                registration_open=True,
            ),
        )
        open_to_all = services_events.save_event_part(
            actor=actor, part=TicketType(event=cafe, name="Open to all", capacity=40 // scale, order=1)
        )
        for contact in _people(contacts, rng, 46 // scale):
            services_events.register(
                event=cafe,
                ticket_type=open_to_all,
                name=contact.name,
                email=contact.email,
                organisation=_organisation_name(contact),
                access_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.1 else "",
                dietary_needs=rng.choice(DIETARY_NEEDS) if rng.random() < 0.3 else "",
                actor=actor,
                notify=False,
            )
    progress(steps, steps, "Events and surveys are ready")
    context["network_events"] = {"launch": launch, "cafe": cafe}
    return {
        "events": 2,
        "event_registrations": len(attendees) + cafe.registrations.count(),
        "event_check_ins": len(came),
        "event_needs_erased": erased["registrations"],
        "survey_responses": responses,
    }
