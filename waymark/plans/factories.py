"""Factories for plans tests: a plan with an objective and an action, built through the models directly."""

import datetime

import factory

from waymark.core.factories import OrganisationFactory
from waymark.plans.choices import PlanStatus, PlanType
from waymark.plans.models import Action, Objective, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Race equality plan {n}")
    plan_type = PlanType.PCREF
    owner = factory.SubFactory(OrganisationFactory)
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2028, 3, 31)
    status = PlanStatus.PUBLISHED
    board_lead_name = "Chief Nurse"
    board_lead_role = "Executive lead for PCREF"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Objective {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    title = factory.Sequence(lambda n: f"Action {n}")
    lead_organisation = factory.SelfAttribute("objective.plan.owner")
    due_date = datetime.date(2026, 3, 31)
