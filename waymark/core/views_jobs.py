"""Background jobs: the list of jobs a person may see, and a job's page, which follows its progress."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from waymark.accounts import policy
from waymark.core.models import Job

JOBS_PER_PAGE = 25


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Administrators see every job; everyone else the jobs they started."""
    jobs = Job.objects.visible_to(request.user).select_related("created_by")
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/job_list.html",
        {
            "page_obj": page,
            "jobs": page.object_list,
            "sees_all": policy.can(request.user, "job.view_all"),
            "breadcrumbs": [(_("Home"), reverse("core:home"))],
        },
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """The job's page. Its progress block asks again every 2 seconds (htmx) until the job has finished,
    and for those requests only the block is sent back."""
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("created_by"), uuid=uuid)
    context = {"job": job, "result_items": _result_items(job)}
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "core/_job_progress.html", context)
    context["breadcrumbs"] = [(_("Home"), reverse("core:home")), (_("Background jobs"), reverse("core:job_list"))]
    return render(request, "core/job_detail.html", context)


def _result_items(job: Job) -> list[tuple[str, Any]]:
    """The job's result as (readable label, value) pairs: keys such as ``rows_loaded`` read 'Rows loaded'."""
    result = job.result if isinstance(job.result, dict) else {"result": job.result}
    return [(str(key).replace("_", " ").capitalize(), value) for key, value in result.items()]
