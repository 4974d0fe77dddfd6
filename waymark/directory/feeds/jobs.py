""" "Read now": a feed read as a background job, so the page can follow it."""

from typing import Any

from waymark.core.jobs import JobProgress, job_task
from waymark.core.models import Job
from waymark.directory.choices import FeedRunOutcome
from waymark.directory.feeds.syncing import read_feed_now
from waymark.directory.models import Feed

FEED_READ_JOB_NAME = "directory_feed_read"


class FeedReadFailed(Exception):
    """The feed could not be read; the records read before are unchanged."""


@job_task
def read_feed_job(*, job: Job, progress: JobProgress, feed_uuid: str) -> dict[str, Any]:
    feed = Feed.objects.get(uuid=feed_uuid)
    run = read_feed_now(
        feed, actor=job.created_by, progress=lambda done, total: progress(done, total, "Reading the feed")
    )
    result = {"run": run.pk, "outcome": run.outcome, "message": run.message}
    if run.outcome != FeedRunOutcome.READ:
        job.result = result
        job.save(update_fields=["result"])
        raise FeedReadFailed(run.message)
    return result
