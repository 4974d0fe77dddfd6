"""Test and demo builders for meetings: a network with members, meetings, minutes and actions."""

import datetime

import factory
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.network.ical import LONDON
from waymark.network.models import Action, Contact, Meeting, Membership, MembershipRole, Network


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Test network {n}")
    slug = factory.Sequence(lambda n: f"test-network-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    consent_to_contact = True
    lawful_basis = "consent"
    consent_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    contact = factory.SubFactory(ContactFactory)
    network = factory.SubFactory(NetworkFactory)
    role = MembershipRole.MEMBER
    joined = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))


def _next_week_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    title = "Network meeting"
    start = factory.LazyFunction(lambda: _next_week_at(14))
    end = factory.LazyAttribute(lambda meeting: meeting.start + datetime.timedelta(hours=2))
    venue = "Community Hub, Room 2"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Send the draft leaflet to members ({n})")
    owner = factory.SubFactory(ContactFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
