"""The board dashboard of a trust or ICB: its plans, RAG per objective, overdue and stale actions, EDS grades.

Chosen with a GET form, so a dashboard is a link a board secretary can send. Reads come from ``plans.board``
in one query per model; the overdue or stale list shown below the tables is paginated.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.plans.board import RAG_COLUMNS, board_dashboard
from waymark.plans.forms_board import BoardForm
from waymark.plans.public_reports import rag_definitions

ACTIONS_PER_PAGE = 25


@require_safe
@require_permission("plan.board")
def board(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.GET, user=request.user)
    dashboard = board_dashboard(request.user, form.cleaned_data["organisation"]) if form.is_valid() else None
    show = (form.cleaned_data.get("show") if dashboard else "") or "overdue"
    context = {
        "form": form,
        "dashboard": dashboard,
        "show": show,
        "rag_columns": RAG_COLUMNS,
        "rag_definitions": rag_definitions(),
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Action plans"), reverse("plans:plan_list"))],
    }
    if dashboard:
        rows = dashboard.overdue if show == "overdue" else dashboard.stale
        context["page_obj"] = page_of(request, rows, ACTIONS_PER_PAGE)
    return render(request, "plans/board.html", context)
