"""Factories for partnership tests, built through the models directly."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from waymark.core.factories import OrganisationFactory
from waymark.core.models import Community, Theme
from waymark.partnership.choices import ActivityType, ConsultationMethod, ConsultationStatus
from waymark.partnership.models import Activity, CdwTeam, Consultation, Decision, Partnership


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Community {n}")
    kind = "ethnic_group"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"test-theme-{n}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Race equality partnership {n}")
    purpose = "Co-ordinate the borough's work on race equality in mental health."


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A planned consultation starting in a fortnight; pass ``communities=[…]`` and ``themes=[…]``."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Consultation {n}")
    purpose = "Hear what people think of crisis care."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda consultation: consultation.starts_on + datetime.timedelta(days=28))
    method = ConsultationMethod.FOCUS_GROUP
    lead_organisation = factory.SubFactory(OrganisationFactory)
    contact_name = "Engagement lead"
    contact_email = "engagement@example.org"
    status = ConsultationStatus.PLANNED

    @factory.post_generation
    def communities(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.communities.set(extracted)

    @factory.post_generation
    def themes(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.themes.set(extracted)


class CdwTeamFactory(factory.django.DjangoModelFactory):
    """A team; pass ``manager=`` (a user) and ``workers=[…]``."""

    class Meta:
        model = CdwTeam
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CDW team {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def workers(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.workers.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    """Two hours of outreach serving one function (change agent unless others are set); pass ``worker=``."""

    class Meta:
        model = Activity

    date = factory.LazyFunction(timezone.localdate)
    hours = Decimal("2.00")
    activity_type = ActivityType.OUTREACH
    change_agent = True


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision taken last month by the partnership board; pass ``partnership=`` or get a new one."""

    class Meta:
        model = Decision

    partnership = factory.SubFactory(PartnershipFactory)
    decision = factory.Sequence(lambda n: f"Commission interpreting for every crisis assessment ({n})")
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    rationale = "Communities told us assessments went ahead without an interpreter."
    decided_by = "The partnership board, by consensus"


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    """A member organisation of a partnership; pass ``partnership=`` and ``lead=``/``deputy=`` as needed."""

    class Meta:
        model = "partnership.PartnershipMember"

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = datetime.date(2025, 4, 1)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    """One cell of a partnership's who-does-what matrix; pass ``partnership=``, ``organisation=`` and ``objective=``."""

    class Meta:
        model = "partnership.Responsibility"

    level = "lead"
