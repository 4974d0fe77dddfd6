"""Background tasks of escalations. Thin: each calls a service and is safe to run twice."""

from django.tasks import task

from waymark.voice.services import reminders


@task
def send_escalation_reminders() -> dict[str, int]:
    """E-mail the reminders due today, before and after escalations' due dates (scheduled every hour)."""
    return reminders.send_due_reminders()
