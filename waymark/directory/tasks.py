"""Background work of the directory. Each task is thin: it calls a function that is safe to run twice."""

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from waymark.core.email import send_email
from waymark.directory.choices import FeedRunOutcome
from waymark.directory.feeds import syncing
from waymark.directory.models import Service


def send_review_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """E-mail each owner the list of their services due for review, once per owner per ISO week.

    The dedupe key names the owner and the week, so a second run in the same week sends nothing.
    """
    today = today or timezone.localdate()
    by_owner: dict[Any, list[Service]] = defaultdict(list)
    due = (
        Service.objects.due_for_review(today)
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner", "organisation")
        .order_by("owner_id", "name")
    )
    for service in due:
        by_owner[service.owner].append(service)
    year, week, _weekday = today.isocalendar()
    sent = 0
    for owner, services in by_owner.items():
        deliveries = send_email(
            to=owner.email,
            template="directory_review_reminder",
            context={
                "owner": owner,
                "services": [
                    {
                        "name": service.name,
                        "organisation": service.organisation.name,
                        "last_verified_on": service.last_verified_on,
                        "url": settings.SITE_URL + reverse("directory:service_staff_detail", args=[service.uuid]),
                    }
                    for service in services
                ],
                "review_url": settings.SITE_URL + reverse("directory:review_queue"),
            },
            dedupe_key=f"directory_review_reminder:{owner.pk}:{year}-W{week:02d}",
        )
        sent += len(deliveries)
    return {"owners": len(by_owner), "services": sum(len(s) for s in by_owner.values()), "emails": sent}


@task
def remind_unverified_services() -> dict[str, int]:
    """Remind owners of services not verified for twelve months (scheduled weekly)."""
    return send_review_reminders()


@task
def read_neighbours_feeds() -> dict[str, int]:
    """Read every neighbour's feed that is due (scheduled every quarter of an hour; each feed has its own pace)."""
    runs = syncing.read_due_feeds()
    return {"feeds": len(runs), "failed": sum(1 for run in runs if run.outcome == FeedRunOutcome.FAILED)}
