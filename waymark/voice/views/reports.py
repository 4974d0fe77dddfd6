"""The intelligence report for staff: chosen on the page, then read there, printed as PDF or downloaded.

The page, the PDF and the spreadsheets are built from one ``reports.build_report`` call each, so they always
agree. The choices travel in the query string, so a report can be bookmarked or sent to a colleague.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.pdf import render_pdf
from waymark.core.permissions import require_permission
from waymark.voice import exports
from waymark.voice.forms_reports import ReportForm
from waymark.voice.reports import build_report

EXPORT_FORMATS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


def _breadcrumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home"))]


@require_safe
@require_permission("voice.report")
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET)
    built = build_report(form.scope()) if form.is_valid() else None
    context = {
        "form": form,
        "report": built,
        "query": built.scope.query_string() if built else "",
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/reports/report.html", context)


@require_safe
@require_permission("voice.report")
def report_pdf(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "voice/reports/report.html", {"form": form, "breadcrumbs": _breadcrumbs()}, status=400)
    built = build_report(form.scope())
    pdf = render_pdf("voice/reports/report_pdf.html", {"report": built}, header=exports.file_header(built))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="community-intelligence-report.pdf"'
    return response


@require_safe
@require_permission("voice.report")
def report_export(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET)
    make = EXPORT_FORMATS.get(request.GET.get("format", "csv"))
    if make is None or not form.is_valid():
        if make is None:
            form.add_error(None, _("Choose CSV or XLSX."))
        return render(request, "voice/reports/report.html", {"form": form, "breadcrumbs": _breadcrumbs()}, status=400)
    report = build_report(form.scope())
    record_export(
        actor=request.user,
        kind=ExportKind.VOICE_REPORT,
        description=report.scope.title,
        rows=sum(1 for _row in exports.report_rows(report)),
        filters=filters_of(request.GET),
    )
    return make(report)
