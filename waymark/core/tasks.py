"""Background tasks of the shared ground. Each is thin: it calls a service and is safe to run twice."""

from datetime import timedelta

from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waymark.core import email, jobs, personal_data
from waymark.core.choices import JobStatus
from waymark.core.models import Job

FINISHED_TASK_RETENTION = timedelta(days=90)


@task
def deliver_email(delivery_uuid: str) -> str:
    """Send one logged e-mail; returns its status afterwards."""
    return email.deliver(delivery_uuid)


@task
def retry_email_deliveries() -> dict[str, int]:
    """Try again the e-mail the mail server did not take, once each one's wait is over (scheduled every minute)."""
    return email.retry_due_deliveries()


@task
def enforce_retention() -> dict[str, int]:
    """Erase or delete personal data past its retention period (scheduled daily)."""
    return personal_data.enforce_retention()


@task
def purge_finished_tasks() -> dict[str, int]:
    """Delete task-worker results and Job rows that finished more than 90 days ago (scheduled daily)."""
    cutoff = timezone.now() - FINISHED_TASK_RETENTION
    task_results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    jobs, _ = Job.objects.filter(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED], finished_at__lt=cutoff).delete()
    return {"task_results": task_results, "jobs": jobs}


@task
def clear_expired_sessions() -> None:
    """Delete expired sessions (scheduled daily): anonymous visitors' shortlists would otherwise stay for ever."""
    call_command("clearsessions")


@task
def reap_stale_jobs() -> int:
    """Mark failed the running jobs whose worker has stopped (scheduled every minute)."""
    return jobs.reap_stale_jobs()
