"""The "Compare providers" page: one ethnic group's figure for every provider the reader may see, on a funnel
plot beside a table of the same figures (``monitoring.provider_funnel``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core.permissions import require_permission
from waymark.monitoring import dashboards, provider_funnel
from waymark.monitoring.forms import FunnelForm


@require_permission("monitoring.view")
def compare_providers(request: HttpRequest) -> HttpResponse:
    """Providers side by side on a funnel plot, each with the figures its dashboard shows this reader."""
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
    context = {
        "form": form,
        "comparison": comparison,
        "chart": provider_funnel.funnel_chart(comparison) if comparison else None,
        "period": dashboards.financial_year_label(comparison.year) if comparison else "",
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Ethnic monitoring"), reverse("monitoring:index"))],
    }
    return render(request, "monitoring/compare_providers.html", context)
