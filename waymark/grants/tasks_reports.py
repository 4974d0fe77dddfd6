"""Background work of grant reports. The task is thin and safe to run twice (see ``services.reports``)."""

from datetime import timedelta

from django.tasks import task

from waymark.core.scheduling import register_periodic
from waymark.grants.services.reports import send_report_reminders


@task()
def send_grant_report_reminders() -> int:
    """Every six hours: remind groups of reports coming due and overdue, each reminder once."""
    return send_report_reminders()


def register_periodic_jobs() -> None:
    """Called from GrantsConfig.ready()."""
    register_periodic(
        "grants_report_reminders", "waymark.grants.tasks_reports.send_grant_report_reminders", timedelta(hours=6)
    )
