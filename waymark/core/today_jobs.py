"""The background jobs a person is told about on the home page, and the job list's filters that show them."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from waymark.core.choices import JobStatus
from waymark.core.models import Job
from waymark.core.today import Line

RECENT_DAYS = 7


def filter_jobs[Jobs: QuerySet[Job]](jobs: Jobs, *, status: str = "", recent: bool = False) -> Jobs:
    """The job list's filters: one status, and "finished in the last week" (succeeded or failed)."""
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    if recent:
        since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
        jobs = jobs.filter(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], finished_at__gte=since)
    return jobs


def failed_jobs(user: Any) -> list[Line]:
    """Administrators: every failed job, whoever started it."""
    count = filter_jobs(Job.objects.visible_to(user), status=JobStatus.FAILED).count()
    text = ngettext("%(count)d background job failed", "%(count)d background jobs failed", count) % {"count": count}
    return [Line(text, reverse("core:job_list") + "?status=failed", count, urgent=bool(count))]


def my_finished_jobs(user: Any) -> list[Line]:
    """Imports and exports the user started that finished, or failed, in the last week."""
    count = filter_jobs(Job.objects.filter(created_by_id=user.pk), recent=True).count()
    text = ngettext(
        "%(count)d of your imports or exports finished or failed this week",
        "%(count)d of your imports or exports finished or failed this week",
        count,
    ) % {"count": count}
    return [Line(text, reverse("core:job_list") + "?recent=1&mine=1", count)]
