"""Factories for gradings tests: an EDS 2022 grading with all eleven outcomes graded, made through the models."""

import datetime

import factory

from waymark.core.factories import OrganisationFactory
from waymark.plans.choices import GraderRole
from waymark.plans.gradings import eds_outcomes
from waymark.plans.models import EdsGrader, EdsGrading, EdsOutcomeGrade


def all_grades(grade: int = 1, evidence: str = "") -> dict[str, tuple[int, str]]:
    """The ``grades`` argument of ``record_eds_grading``: every current outcome at ``grade``."""
    return {outcome.code: (grade, evidence) for outcome in eds_outcomes()}


class EdsGradingFactory(factory.django.DjangoModelFactory):
    """A grading of every outcome at ``grade`` (1 unless given), graded by its own staff."""

    class Meta:
        model = EdsGrading
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2024
    graded_on = datetime.date(2025, 1, 15)
    publish_by = datetime.date(2025, 2, 28)

    @factory.post_generation
    def grade(self, create: bool, extracted: int | None, **kwargs: object) -> None:
        if not create:
            return
        grading: EdsGrading = self  # type: ignore[assignment]
        for outcome in eds_outcomes():
            EdsOutcomeGrade.objects.create(
                grading=grading, outcome=outcome, grade=1 if extracted is None else extracted
            )
        EdsGrader.objects.create(grading=grading, organisation=grading.organisation, role=GraderRole.STAFF)
