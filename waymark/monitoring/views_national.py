"""England's published Mental Health Act statistics: the analysts' upload page and the years loaded.

The form checks the request; ``monitoring.services.national`` checks every row and loads all or nothing. The
file is small (a few megabytes), so it is checked while the reader waits rather than in a job.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core.permissions import require_permission
from waymark.core.uploads import accepts_upload
from waymark.monitoring.forms import NationalUploadForm
from waymark.monitoring.models import NationalRelease
from waymark.monitoring.services.national import NationalFileInvalid, import_national_mha


@accepts_upload("monitoring")
@require_permission("monitoring.import_national")
def national_import(request: HttpRequest) -> HttpResponse:
    """Upload a year of England's figures; the years already loaded are listed beside the form."""
    form = NationalUploadForm(request.POST or None, request.FILES or None)
    problems: NationalFileInvalid | None = None
    if request.method == "POST" and form.is_valid():
        try:
            release = import_national_mha(
                actor=request.user, source=form.cleaned_data["file"], year=form.cleaned_data["year"]
            )
        except NationalFileInvalid as invalid:
            problems = invalid
            form.add_error(None, str(invalid))
        else:
            messages.success(
                request,
                _("Loaded %(count)s figures for England, %(year)s.")
                % {"count": release.figures.count(), "year": release.year},
            )
            return redirect("monitoring:national_import")
    context: dict[str, Any] = {
        "form": form,
        "problems": problems,
        "releases": NationalRelease.objects.select_related("loaded_by"),
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (_("Ethnic monitoring"), reverse("monitoring:index")),
        ],
    }
    return render(request, "monitoring/national_import.html", context)
