"""factory_boy builders for distribution lists and bulletins. Contacts, networks and memberships are
built with the factories in ``factories_meetings`` (one set for the whole network app)."""

import factory

from waymark.network.factories_meetings import NetworkFactory
from waymark.network.models import Bulletin, DistributionList


class DistributionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionList

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"List {n}")
    all_members = True


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin

    distribution_list = factory.SubFactory(DistributionListFactory)
    network = factory.LazyAttribute(lambda bulletin: bulletin.distribution_list.network)
    subject = factory.Sequence(lambda n: f"Network news {n}")
    body = "## This month\n\n- Housing surgery on **Tuesday**\n- [Read the report](https://example.org/report)"
