"""factory_boy builders for directory tests.

They write straight to the database, without an audit actor: tests about history create records
through ``directory.services``. A ServiceFactory service is in the search index once built; a
LocationFactory location gets its public point, so distance search can measure to it.
"""

import datetime

import factory

from waymark.core.factories import OrganisationFactory
from waymark.directory.choices import FundingType, LocationVisibility, ServiceStatus, Weekday
from waymark.directory.models import (
    Contact,
    FundingSource,
    Location,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from waymark.directory.services import refresh_location_points, refresh_search_index


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = factory.Sequence(lambda n: f"Test taxonomy {n}")


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"test-term-{n}")
    name = factory.Sequence(lambda n: f"Test need {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published, active service with a phone number, so it can be seen by the public."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test service {n}")
    description = "Listening support for people who are struggling."
    phone = "020 7946 0000"
    status = ServiceStatus.ACTIVE
    published = True
    self_referral = True
    last_verified_on = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def categories(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.categories.set(extracted)  # type: ignore[attr-defined]

    @factory.post_generation
    def languages(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.languages.set(extracted)  # type: ignore[attr-defined]

    @factory.post_generation
    def communities(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.communities.set(extracted)  # type: ignore[attr-defined]

    @factory.post_generation
    def search_index(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            refresh_search_index([self.pk])  # type: ignore[attr-defined]
            self.refresh_from_db(fields=["search_document"])  # type: ignore[attr-defined]


class LocationFactory(factory.django.DjangoModelFactory):
    """A fully visible location; pass ``postcode``, ``latitude`` and ``longitude`` to place it."""

    class Meta:
        model = Location
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test venue {n}")
    address_1 = factory.Sequence(lambda n: f"{n + 1} Canal Road")
    city = "London"
    postcode = "ZZ1 1AA"
    visibility = LocationVisibility.FULL

    @factory.post_generation
    def services(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.services.set(extracted)  # type: ignore[attr-defined]

    @factory.post_generation
    def public_point(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            refresh_location_points([self])  # type: ignore[list-item]
            self.refresh_from_db(fields=["public_latitude", "public_longitude"])  # type: ignore[attr-defined]


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    service = factory.SubFactory(ServiceFactory)
    title = "Duty worker"
    phone = "020 7946 0001"
    public = True


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = Weekday.MO
    opens_at = datetime.time(9, 0)
    closes_at = datetime.time(17, 0)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    """Organisation-wide funding ending in six months; pass ``service`` to tie it to one service."""

    class Meta:
        model = FundingSource

    service = None
    organisation = factory.LazyAttribute(lambda o: o.service.organisation if o.service else OrganisationFactory())
    funder = factory.Sequence(lambda n: f"Test funder {n}")
    funding_type = FundingType.GRANT
    amount = 10_000
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=180))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=180))
