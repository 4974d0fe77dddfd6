"""factory_boy builders for events and surveys, for tests and the browser journey."""

from datetime import timedelta

import factory
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.network.models import (
    Event,
    EventStatus,
    Question,
    QuestionKind,
    QuestionOption,
    Stall,
    Survey,
    TicketType,
    Workshop,
)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Network event {n}")
    description = "A day of workshops and a marketplace of local services."
    venue = "Riverside Community Hall, 1 Canal Street"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=6))
    status = EventStatus.PUBLISHED
    registration_open = True


class TicketTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketType

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Ticket type {n}")
    capacity = 10


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    capacity = 10
    slot = "Morning"


class StallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stall

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    table = factory.Sequence(lambda n: f"Table {n}")


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Evaluation {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    order = factory.Sequence(lambda n: n)


class QuestionOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionOption

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Option {n}")
    order = factory.Sequence(lambda n: n)
