"""The "Compare providers" page: one ethnic group's figure for every provider the reader may see, on a funnel
plot beside a table of the same figures (``monitoring.provider_funnel``), and the table as a file."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.permissions import require_permission
from waymark.monitoring import dashboards, exports, provider_funnel
from waymark.monitoring.forms import FunnelForm


def _comparison(request: HttpRequest) -> tuple[FunnelForm, provider_funnel.FunnelComparison | None]:
    """The form and the comparison it asks for, as the page and its download both show them."""
    providers = provider_funnel.providers_seen(request.user)
    years = dashboards.years_for(providers=providers) if providers else []
    grouping = dashboards.default_grouping()
    form = FunnelForm(request.GET, years=years, areas=dashboards.areas_with_population(), grouping=grouping)
    comparison = None
    if providers and form.is_valid():
        comparison = provider_funnel.compare_providers(
            user=request.user,
            providers=providers,
            measure=form.cleaned_data["measure"],
            year=form.cleaned_data["year"],
            group=form.cleaned_data["group"].label,
            area=form.cleaned_data["area"],
            statistic=form.cleaned_data["statistic"],
            grouping=grouping,
        )
    return form, comparison


@require_permission("monitoring.view")
def compare_providers(request: HttpRequest) -> HttpResponse:
    """Providers side by side on a funnel plot, each with the figures its dashboard shows this reader."""
    form, comparison = _comparison(request)
    context = {
        "form": form,
        "comparison": comparison,
        "chart": provider_funnel.funnel_chart(comparison) if comparison else None,
        "period": dashboards.financial_year_label(comparison.year) if comparison else "",
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))],
    }
    return render(request, "monitoring/compare_providers.html", context)


@require_safe
@require_permission("monitoring.view")
def compare_providers_download(request: HttpRequest) -> HttpResponse:
    """The page's table as CSV (``?format=xlsx`` for a spreadsheet); a file holding any provider's unsuppressed
    figures is logged, as the dashboards' downloads are."""
    _form, comparison = _comparison(request)
    if comparison is None:
        raise Http404(_("There are no figures to download for these choices."))
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    if comparison.unsuppressed:
        record_export(
            actor=request.user,
            kind=ExportKind.UNSUPPRESSED_FIGURES,
            description=exports.funnel_title(comparison),
            rows=len(comparison.points),
            filters=filters_of(request.GET),
        )
    return exports.funnel_response(comparison, file_format)
