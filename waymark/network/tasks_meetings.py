"""Background work of network meetings. Each task is thin and safe to run twice."""

from datetime import timedelta

from django.tasks import task

from waymark.core.scheduling import register_periodic
from waymark.network.services.minutes import send_overdue_digest


@task()
def send_overdue_actions_digest() -> int:
    """Weekly: tell owners and chairs about overdue actions (once per person per week, however often queued)."""
    return send_overdue_digest()


def register_periodic_jobs() -> None:
    """Called from NetworkConfig.ready()."""
    register_periodic(
        "network_overdue_actions_digest",
        "waymark.network.tasks_meetings.send_overdue_actions_digest",
        timedelta(weeks=1),
    )
