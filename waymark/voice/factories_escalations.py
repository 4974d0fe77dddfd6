"""factory_boy builders for issues, escalations and answers. Text is synthetic."""

import datetime

import factory
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.voice.models import Escalation, Issue, ReceivedBy, Response, ResponseOutcome


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"People cannot get an interpreter at the clinic (test issue {n})")
    description = "Several people told us appointments went ahead without an interpreter they had asked for."


class EscalationFactory(factory.django.DjangoModelFactory):
    """An escalation sent today, awaiting an answer in 20 days (the service works out working days)."""

    class Meta:
        model = Escalation

    issue = factory.SubFactory(IssueFactory)
    responder = factory.SubFactory(OrganisationFactory)
    question = "Please tell us how interpreters will be booked for every appointment that needs one."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    escalation = factory.SubFactory(EscalationFactory, status="answered")
    text = "We have changed the booking system so the interpreter request is carried to every appointment."
    outcome = ResponseOutcome.ACCEPTED
    what_changed = "Interpreter requests now carry over to follow-up appointments."
    received_by = ReceivedBy.ACCOUNT
