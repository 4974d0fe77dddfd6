"""The staleness reminder: once per update interval to the lead of a late action, however often it runs."""

import datetime

import pytest
from django.utils import timezone

from waymark.core.models import EmailDelivery
from waymark.plans.choices import ActionStatus, PlanStatus
from waymark.plans.factories import ActionFactory
from waymark.plans.models import ActionReminder
from waymark.plans.services.actions import update_action
from waymark.plans.services.reminders import send_stale_action_reminders

DAY = datetime.timedelta(days=1)


@pytest.fixture
def lead(django_user_model):
    return django_user_model.objects.create_user("lead", email="lead@trust.example", first_name="Ama")


def _late_action(lead, *, days_since_update=31, **kwargs):
    action = ActionFactory(lead=lead, **kwargs)
    action.last_updated_at = timezone.now() - days_since_update * DAY
    action.save()
    return action


def _mails():
    return list(
        EmailDelivery.objects.filter(template="plans_stale_action").order_by("pk").values_list("to_address", "subject")
    )


@pytest.mark.django_db
def test_a_late_action_s_lead_is_reminded_once_even_when_the_job_runs_twice(lead, django_capture_on_commit_callbacks):
    action = _late_action(lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_stale_action_reminders() == 1
        assert send_stale_action_reminders() == 0
    mails = _mails()
    assert len(mails) == 1
    assert mails[0][0] == "lead@trust.example"
    assert action.code in mails[0][1]
    reminder = ActionReminder.objects.get()
    assert (reminder.action, reminder.interval_number, reminder.sent_to) == (action, 1, "lead@trust.example")


@pytest.mark.django_db
def test_a_reminder_row_written_by_another_run_stops_a_second_send(lead):
    """Two runs queued at once: the one that loses the race finds the interval's row and sends nothing."""
    action = _late_action(lead)
    ActionReminder.objects.create(
        action=action, updated_since=action.last_updated_at, interval_number=1, sent_to=lead.email
    )
    assert send_stale_action_reminders() == 0
    assert _mails() == []


@pytest.mark.django_db
def test_the_next_interval_reminds_again_and_says_stale(lead):
    _late_action(lead)
    send_stale_action_reminders()
    assert send_stale_action_reminders(now=timezone.now() + 30 * DAY) == 1
    assert send_stale_action_reminders(now=timezone.now() + 30 * DAY) == 0
    subjects = [subject for _to, subject in _mails()]
    assert len(subjects) == 2
    assert subjects[0].startswith("Update due") and subjects[1].startswith("Stale")
    assert sorted(ActionReminder.objects.values_list("interval_number", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_an_action_updated_by_its_lead_is_not_reminded(lead):
    action = _late_action(lead)
    update_action(actor=lead, action=action, data={"progress": 40})
    assert send_stale_action_reminders() == 0
    # and the clock restarts: late again only a full interval after the update
    assert send_stale_action_reminders(now=timezone.now() + 29 * DAY) == 0
    assert send_stale_action_reminders(now=timezone.now() + 31 * DAY) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ActionStatus.COMPLETE, ActionStatus.CANCELLED])
def test_finished_actions_are_never_reminded(lead, status):
    _late_action(lead, days_since_update=400, status=status)
    assert send_stale_action_reminders() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PlanStatus.DRAFT, PlanStatus.IN_CONSULTATION, PlanStatus.CLOSED])
def test_plans_not_being_worked_on_send_no_reminders(lead, status):
    _late_action(lead, objective__plan__status=status)
    assert send_stale_action_reminders() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.UNDER_REVIEW])
def test_working_plans_send_reminders(lead, status):
    _late_action(lead, objective__plan__status=status)
    assert send_stale_action_reminders() == 1


@pytest.mark.django_db
def test_an_action_on_time_or_without_a_lead_address_is_not_reminded(lead, django_user_model):
    _late_action(lead, days_since_update=10)
    _late_action(django_user_model.objects.create_user("no-address"))
    _late_action(None)
    assert send_stale_action_reminders() == 0


@pytest.mark.django_db
def test_an_action_never_updated_counts_from_when_it_was_made(lead):
    ActionFactory(lead=lead)
    assert send_stale_action_reminders() == 0
    assert send_stale_action_reminders(now=timezone.now() + 31 * DAY) == 1


def test_the_job_is_registered_every_six_hours():
    from waymark.core.scheduling import periodic_jobs

    job = next(job for job in periodic_jobs() if job.name == "plans_stale_action_reminders")
    assert job.task_path == "waymark.plans.tasks.send_stale_action_reminders"
    assert job.every == datetime.timedelta(hours=6)
