"""The fatigue figure page: per community, the consultations that reached it in the last twelve months
beside its population, as a table and as bars (the table is the accessible equivalent). Working users only
(``consultation.view``), like the calendar it counts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.lists import page_of
from waymark.core.models import Community
from waymark.core.permissions import require_permission
from waymark.partnership import fatigue

COMMUNITIES_PER_PAGE = 40


@require_permission("consultation.view")
@require_safe
def consultation_fatigue(request: HttpRequest) -> HttpResponse:
    areas = list(fatigue.borough_areas())
    chosen = next((area for area in areas if str(area.pk) == request.GET.get("area")), areas[0] if areas else None)
    figures = fatigue.denominators(chosen)
    communities = fatigue.reached_counts(Community.objects.visible_to(request.user))
    page = page_of(request, communities, COMMUNITIES_PER_PAGE)
    rows = fatigue.fatigue_rows(list(page.object_list), figures)
    start, end = fatigue.window()
    context = {
        "page_obj": page,
        "rows": rows,
        "charted": [row for row in rows if row.rate is not None],
        "chart_width": fatigue.CHART_WIDTH,
        "figures": figures,
        "areas": areas,
        "chosen": chosen,
        "start": start,
        "end": end,
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (_("Consultation calendar"), reverse("partnership:consultation_list")),
        ],
    }
    return render(request, "partnership/consultation_fatigue.html", context)
