"""Closing the loop on a consultation: its report page (what was heard, what will be done, what it produced
and feeds) and its history. The lead body's staff (``consultation.record`` on the consultation) write the
report; working users (``consultation.view``) read the history."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from waymark.core.history import render_history
from waymark.core.permissions import check_permission, require_permission
from waymark.core.views_forms import service_form_page
from waymark.partnership.forms_reports import ConsultationReportForm
from waymark.partnership.models import Consultation
from waymark.partnership.services import reports as report_services


def _consultation(request: HttpRequest, uuid: Any) -> Consultation:
    rows = Consultation.objects.visible_to(request.user).select_related("lead_organisation")
    return get_object_or_404(rows, uuid=uuid)


def _crumbs(consultation: Consultation) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Consultation calendar"), reverse("partnership:consultation_list")),
        (consultation.title, consultation.get_absolute_url()),
    ]


@require_permission("consultation.record")
def consultation_report(request: HttpRequest, uuid: Any) -> HttpResponse:
    consultation = _consultation(request, uuid)
    check_permission(request, "consultation.record", consultation)
    form = ConsultationReportForm(
        request.POST if request.method == "POST" else None, user=request.user, consultation=consultation
    )
    return service_form_page(
        request,
        form,
        save=lambda: report_services.record_report(
            actor=request.user, consultation=consultation, **form.service_data()
        ),
        saved_message=lambda saved: (
            _("The report is saved and the consultation is reported.")
            if form.cleaned_data.get("mark_reported")
            else _("The report is saved.")
        ),
        next_page=lambda saved: saved,
        template="partnership/consultation_report_form.html",
        context={"consultation": consultation, "breadcrumbs": _crumbs(consultation)},
    )


@require_permission("consultation.view")
def consultation_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    consultation = _consultation(request, uuid)
    return render_history(request, consultation, breadcrumbs=_crumbs(consultation))
