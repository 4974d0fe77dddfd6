"""The export log for administrators: who downloaded personal data or unsuppressed figures, and when."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from waymark.core.filtersets import ExportLogFilterSet
from waymark.core.lists import filtered_list_page
from waymark.core.models import ExportLog
from waymark.core.permissions import require_permission

EXPORTS_PER_PAGE = 50


@require_permission("export_log.view")
@require_GET
def export_log(request: HttpRequest) -> HttpResponse:
    """Every logged download, newest first, filtered by person, kind and date."""
    rows = ExportLog.objects.visible_to(request.user).select_related("user")
    filterset = ExportLogFilterSet(request.GET or None, queryset=rows)
    return filtered_list_page(
        request,
        filterset,
        per_page=EXPORTS_PER_PAGE,
        template="core/export_log.html",
        rows_template="core/_export_log_rows.html",
        rows_name="exports",
        context={"breadcrumbs": [(_("Home"), reverse("core:home"))]},
    )
