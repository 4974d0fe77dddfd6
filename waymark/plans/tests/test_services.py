"""Plans from templates, and the lead's update with its RAG reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from waymark.core.factories import OrganisationFactory
from waymark.plans.choices import ActionStatus, PlanType, Rag
from waymark.plans.factories import ActionFactory
from waymark.plans.models import PlanTemplate
from waymark.plans.services.actions import add_action, update_action
from waymark.plans.services.plans import create_plan


@pytest.mark.django_db
def test_a_pcref_plan_starts_with_governance_six_competencies_and_feedback():
    plan = create_plan(
        actor=None,
        data={
            "title": "Our PCREF plan",
            "plan_type": PlanType.PCREF,
            "owner": OrganisationFactory(),
            "period_start": datetime.date(2025, 4, 1),
            "period_end": datetime.date(2028, 3, 31),
        },
        template=PlanTemplate.objects.get(code="pcref"),
    )
    codes = list(plan.objectives.values_list("code", flat=True))
    assert codes == ["G", "C1", "C2", "C3", "C4", "C5", "C6", "F"]
    assert plan.objectives.get(code="C6").title == "Co-production"


@pytest.mark.django_db
def test_an_eds_plan_starts_with_the_eleven_outcomes():
    plan = create_plan(
        actor=None,
        data={
            "title": "EDS 2022",
            "plan_type": PlanType.EDS,
            "owner": OrganisationFactory(),
            "period_start": datetime.date(2025, 4, 1),
            "period_end": datetime.date(2026, 3, 31),
        },
        template=PlanTemplate.objects.get(code="eds2022"),
    )
    assert plan.objectives.count() == 11


@pytest.mark.django_db
@pytest.mark.parametrize("rag", [Rag.RED, Rag.AMBER])
def test_red_or_amber_without_a_reason_is_refused_on_the_reason(rag):
    action = ActionFactory()
    with pytest.raises(ValidationError) as refused:
        update_action(actor=None, action=action, data={"rag": rag, "rag_reason": "  "})
    assert "rag_reason" in refused.value.message_dict
    action.refresh_from_db()
    assert action.rag == Rag.NOT_RATED


@pytest.mark.django_db
def test_a_rating_change_is_kept_with_its_reason_and_restarts_the_clock(django_user_model):
    lead = django_user_model.objects.create_user("lead")
    action = ActionFactory(lead=lead)
    update_action(actor=lead, action=action, data={"rag": Rag.AMBER, "rag_reason": "Recruitment delayed"})
    update_action(actor=lead, action=action, data={"rag": Rag.GREEN, "rag_reason": "Posts filled", "progress": 60})
    ratings = list(action.history.order_by("history_date").values_list("rag", "rag_reason", "history_user"))
    assert ratings[-2:] == [(Rag.AMBER, "Recruitment delayed", lead.pk), (Rag.GREEN, "Posts filled", lead.pk)]
    assert action.last_updated_at is not None


@pytest.mark.django_db
def test_completing_an_action_sets_its_date_and_full_progress():
    action = update_action(actor=None, action=ActionFactory(), data={"status": ActionStatus.COMPLETE})
    assert action.progress == 100 and action.completed_on is not None


@pytest.mark.django_db
def test_a_due_date_outside_the_plans_period_is_refused_on_the_due_date():
    action = ActionFactory()
    with pytest.raises(ValidationError) as refused:
        add_action(
            actor=None,
            objective=action.objective,
            data={
                "code": "9.9",
                "title": "Late",
                "lead_organisation": action.lead_organisation,
                "due_date": datetime.date(2030, 1, 1),
            },
        )
    assert "due_date" in refused.value.message_dict
