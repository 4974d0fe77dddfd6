"""Background jobs: the list of jobs a person may see, and the one page that follows a job's progress."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from waymark.core import jobs, policy, today_jobs
from waymark.core.choices import JobStatus
from waymark.core.lists import page_of, wants_partial
from waymark.core.models import Job

JOBS_PER_PAGE = 25
StrOrPromise = str | Promise  # a translated sentence, lazily or at once


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Administrators see every job; everyone else the jobs they started. The home page's counts link here
    filtered: ``?status=failed``, ``?recent=1`` (finished in the last week) and ``?mine=1``."""
    jobs = Job.objects.visible_to(request.user).select_related("created_by")
    mine = request.GET.get("mine") == "1"
    if mine:
        jobs = jobs.filter(created_by_id=request.user.pk)
    status = request.GET.get("status", "")
    recent = request.GET.get("recent") == "1"
    jobs = today_jobs.filter_jobs(jobs, status=status, recent=recent)
    page = page_of(request, jobs, JOBS_PER_PAGE)
    return render(
        request,
        "core/job_list.html",
        {
            "page_obj": page,
            "jobs": page.object_list,
            "sees_all": policy.can(request.user, "job.view_all"),
            "filtered": mine or recent or status in JobStatus.values,
            "breadcrumbs": [(_("Home"), reverse("core:home"))],
        },
    )


def job_page(
    request: HttpRequest,
    job: Job,
    *,
    progress_template: str,
    context: dict[str, Any],
    breadcrumbs: list[tuple[StrOrPromise, str]],
    caption: StrOrPromise,
    while_running: StrOrPromise,
    heading: StrOrPromise = "",
    wide: bool = False,
) -> HttpResponse:
    """The one page that follows a background job, whatever its kind: the caption, the job's label (or
    ``heading``) and, while it runs, ``while_running``, above ``progress_template``, the kind's own block of
    progress and outcome. That block asks again every 2 seconds (htmx) until the job has finished, and for
    those requests only the block is sent back."""
    context = {"job": job, **context}
    if wants_partial(request):
        return render(request, progress_template, context)
    context["breadcrumbs"] = breadcrumbs
    context["job_page"] = {
        "caption": caption,
        "heading": heading,
        "while_running": while_running,
        "progress_template": progress_template,
        "column": "full" if wide else "two-thirds",
    }
    return render(request, "core/job_page.html", context)


@login_required
@require_GET
def job_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """Any job's page: its status, progress and result."""
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("created_by"), uuid=uuid)
    return job_page(
        request,
        job,
        progress_template="core/_job_progress.html",
        context={"result_items": _result_items(job)},
        breadcrumbs=[(_("Home"), reverse("core:home")), (_("Background jobs"), reverse("core:job_list"))],
        caption=_("Background job"),
        while_running=_(
            "This page updates by itself while the job runs. You can leave it and come back: the job carries on."
        ),
    )


@login_required
@require_POST
def job_run_again(request: HttpRequest, uuid: str) -> HttpResponse:
    """Queue a stopped job again (kinds safe to run twice only), then go back to the page that follows it."""
    job = get_object_or_404(Job.objects.visible_to(request.user), uuid=uuid)
    try:
        jobs.run_again(job, actor=request.user)
    except jobs.CannotRunAgain:
        messages.error(request, _("This job cannot be run again. Start it afresh instead."))
    else:
        messages.success(request, _("The job is queued again."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = job.get_absolute_url()
    return redirect(back)


def _result_items(job: Job) -> list[tuple[str, Any]]:
    """The job's result as (readable label, value) pairs: keys such as ``rows_loaded`` read 'Rows loaded'."""
    result = job.result if isinstance(job.result, dict) else {"result": job.result}
    return [(str(key).replace("_", " ").capitalize(), value) for key, value in result.items()]
