"""Subject access and erasure: find what Waymark holds about a person, download it, or erase it.

Administrators only. Every page here shows personal data, so none of them may be cached.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from waymark.core import personal_data
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.forms_personal_data import PersonalDataEraseForm, PersonalDataSearchForm
from waymark.core.permissions import require_permission

TEMPLATE = "core/personal_data_search.html"
QUERY_FIELDS = ("email", "phone", "username")
BREADCRUMBS = [(gettext_lazy("Home"), reverse_lazy("core:home"))]


def _results(search: PersonalDataSearchForm, erase_form: PersonalDataEraseForm | None = None) -> dict[str, Any]:
    """What a valid search found, per source, and the forms that act on it."""
    identity = search.identity()
    found = personal_data.find_personal_data(identity)
    results = [{"source": source, "count": found[source.key].count()} for source in personal_data.sources()]
    return {
        "identity": identity,
        "results": results,
        "total": sum(row["count"] for row in results),
        "query": {name: search.data.get(name, "") for name in QUERY_FIELDS},
        "erase_form": erase_form or PersonalDataEraseForm(),
    }


@never_cache
@require_permission("personal_data.manage")
@require_GET
def personal_data_search(request: HttpRequest) -> HttpResponse:
    search = PersonalDataSearchForm(request.GET or None)
    context: dict[str, Any] = {"form": search, "breadcrumbs": BREADCRUMBS}
    if search.is_bound and search.is_valid():
        context |= _results(search)
    return render(request, TEMPLATE, context)


@never_cache
@require_permission("personal_data.manage")
@require_POST
def personal_data_export(request: HttpRequest) -> HttpResponse:
    search = PersonalDataSearchForm(request.POST)
    if not search.is_valid():
        return render(request, TEMPLATE, {"form": search, "breadcrumbs": BREADCRUMBS}, status=400)
    identity = search.identity()
    archive = personal_data.export_personal_data(identity, actor=request.user)
    record_export(
        actor=request.user,
        kind=ExportKind.SUBJECT_ACCESS,
        description=identity.describe(),
        rows=sum(found.count() for found in personal_data.find_personal_data(identity).values()),
        filters=filters_of(request.POST),
    )
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"waymark-subject-access-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_permission("personal_data.manage")
@require_POST
def personal_data_erase(request: HttpRequest) -> HttpResponse:
    erase_form = PersonalDataEraseForm(request.POST)
    if not erase_form.is_valid():
        search = PersonalDataSearchForm(request.POST)
        context: dict[str, Any] = {"form": search, "breadcrumbs": BREADCRUMBS}
        if search.is_valid():
            context |= _results(search, erase_form)
        return render(request, TEMPLATE, context, status=400)
    counts = personal_data.erase_personal_data(erase_form.identity(), actor=request.user)
    erased = [
        ngettext("%(label)s: %(count)d record", "%(label)s: %(count)d records", counts[source.key])
        % {"label": source.label, "count": counts[source.key]}
        for source in personal_data.sources()
        if counts[source.key]
    ]
    if erased:
        messages.success(request, _("Personal data erased. %(counts)s.") % {"counts": "; ".join(erased)})
    else:
        messages.info(request, _("Nothing was found to erase."))
    return redirect("core:personal_data")
