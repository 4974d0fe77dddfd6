"""Background work for events: the daily erasure of access and dietary needs."""

from datetime import timedelta

from django.tasks import task

from waymark.core.scheduling import register_periodic
from waymark.network.services import events as services_events


@task
def erase_event_needs() -> dict[str, int]:
    """Erase access and dietary needs once their event is over (scheduled daily)."""
    return services_events.erase_event_needs()


def register_periodic_jobs() -> None:
    """Called from the app's ready(): the daily erasure of access and dietary needs."""
    register_periodic("network_erase_event_needs", "waymark.network.tasks_events.erase_event_needs", timedelta(days=1))
