"""Factories for grants tests, built through the models directly (the services are what tests exercise)."""

import datetime
from decimal import Decimal
from typing import cast

import factory
from django.utils import timezone

from waymark.accounts.factories import UserFactory
from waymark.core.choices import OrganisationType
from waymark.core.factories import OrganisationFactory
from waymark.grants.choices import ApplicationStatus, AssessmentStatus, DecisionOutcome
from waymark.grants.models import (
    Application,
    Assessment,
    Criterion,
    EligibilityQuestion,
    GrantDecision,
    GrantReport,
    Payment,
    Programme,
    Question,
    ReportingTier,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An open, published programme of £20,000 for awards of £500 to £5,000, with two questions, two criteria
    (weights 2 and 1), one eligibility question and one reporting tier."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"seed-{n}")
    title = factory.Sequence(lambda n: f"Community seed fund {n}")
    funder = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.LOCAL_AUTHORITY)
    summary = "Small grants for community groups working on mental health."
    criteria = "Groups led by and for the communities they serve."
    budget = Decimal("20000.00")
    minimum_award = Decimal("500.00")
    maximum_award = Decimal("5000.00")
    eligible_types = factory.LazyFunction(
        lambda: [OrganisationType.CHARITY, OrganisationType.COMMUNITY_GROUP, OrganisationType.SOCIAL_ENTERPRISE]
    )
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyAttribute(lambda programme: programme.opens_on + datetime.timedelta(days=42))
    decision_by = factory.LazyAttribute(lambda programme: programme.closes_on + datetime.timedelta(days=28))
    payment_by = factory.LazyAttribute(lambda programme: programme.decision_by + datetime.timedelta(days=14))
    languages = factory.LazyFunction(lambda: ["ur", "pl", "bn"])
    published = True

    @factory.post_generation
    def with_parts(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if not create or extracted is False:
            return
        programme = cast(Programme, self)
        Question.objects.create(programme=programme, key="need", text="What need will the money meet?", word_limit=150)
        Question.objects.create(
            programme=programme, key="difference", text="What difference will it make?", word_limit=150, order=1
        )
        Criterion.objects.create(programme=programme, title="Need", weight=2)
        Criterion.objects.create(programme=programme, title="Led by the community", weight=1, order=1)
        EligibilityQuestion.objects.create(
            programme=programme,
            text="Is your group based in the borough?",
            explanation="This programme funds groups based in the borough.",
        )
        ReportingTier.objects.create(
            programme=programme, questions=["What did you do?", "Who took part?"], months_after_start=12
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application from a community group for £2,000."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"TEST-{n:05d}")
    programme = factory.SubFactory(ProgrammeFactory)
    status = ApplicationStatus.SUBMITTED
    contact_name = "Applicant"
    contact_email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    organisation_name = factory.Sequence(lambda n: f"Community group {n}")
    organisation_type = OrganisationType.COMMUNITY_GROUP
    postcode = "ZZ1 1AA"
    project_title = factory.Sequence(lambda n: f"Wellbeing circle {n}")
    project_summary = "Weekly peer support in the community's own language."
    amount_requested = Decimal("2000.00")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda application: application.starts_on + datetime.timedelta(days=364))
    answers = factory.LazyFunction(lambda: {"need": "People wait months for help.", "difference": "Less isolation."})
    submitted_at = factory.LazyFunction(timezone.now)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A seat awaiting its assessor's declaration of interest."""

    class Meta:
        model = Assessment

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.IN_ASSESSMENT)
    assessor = factory.SubFactory(UserFactory)
    status = AssessmentStatus.AWAITING_DECLARATION


class GrantDecisionFactory(factory.django.DjangoModelFactory):
    """An award of £2,000 for a year."""

    class Meta:
        model = GrantDecision

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.AWARDED)
    outcome = DecisionOutcome.AWARD
    amount_awarded = Decimal("2000.00")
    reason = "A clear need, and the group is trusted by the people it serves."
    grant_identifier = factory.Sequence(lambda n: f"360G-waymark-TEST-{n:05d}")
    award_date = factory.LazyFunction(timezone.localdate)
    starts_on = factory.LazyAttribute(lambda decision: decision.application.starts_on)
    ends_on = factory.LazyAttribute(lambda decision: decision.application.ends_on)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    decision = factory.SubFactory(GrantDecisionFactory)
    amount = Decimal("1000.00")
    due_on = factory.LazyFunction(timezone.localdate)


# aftercare
class GrantReportFactory(factory.django.DjangoModelFactory):
    """A report due a year after its award, asking two questions."""

    class Meta:
        model = GrantReport

    decision = factory.SubFactory(GrantDecisionFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    questions = factory.LazyFunction(lambda: ["What did you do?", "Who took part?"])
