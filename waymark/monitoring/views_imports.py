"""Upload population and activity files, follow the import's progress and read what was wrong with a file.

The upload is checked at the edge (form), then ``monitoring.services.imports`` stores it and queues the job; the
batch page follows the job (htmx, every 2 seconds) and then shows the outcome: figures written and the
batches replaced, or every problem by row and field with the rest counted by field and error.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.lists import filtered_list_page, page_of, wants_partial
from waymark.core.models import Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.core.uploads import accepts_upload
from waymark.monitoring.choices import ImportStatus, Measure
from waymark.monitoring.filtersets import ImportBatchFilterSet
from waymark.monitoring.forms import ActivityUploadForm, PopulationUploadForm
from waymark.monitoring.models import ImportBatch
from waymark.monitoring.permissions import monitoring_provider_ids
from waymark.monitoring.services import imports

BATCHES_PER_PAGE = 25
ERRORS_PER_PAGE = 100


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))]


def _imports_crumbs() -> list[tuple[str, str]]:
    return [*_crumbs(), (_("Imports"), reverse("monitoring:import_list"))]


@require_permission("monitoring.view_imports")
def import_list(request: HttpRequest) -> HttpResponse:
    """The batches this user may see, filtered by the API's FilterSet; htmx gets the results alone."""
    batches = ImportBatch.objects.visible_to(request.user).select_related("provider", "uploaded_by")
    return filtered_list_page(
        request,
        ImportBatchFilterSet(request.GET or None, queryset=batches, request=request),
        per_page=BATCHES_PER_PAGE,
        template="monitoring/import_list.html",
        rows_template="monitoring/_import_rows.html",
        rows_name="batches",
        context={
            "can_import_population": policy.can(request.user, "monitoring.import_population"),
            "can_import_activity": policy.can(request.user, "monitoring.import_activity"),
            "breadcrumbs": _crumbs(),
        },
    )


@accepts_upload("monitoring")
@require_permission("monitoring.import_population")
def import_population(request: HttpRequest) -> HttpResponse:
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.start_population_import(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                population_year=form.cleaned_data["year"],
                code_set=form.cleaned_data["code_set"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(batch.get_absolute_url())
    context = {"form": form, "kind": "population", "breadcrumbs": _imports_crumbs()}
    return render(request, "monitoring/import_form.html", context)


def importable_providers(user: object) -> QuerySet[Organisation]:
    """Providers whose extracts this user may load: those whose figures they may see unsuppressed."""
    return Organisation.objects.filter(pk__in=monitoring_provider_ids(user)).order_by("name")


@accepts_upload("monitoring")
@require_permission("monitoring.import_activity")
def import_activity(request: HttpRequest) -> HttpResponse:
    form = ActivityUploadForm(request.POST or None, request.FILES or None, providers=importable_providers(request.user))
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data["provider"]
        check_permission(request, "monitoring.import_activity", provider)
        try:
            batch = imports.start_activity_import(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                provider=provider,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                code_set=form.cleaned_data["code_set"],
                allow_invalid_codes=form.cleaned_data["allow_invalid_codes"],
                aggregated=form.cleaned_data["aggregated"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(batch.get_absolute_url())
    context = {"form": form, "kind": "activity", "breadcrumbs": _imports_crumbs()}
    return render(request, "monitoring/import_form.html", context)


@require_permission("monitoring.view_imports")
@require_GET
def import_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """The batch: progress while its job runs, then what it wrote and replaced, or its errors by row and field."""
    batch = get_object_or_404(
        ImportBatch.objects.visible_to(request.user).select_related("provider", "uploaded_by", "code_set", "job"),
        uuid=uuid,
    )
    errors = page_of(request, batch.errors, ERRORS_PER_PAGE)
    context: dict[str, Any] = {
        "batch": batch,
        "job": batch.job,
        "errors_page": errors,
        "replaced": batch.replaced.select_related("uploaded_by"),
        "replaced_by": batch.replaced_by.all(),
        "unlisted_errors": max(0, batch.error_total - len(batch.errors)),
        "measure_labels": [str(dict(Measure.choices).get(measure, measure)) for measure in batch.measures],
        "finished": batch.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}
        or bool(batch.job and batch.job.is_finished),
    }
    if wants_partial(request):
        response = render(request, "monitoring/_import_status.html", context)
    else:
        context["breadcrumbs"] = _imports_crumbs()
        response = render(request, "monitoring/import_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
