"""Background work of plans. Each task is thin, calls a service and is safe to run twice."""

from django.tasks import task

from waymark.plans.services import reminders


@task()
def send_stale_action_reminders() -> int:
    """Every six hours: remind the leads of late actions, once per update interval however often queued."""
    return reminders.send_stale_action_reminders()
