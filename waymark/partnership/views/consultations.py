"""The consultation calendar's pages: a consultation, and planning or changing one. The form warns
of clashes before saving and saves anyway when asked: it never blocks.

Working users (``consultation.view``) read; partners' staff (``consultation.record``) write, a responder
only for their own organisation. Rows from ``visible_to(user)``."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.core import policy
from waymark.core.forms import attach_errors
from waymark.core.permissions import require_permission
from waymark.partnership.choices import CONSULTATION_TRANSITIONS, ConsultationStatus
from waymark.partnership.clashes import Clash, clashes_of, find_clashes
from waymark.partnership.forms_consultations import ConsultationForm, ConsultationMoveForm
from waymark.partnership.models import Consultation
from waymark.partnership.services import consultations as consultation_services


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Consultation calendar"), reverse("partnership:consultation_list")),
        *extra,
    ]


def _posted(request: HttpRequest) -> Any:
    """The POST data, even when empty: an empty form sent is refused with its errors, not shown afresh."""
    return request.POST if request.method == "POST" else None


def _consultation(request: HttpRequest, uuid: Any) -> Consultation:
    rows = Consultation.objects.visible_to(request.user).select_related("lead_organisation", "partnership")
    return get_object_or_404(rows, uuid=uuid)


@require_permission("consultation.view")
def consultation_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    consultation = _consultation(request, uuid)
    can_record = policy.can(request.user, "consultation.record", consultation)
    return render(
        request,
        "partnership/consultation_detail.html",
        {
            "consultation": consultation,
            "clashes": clashes_of(consultation),
            "can_record": can_record,
            "moves": [ConsultationStatus(status) for status in CONSULTATION_TRANSITIONS[consultation.status]]
            if can_record
            else [],
            "breadcrumbs": _crumbs(),
        },
    )


def _clashes_of_form(form: ConsultationForm, instance: Consultation | None) -> list[Clash]:
    data = form.cleaned_data
    return find_clashes(
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        community_ids=[community.pk for community in data["communities"]],
        theme_ids=[theme.pk for theme in data["themes"]],
        exclude=instance,
    )


def _form_page(request: HttpRequest, form: ConsultationForm, *, consultation: Consultation | None) -> HttpResponse:
    """Save when the form is valid and either clashes with nothing or the person chose to save anyway;
    otherwise show the form again, with the clashes to talk over first."""
    clashes: list[Clash] = []
    if request.method == "POST" and form.is_valid():
        clashes = _clashes_of_form(form, consultation)
        if not clashes or "save_anyway" in request.POST:
            data = form.cleaned_data
            try:
                if consultation is None:
                    saved = consultation_services.create_consultation(
                        actor=request.user,
                        data=form.particulars(),
                        communities=data["communities"],
                        themes=data["themes"],
                        areas=data["areas"],
                    )
                else:
                    saved = consultation_services.change_consultation(
                        actor=request.user,
                        consultation=consultation,
                        data=form.particulars(),
                        communities=data["communities"],
                        themes=data["themes"],
                        areas=data["areas"],
                    )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request, _("The consultation is on the calendar.") if consultation is None else _("Saved.")
                )
                return redirect(saved)
    heading = _("Plan a consultation") if consultation is None else _("Change the consultation")
    crumbs = _crumbs() if consultation is None else _crumbs((consultation.title, consultation.get_absolute_url()))
    return render(
        request,
        "partnership/consultation_form.html",
        {"form": form, "clashes": clashes, "heading": heading, "consultation": consultation, "breadcrumbs": crumbs},
        status=400 if form.errors else 200,
    )


@require_permission("consultation.record")
def consultation_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, ConsultationForm(_posted(request), user=request.user), consultation=None)


@require_permission("consultation.record")
def consultation_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    consultation = _consultation(request, uuid)
    if not policy.can(request.user, "consultation.record", consultation):
        raise PermissionDenied
    form = ConsultationForm(_posted(request), instance=consultation, user=request.user)
    return _form_page(request, form, consultation=consultation)


@require_POST
@require_permission("consultation.record")
def consultation_move(request: HttpRequest, uuid: str) -> HttpResponse:
    consultation = _consultation(request, uuid)
    if not policy.can(request.user, "consultation.record", consultation):
        raise PermissionDenied
    form = ConsultationMoveForm(request.POST)
    if form.is_valid():
        try:
            consultation_services.move_consultation(
                actor=request.user, consultation=consultation, to_status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The consultation is now %(status)s.") % {"status": consultation.get_status_display().lower()},
            )
    return redirect(consultation)
