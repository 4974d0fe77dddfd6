"""The grants officers' pages of reports: a programme's reports (due, overdue, done), one report as received,
and the pages that record a report (a conversation written down counts) or mark it not needed."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.views_forms import service_form_page
from waymark.grants.choices import ReportStatus
from waymark.grants.forms_reports import RecordReportForm, SkipReportForm
from waymark.grants.models import GrantReport
from waymark.grants.reporting import SHOW_CHOICES, SHOW_OUTSTANDING, programme_reports, report_counts
from waymark.grants.services import reports as report_services
from waymark.grants.views.programmes import crumbs, programme_for

REPORTS_PER_PAGE = 50


def report_for(request: HttpRequest, uuid: Any) -> GrantReport:
    rows = GrantReport.objects.visible_to(request.user).select_related(
        "decision__application__programme", "decision__application__organisation", "recorded_by"
    )
    return get_object_or_404(rows, uuid=uuid)


def _report_crumbs(report: GrantReport) -> list[tuple[str, str]]:
    application = report.decision.application
    programme = application.programme
    return crumbs(
        (programme.title, programme.get_absolute_url()),
        (_("Reports"), reverse("grants:report_list", kwargs={"uuid": programme.uuid})),
        (application.reference, application.get_absolute_url()),
    )


@require_permission("grant_application.view")
@require_safe
def report_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    show = request.GET.get("show", SHOW_OUTSTANDING)
    if show not in dict(SHOW_CHOICES):
        show = SHOW_OUTSTANDING
    today = timezone.localdate()
    rows = programme_reports(programme, request.user, show=show, today=today)
    return render(
        request,
        "grants/reports/report_list.html",
        {
            "programme": programme,
            "page": page_of(request, rows, REPORTS_PER_PAGE),
            "show": show,
            "show_choices": SHOW_CHOICES,
            "counts": report_counts(programme, request.user, today=today),
            "today": today,
            "can_record": policy.can(request.user, "grant_award.manage"),
            "breadcrumbs": crumbs((programme.title, programme.get_absolute_url())),
        },
    )


@require_permission("grant_application.view")
@require_safe
def report_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    report = report_for(request, uuid)
    answers = [
        (question, report.answers.get(str(number), "")) for number, question in enumerate(report.questions, start=1)
    ]
    return render(
        request,
        "grants/reports/report_detail.html",
        {
            "report": report,
            "application": report.decision.application,
            "answers": answers,
            "overdue": report.status == ReportStatus.DUE and report.due_on < timezone.localdate(),
            "can_record": report.status == ReportStatus.DUE and policy.can(request.user, "grant_award.manage"),
            "breadcrumbs": _report_crumbs(report),
        },
    )


@require_permission("grant_award.manage")
def report_record(request: HttpRequest, uuid: Any) -> HttpResponse:
    report = report_for(request, uuid)
    form = RecordReportForm(request.POST if request.method == "POST" else None, report=report)

    def save() -> GrantReport:
        return report_services.record_report(
            report,
            answers=form.answers(),
            story=form.cleaned_data["story"],
            by_conversation=form.cleaned_data["by_conversation"],
            received_on=form.cleaned_data["received_on"],
            actor=request.user,
        )

    return service_form_page(
        request,
        form,
        save=save,
        saved_message=_("Report recorded."),
        next_page=lambda saved: reverse("grants:report_detail", kwargs={"uuid": saved.uuid}),
        template="grants/reports/report_form.html",
        context=_form_context(report, _("Record the report")),
        refusals=(ValidationError,),
    )


@require_permission("grant_award.manage")
def report_skip(request: HttpRequest, uuid: Any) -> HttpResponse:
    report = report_for(request, uuid)
    form = SkipReportForm(request.POST if request.method == "POST" else None)

    def save() -> GrantReport:
        return report_services.skip_report(report, reason=form.cleaned_data["reason"], actor=request.user)

    return service_form_page(
        request,
        form,
        save=save,
        saved_message=_("Report marked not needed."),
        next_page=lambda saved: reverse("grants:report_detail", kwargs={"uuid": saved.uuid}),
        template="grants/reports/report_form.html",
        context=_form_context(report, _("Mark the report not needed")),
    )


def _form_context(report: GrantReport, heading: str) -> dict[str, Any]:
    return {
        "report": report,
        "application": report.decision.application,
        "heading": heading,
        "breadcrumbs": _report_crumbs(report),
    }
