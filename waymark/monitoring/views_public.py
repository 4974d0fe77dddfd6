"""Published snapshots: the only monitoring figures anyone can read without signing in, and the page on
which an analyst publishes one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core.lists import filtered_list_page
from waymark.core.models import Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.core.text import render_markdown
from waymark.monitoring import dashboards, exports, national
from waymark.monitoring.filtersets import PublishedSnapshotFilterSet
from waymark.monitoring.forms import SnapshotForm
from waymark.monitoring.models import PublishedSnapshot
from waymark.monitoring.permissions import monitoring_provider_ids
from waymark.monitoring.services import publishing
from waymark.monitoring.views import provider_from

SNAPSHOTS_PER_PAGE = 20


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Published monitoring figures"), reverse("monitoring:snapshot_list"))]


def snapshot_list(request: HttpRequest) -> HttpResponse:
    """Every published snapshot, filtered by the API's FilterSet; htmx gets the results alone."""
    snapshots = PublishedSnapshot.objects.visible_to(request.user).select_related("provider", "area")
    return filtered_list_page(
        request,
        PublishedSnapshotFilterSet(request.GET or None, queryset=snapshots, request=request),
        per_page=SNAPSHOTS_PER_PAGE,
        template="monitoring/snapshot_list.html",
        rows_template="monitoring/_snapshot_rows.html",
        rows_name="snapshots",
        context={"breadcrumbs": [(_("Home"), reverse("core:home"))]},
    )


def snapshot_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    """The frozen figures with their methods note; ``?format=csv`` or ``xlsx`` downloads them."""
    snapshot = get_object_or_404(
        PublishedSnapshot.objects.visible_to(request.user).select_related("provider", "area"), uuid=uuid
    )
    tables = dashboards.snapshot_tables(snapshot)
    comparisons = national.snapshot_comparisons(snapshot.tables)
    wanted = request.GET.get("format")
    filename = f"{snapshot.title} {snapshot.published_on:%Y-%m-%d}"
    if wanted == "csv":
        return exports.csv_response(tables, filename, header=exports.snapshot_header(snapshot), national=comparisons)
    if wanted == "xlsx":
        notes = [
            _("Published %(date)s.") % {"date": snapshot.published_on.isoformat()},
            _("Analysis grouping: %(grouping)s.") % {"grouping": snapshot.grouping_name},
            snapshot.methods_note,
            *(tables[0].notes if tables else []),
        ]
        return exports.xlsx_response(
            tables,
            filename,
            title=snapshot.title,
            notes=notes,
            header=exports.snapshot_header(snapshot),
            national=comparisons,
        )
    context = {
        "snapshot": snapshot,
        "tables": tables,
        "national": comparisons,
        "methods_html": render_markdown(snapshot.methods_note),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "monitoring/snapshot_detail.html", context)


@require_permission("monitoring.publish")
def snapshot_create(request: HttpRequest) -> HttpResponse:
    """Choose the figures, write the methods note, and publish: the figures are frozen as they are now."""
    providers = Organisation.objects.filter(
        pk__in=monitoring_provider_ids(request.user)
        & set(dashboards.providers_with_figures().values_list("pk", flat=True))
    ).order_by("name")
    areas = dashboards.areas_with_population()
    initial: dict[str, object] = {key: request.GET[key] for key in ("year", "area") if request.GET.get(key)}
    initial["provider"] = provider_from(providers, request.GET.get("provider", ""))
    form = SnapshotForm(
        request.POST or None, providers=providers, years=dashboards.years_for(), areas=areas, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        provider = form.cleaned_data["provider"]
        check_permission(request, "monitoring.publish", provider)
        snapshot = publishing.publish_snapshot(actor=request.user, **form.cleaned_data)
        return redirect(snapshot.get_absolute_url())
    crumbs = [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))]
    return render(request, "monitoring/snapshot_form.html", {"form": form, "breadcrumbs": crumbs})
