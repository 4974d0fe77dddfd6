"""Background work of bulletins: the job that renders and sends a bulletin's e-mails. Thin and safe to run twice."""

from typing import Any

from waymark.core.jobs import JobProgress, job_task
from waymark.core.models import Job
from waymark.network.models import Bulletin
from waymark.network.services import bulletins


def _always(job: Job) -> bool:
    """Sending again e-mails only those not yet e-mailed: the recipients and deliveries are recorded."""
    return True


@job_task(can_run_again=_always)
def deliver_bulletin_job(*, job: Job, progress: JobProgress, bulletin_uuid: str) -> dict[str, Any]:
    """Render and send the e-mail of each recipient ``send_bulletin()`` recorded; report how many went."""
    bulletin = Bulletin.objects.get(uuid=bulletin_uuid)
    outcome = bulletins.deliver_bulletin(bulletin=bulletin, actor=job.created_by, progress=progress)
    return {"sent": outcome.sent, "skipped": outcome.skipped_total}
