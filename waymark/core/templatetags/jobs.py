"""Template helpers for pages that follow a background job."""

from django import template

from waymark.core import jobs
from waymark.core.models import Job

register = template.Library()


@register.filter
def can_run_again(job: Job | None) -> bool:
    """Whether the page may offer "Run again": a failed job of a kind safe to run twice, with its input kept."""
    return job is not None and jobs.can_run_again(job)
