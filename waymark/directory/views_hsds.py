"""Open Referral UK exchange pages: import an HSDS file (as a background job) and download exports.

The public exports need no sign-in and show only what the public may see; ``?scope=staff`` gives the
full export (with funding) to people who may see the staff directory.
"""

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from waymark.core import policy
from waymark.core.jobs import start_job
from waymark.core.models import Job
from waymark.core.permissions import check_permission, require_permission
from waymark.core.uploads import UploadValidator, accepts_upload, describe_bytes, upload_limits
from waymark.core.views_jobs import job_page
from waymark.directory.hsds.export import export_json
from waymark.directory.hsds.report import ImportReport
from waymark.directory.hsds.tabular import export_tabular_package
from waymark.directory.hsds.tasks import IMPORT_JOB_NAME, import_uploaded_file
from waymark.directory.models import Service

IMPORT_KINDS = ("json", "zip")
STAFF_SCOPE = "staff"


class HsdsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload an HSDS file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
        validators=[UploadValidator("hsds", IMPORT_KINDS)],
        error_messages={
            "required": gettext_lazy("Choose the file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Open Referral UK or HSDS 3.0 JSON file (.json), or an HSDS tabular data package (.zip of CSV files). "
            "Up to %(size)s."
        ) % {"size": describe_bytes(upload_limits("hsds").max_bytes)}


def _manage_crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Manage directory"), reverse("directory:manage"))]


@accepts_upload("hsds")
@require_permission("directory.import")
def hsds_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; it is saved, then checked and imported by a background job whose page follows it."""
    form = HsdsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
        job = start_job(
            import_uploaded_file,
            name=IMPORT_JOB_NAME,
            label=_("Import %(file)s") % {"file": Path(upload.name).name},
            actor=request.user,
            path=path,
        )
        return redirect("directory:hsds_import_job", uuid=job.uuid)
    return render(
        request,
        "directory/hsds_import.html",
        {"form": form, "breadcrumbs": _manage_crumbs()},
    )


@require_permission("directory.import")
@require_GET
def hsds_import_job(request: HttpRequest, uuid: str) -> HttpResponse:
    """The import's progress and then its report: what was created and matched, or every problem to fix.
    While the job runs, the progress block asks again every 2 seconds (htmx) and only it is sent back."""
    job = get_object_or_404(Job.objects.visible_to(request.user), uuid=uuid, name=IMPORT_JOB_NAME)
    report = ImportReport.from_dict(job.result) if isinstance(job.result, dict) and job.result else None
    return job_page(
        request,
        job,
        progress_template="directory/_hsds_import_progress.html",
        context={"report": report, "counts": _counts(report) if report else []},
        breadcrumbs=[*_manage_crumbs(), (_("Import services"), reverse("directory:hsds_import"))],
        caption=_("Import services"),
        while_running=_(
            "This page updates by itself while Waymark checks and imports the file. You can leave it and come back."
        ),
    )


# What an import counts, in the words the report uses.
RECORD_KINDS = [
    ("organisations", gettext_lazy("Organisations")),
    ("services", gettext_lazy("Services")),
    ("locations", gettext_lazy("Locations")),
    ("service_at_locations", gettext_lazy("Services linked to locations")),
    ("contacts", gettext_lazy("Contacts")),
    ("schedules", gettext_lazy("Opening hours")),
    ("holiday_exceptions", gettext_lazy("Holiday dates")),
    ("funding_sources", gettext_lazy("Funding sources")),
    ("taxonomies", gettext_lazy("Taxonomies")),
    ("taxonomy_terms", gettext_lazy("Needs (taxonomy terms)")),
]


def _counts(report: ImportReport) -> list[tuple[str, int, int]]:
    """(kind, added, updated) for each kind of record the import touched."""
    return [
        (str(label), report.created.get(key, 0), report.updated.get(key, 0))
        for key, label in RECORD_KINDS
        if report.created.get(key) or report.updated.get(key)
    ]


def _export_scope(request: HttpRequest) -> tuple[bool, HttpResponse | None]:
    """(public, a response to send instead): the staff scope needs a sign-in and "directory.view_staff"."""
    if request.GET.get("scope") != STAFF_SCOPE:
        return True, None
    if not request.user.is_authenticated:
        return False, redirect_to_login(request.get_full_path())
    check_permission(request, "directory.view_staff")
    return False, None


def _funding_amounts(request: HttpRequest) -> bool:
    return policy.can(request.user, "directory.view_funding_amounts")


def _download(response: HttpResponse, filename: str, *, public: bool) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if public:
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def hsds_export(request: HttpRequest) -> HttpResponse:
    """Every public service as Open Referral UK JSON; with ``?scope=staff`` every service, with funding."""
    public, refused = _export_scope(request)
    if refused is not None:
        return refused
    services = Service.objects.visible_to(request.user)  # the public export narrows itself to public services
    data = export_json(services, public=public, funding_amounts=_funding_amounts(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1 if settings.DEBUG else None})
    name = "waymark-directory-hsds.json" if public else "waymark-directory-hsds-staff.json"
    return _download(response, name, public=public)


@require_GET
def hsds_export_package(request: HttpRequest) -> HttpResponse:
    """The same services as an HSDS tabular data package: a ZIP of CSV files, one per table."""
    public, refused = _export_scope(request)
    if refused is not None:
        return refused
    services = Service.objects.visible_to(request.user)
    package = export_tabular_package(services, public=public, funding_amounts=_funding_amounts(request))
    response = HttpResponse(package, content_type="application/zip")
    name = "waymark-directory-hsds-tabular.zip" if public else "waymark-directory-hsds-tabular-staff.zip"
    return _download(response, name, public=public)
