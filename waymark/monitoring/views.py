"""Monitoring pages for signed-in working users: the overview, provider dashboards, data quality, the
population overview and the disproportionality page.

Every figure page asks ``core.policy`` whether the reader may see the provider's figures
unsuppressed; if not, the same page is built from disclosure-controlled counts. ``?format=csv`` or
``?format=xlsx`` downloads exactly the tables the page shows.
"""

import uuid as uuid_module
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.lists import page_of
from waymark.core.models import Area, Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.monitoring import dashboards, exports, national, quality, stats
from waymark.monitoring.choices import Measure
from waymark.monitoring.forms import AreaChoiceForm, FiguresForm
from waymark.monitoring.indicators import full_group_label
from waymark.monitoring.models import ImportBatch, PublishedSnapshot

PROVIDERS_PER_PAGE = 25


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))]


@require_permission("monitoring.data_quality")
def data_quality_list(request: HttpRequest) -> HttpResponse:
    """The providers whose coding quality the analyst may see, with their latest month; ``?below_target=1`` for
    those under 95% complete (the home page's count)."""
    providers = quality.latest_quality(request.user)
    below_only = request.GET.get("below_target") == "1"
    if below_only:
        providers = quality.below_target(providers)
    page = page_of(request, providers, PROVIDERS_PER_PAGE)
    for provider in page.object_list:
        records, valid = provider.latest_records, provider.latest_valid  # type: ignore[attr-defined]
        provider.latest_percent = valid * 100 / records if records else None  # type: ignore[attr-defined]
    context = {
        "page_obj": page,
        "providers": page.object_list,
        "below_only": below_only,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "monitoring/data_quality_list.html", context)


@require_permission("monitoring.view")
def index(request: HttpRequest) -> HttpResponse:
    """Where to start: providers with figures, areas with populations, recent imports and snapshots."""
    providers = list(dashboards.providers_with_figures())
    for provider in providers:
        provider.unsuppressed = dashboards.shows_unsuppressed(request.user, provider)  # type: ignore[attr-defined]
    context = {
        "providers": providers,
        "areas": dashboards.areas_with_population()[:20],
        "recent_imports": ImportBatch.objects.visible_to(request.user).select_related("provider")[:5],
        "snapshots": PublishedSnapshot.objects.all()[:5],
        "can_import_population": policy.can(request.user, "monitoring.import_population"),
        "can_import_activity": policy.can(request.user, "monitoring.import_activity"),
        "can_view_imports": policy.can(request.user, "monitoring.view_imports"),
        "can_publish": policy.can(request.user, "monitoring.publish"),
        "can_manage_access": policy.can(request.user, "monitoring.manage_access"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "monitoring/index.html", context)


def _figures_form(request: HttpRequest, years: list[int]) -> FiguresForm:
    form = FiguresForm(request.GET, years=years)
    form.is_valid()
    return form


def _chosen(form: FiguresForm, name: str, default: Any) -> Any:
    return form.cleaned_data.get(name, default) if hasattr(form, "cleaned_data") else default


def _area_choice(request: HttpRequest) -> tuple[AreaChoiceForm, Area | None]:
    areas = dashboards.areas_with_population()
    form = AreaChoiceForm(request.GET or None, areas=areas)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["area"]
    area = areas.filter(area_type="local_authority").first() or areas.first()
    return AreaChoiceForm(initial={"area": area}, areas=areas), area


def _download(
    request: HttpRequest,
    dashboard: dashboards.Dashboard,
    tables: list,
    filename: str,
    title: str,
    notes: list[str],
    *,
    protected: bool,
    national_comparisons: Sequence[national.NationalComparison] = (),
) -> HttpResponse | None:
    """The tables as CSV or XLSX when the request asks for a file; a download of unsuppressed figures is logged."""
    wanted = request.GET.get("format")
    header = exports.file_header(dashboard, title)
    if wanted in ("csv", "xlsx") and not protected:
        record_export(
            actor=request.user,
            kind=ExportKind.UNSUPPRESSED_FIGURES,
            description=title,
            rows=sum(len(table.rows) for table in tables),
            filters=filters_of(request.GET),
        )
    if wanted == "csv":
        return exports.csv_response(tables, filename, header=header, national=national_comparisons)
    if wanted == "xlsx":
        return exports.xlsx_response(
            tables, filename, title=title, notes=notes, header=header, national=national_comparisons
        )
    return None


@require_permission("monitoring.view")
def provider_dashboard(request: HttpRequest, uuid: str) -> HttpResponse:
    """The PCREF-style dashboard: detentions, CTOs, restrictive practice and access, by ethnic group."""
    provider = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=uuid)
    years = dashboards.years_for(provider)
    form = _figures_form(request, years)
    area_form, area = _area_choice(request)
    protected = not dashboards.shows_unsuppressed(request.user, provider)
    dashboard = None
    comparisons: list[national.NationalComparison] = []
    if years and area is not None:
        grouping = _chosen(form, "grouping", None)
        reference = _chosen(form, "reference", None)
        dashboard = dashboards.provider_dashboard(
            provider=provider,
            area=area,
            year=_chosen(form, "year", years[0]),
            protected=protected,
            grouping=grouping,
            reference_group=reference.label if reference else None,
            confidence=_chosen(form, "confidence", 0.95),
        )
        comparisons = national.compare(
            dashboard.tables,
            start_year=dashboard.year,
            reference_group=dashboard.reference_group,
            confidence=dashboard.confidence,
        )
        title = _("%(provider)s, %(period)s") % {"provider": provider.name, "period": dashboard.period_label}
        download = _download(
            request,
            dashboard,
            dashboard.tables,
            f"{provider.name} {dashboard.year}",
            title,
            dashboard.tables[0].notes,
            protected=protected,
            national_comparisons=comparisons,
        )
        if download:
            return download
    context = {
        "provider": provider,
        "dashboard": dashboard,
        "national": comparisons,
        "form": form,
        "area_form": area_form,
        "protected": protected,
        "can_see_quality": policy.can(request.user, "monitoring.data_quality", provider),
        "can_publish": policy.can(request.user, "monitoring.publish", provider),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "monitoring/provider_dashboard.html", context)


@require_permission("monitoring.data_quality")
def data_quality(request: HttpRequest, uuid: str) -> HttpResponse:
    """Month by month ethnic coding completeness against the 95% target, for the provider's own analysts and
    commissioners with an agreement only."""
    provider = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=uuid)
    check_permission(request, "monitoring.data_quality", provider)
    measure = request.GET.get("measure") or None
    if measure and measure not in Measure.values:
        raise Http404
    rows = dashboards.data_quality(provider, measure)
    context = {
        "provider": provider,
        "rows": rows,
        "latest": rows[-1] if rows else None,
        "measure": measure,
        "measures": Measure.choices,
        "target_percent": int(dashboards.COMPLETENESS_TARGET * 100),
        "chart": _quality_chart(rows),
        "breadcrumbs": [
            *_crumbs(),
            (provider.name, reverse("monitoring:provider_dashboard", args=[provider.uuid])),
        ],
    }
    return render(request, "monitoring/data_quality.html", context)


def quality_axis_floor(shares: list[float]) -> int:
    """Where the completeness axis starts, in whole percent: at 80% or, below that, 5 points under the lowest
    month. On a 0 to 100% axis the 95% target and a 92% month sit a few pixels apart and read as the same."""
    lowest = min(shares) * 100
    return max(0, min(80, int((lowest - 5) // 5 * 5)))


def _quality_chart(rows: list[dashboards.QualityRow]) -> dict[str, Any] | None:
    """A line of monthly completeness with the 95% target, as SVG coordinates, the axis starting where
    ``quality_axis_floor`` says so that a few points below the target show as a gap."""
    points = [row for row in rows if row.completeness.value is not None]
    if len(points) < 2:
        return None
    width, height, left, top, plot_height = 640, 220, 48, 10, 170
    step = (width - left - 10) / (len(points) - 1)
    floor = quality_axis_floor([row.completeness.value or 0.0 for row in points])
    tick_step = 5 if 100 - floor <= 25 else 10 if 100 - floor <= 50 else 25

    def y_of(share: float) -> float:
        return round(top + (100 - max(share * 100, floor)) / (100 - floor) * plot_height, 1)

    coords = [(round(left + i * step, 1), y_of(row.completeness.value or 0.0)) for i, row in enumerate(points)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - 10,
        "path": " ".join(f"{x},{y}" for x, y in coords),
        "points": coords,
        "target_y": y_of(dashboards.COMPLETENESS_TARGET),
        "ticks": [(y_of(share / 100), share) for share in range(floor, 101, tick_step)],
        "floor": floor,
        "first": points[0].period_start,
        "last": points[-1].period_start,
        "axis_y": top + plot_height,
    }


@require_permission("monitoring.view")
def area_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """An area's population by ethnic group, with each group's share and its Wilson interval."""
    area = get_object_or_404(Area.objects.visible_to(request.user), pk=pk)
    grouping = dashboards.default_grouping()
    parts = dashboards.grouping_parts(grouping)
    population = dashboards.population_by_group(area, parts).totals
    total = sum(population.values())
    counts = [population.get(group, 0) for group in parts.groups]
    shares = stats.proportions(counts, [total] * len(counts)) if total else None
    rows = [
        {
            "group": full_group_label(group, parts.broad.get(group, "")),
            "count": counts[i],
            "share": None if shares is None else float(shares.value[i]),
            "lower": None if shares is None else float(shares.lower[i]),
            "upper": None if shares is None else float(shares.upper[i]),
        }
        for i, group in enumerate(parts.groups)
    ]
    context = {
        "area": area,
        "rows": rows,
        "total": total,
        "grouping_name": parts.name,
        "providers": dashboards.providers_with_figures(),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "monitoring/area_overview.html", context)


def provider_from(providers: QuerySet[Organisation], value: str) -> Organisation | None:
    """The provider a ``?provider=<uuid>`` names, or None when it names none of them."""
    try:
        return providers.filter(uuid=uuid_module.UUID(value)).first()
    except ValueError:
        return None


@require_permission("monitoring.view")
def disproportionality(request: HttpRequest) -> HttpResponse:
    """One measure for one provider, area and year: every group's rate against the reference group and all
    other groups together, charted beside the table."""
    providers = dashboards.providers_with_figures()
    provider = provider_from(providers, request.GET.get("provider", "")) or providers.first()
    years = dashboards.years_for(provider) if provider else []
    form = _figures_form(request, years)
    area_form, area = _area_choice(request)
    table = None
    protected = True
    if provider and years and area is not None:
        protected = not dashboards.shows_unsuppressed(request.user, provider)
        reference = _chosen(form, "reference", None)
        dashboard = dashboards.provider_dashboard(
            provider=provider,
            area=area,
            year=_chosen(form, "year", years[0]),
            protected=protected,
            grouping=_chosen(form, "grouping", None),
            reference_group=reference.label if reference else None,
            confidence=_chosen(form, "confidence", 0.95),
            measures=[_chosen(form, "measure", Measure.MHA_DETENTION)],
        )
        table = dashboard.tables[0]
        title = _("%(measure)s, %(provider)s, %(period)s") % {
            "measure": table.measure_label,
            "provider": provider.name,
            "period": dashboard.period_label,
        }
        download = _download(request, dashboard, [table], title, title, table.notes, protected=protected)
        if download:
            return download
    context = {
        "providers": providers,
        "provider": provider,
        "form": form,
        "area_form": area_form,
        "area": area,
        "table": table,
        "protected": protected,
        "breadcrumbs": _crumbs(),
    }
    return render(request, "monitoring/disproportionality.html", context)
