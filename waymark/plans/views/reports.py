"""Public progress reports: the list of published plans, each plan's report as a page and as a PDF.

No sign-in: only plans in ``PUBLIC_STATUSES`` are found (a draft is a 404 for everyone, staff included, as the
public would see it). The PDF is cached under the hash of its HTML (``core.pdf``), so asking again costs
nothing until the plan changes.
"""

from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.file_headers import FileHeader
from waymark.core.lists import page_of
from waymark.core.pdf import render_pdf
from waymark.plans import paging
from waymark.plans.public_reports import PublicReport, public_plans, public_report, rag_definitions

PLANS_PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Published action plans"), reverse("plans:public_plan_list")), *extra]


def _report(uuid: Any) -> PublicReport:
    return public_report(get_object_or_404(public_plans(), uuid=uuid))


@require_safe
def public_plan_list(request: HttpRequest) -> HttpResponse:
    plans = public_plans().order_by("owner__name", "-period_start", "title")
    context = {"page_obj": page_of(request, plans, PLANS_PER_PAGE), "breadcrumbs": _crumbs()[:1]}
    return render(request, "plans/public/plan_list.html", context)


@require_safe
def public_report_page(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The report, each objective with its first actions, or one objective's actions a page at a time; the PDF
    has every action."""
    report = _report(uuid)
    alone = paging.objective_asked(request, [objective.code for objective in report.objectives])
    objectives, page = [], None
    for objective in report.objectives:
        if alone is not None and objective.code != alone:
            continue
        shown, page = paging.actions_shown(request, objective.actions, alone=alone is not None)
        hidden = 0 if alone is not None else len(objective.actions) - len(shown)
        objectives.append(replace(objective, actions=tuple(shown), hidden=hidden))
    context = {
        "report": replace(report, objectives=tuple(objectives)),
        "alone": alone,
        "actions_page": page,
        "rag_definitions": rag_definitions(),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "plans/public/report.html", context)


@require_safe
def public_report_pdf(request: HttpRequest, uuid: Any) -> HttpResponse:
    report = _report(uuid)
    context = {"report": report, "rag_definitions": rag_definitions(), "today": timezone.localdate()}
    header = FileHeader(
        title=report.title,
        scope=report.owner,
        period=_("%(start)s to %(end)s")
        % {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        grouping=_("Actions by objective"),
    )
    pdf = render_pdf("plans/public/report_pdf.html", context, header=header)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(report.title)[:80] or 'plan'}-progress-report.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
