"""The roll-up rule printed on the plan page: worst RAG, plain mean of progress, cancelled actions left out."""

import datetime

import pytest
from django.utils import timezone

from waymark.plans import progress
from waymark.plans.choices import ActionStatus, Freshness, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory


@pytest.mark.django_db
def test_an_objective_takes_the_worst_rating_and_the_mean_progress():
    objective = ObjectiveFactory()
    ActionFactory(objective=objective, rag=Rag.GREEN, progress=100)
    ActionFactory(objective=objective, rag=Rag.AMBER, progress=50)
    ActionFactory(objective=objective, rag=Rag.NOT_RATED, progress=0)
    rollup = progress.roll_up(objective.actions.all())
    assert rollup.rag == Rag.AMBER
    assert rollup.progress == 50
    assert rollup.counts[Rag.GREEN] == 1


@pytest.mark.django_db
def test_red_beats_amber_and_cancelled_actions_count_for_nothing():
    objective = ObjectiveFactory()
    ActionFactory(objective=objective, rag=Rag.AMBER, progress=20)
    ActionFactory(objective=objective, rag=Rag.RED, progress=0, status=ActionStatus.CANCELLED)
    assert progress.roll_up(objective.actions.all()).rag == Rag.AMBER
    ActionFactory(objective=objective, rag=Rag.RED, progress=40)
    rollup = progress.roll_up(objective.actions.all())
    assert (rollup.rag, rollup.progress, rollup.actions) == (Rag.RED, 30, 2)


@pytest.mark.django_db
def test_an_action_goes_late_after_one_interval_and_stale_after_two():
    action = ActionFactory()
    plan = action.objective.plan
    now = timezone.now()
    action.last_updated_at = now - datetime.timedelta(days=plan.update_interval_days - 1)
    assert progress.freshness(action, plan, now) == Freshness.CURRENT
    action.last_updated_at = now - datetime.timedelta(days=plan.update_interval_days + 1)
    assert progress.freshness(action, plan, now) == Freshness.LATE
    action.last_updated_at = now - datetime.timedelta(days=2 * plan.update_interval_days + 1)
    assert progress.freshness(action, plan, now) == Freshness.STALE
    action.status = ActionStatus.COMPLETE
    assert progress.freshness(action, plan, now) == Freshness.CURRENT
