"""Setting up a programme: create it, change it, set each of its parts (the form's questions, the eligibility
checker, the weighted criteria, the reporting by grant size) and read its history.

Grants officers and administrators (``programme.manage``) at the door, asked again by the services. Every part
is one page of rows saved together or not at all, so nothing typed is lost when a row is refused.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from waymark.core.history import render_history
from waymark.core.permissions import require_permission
from waymark.core.templatetags.nhsuk import error_target_id
from waymark.core.views_forms import service_form_page
from waymark.grants.forms_programmes import ProgrammeForm, RowsFormSet, part_formset
from waymark.grants.models import Programme
from waymark.grants.services import programmes as programme_services
from waymark.grants.views.programmes import crumbs, programme_for

# Each part's page: its heading, what it is for, and what one row is called.
PARTS: dict[str, dict[str, Any]] = {
    "questions": {
        "heading": gettext_lazy("Questions on the application form"),
        "intro": gettext_lazy(
            "Ask only what you need to decide, in plain words, each with a word limit. Applicants see a live word "
            "count. Once an application has been submitted the questions cannot change."
        ),
        "noun": gettext_lazy("Question"),
        "save": programme_services.set_questions,
    },
    "eligibility_questions": {
        "heading": gettext_lazy("Eligibility checker"),
        "intro": gettext_lazy(
            "A few yes or no questions shown before the form. Someone whose answer rules them out is told why "
            "straight away, so nobody spends time on an application that cannot succeed."
        ),
        "noun": gettext_lazy("Eligibility question"),
        "save": programme_services.set_eligibility_questions,
    },
    "criteria": {
        "heading": gettext_lazy("Assessment criteria"),
        "intro": gettext_lazy(
            "What assessors score from 0 to 5, each with a written reason. The weights say how much each criterion "
            "counts; a criterion an assessor marks not applicable is left out and the other weights share its part."
        ),
        "noun": gettext_lazy("Criterion"),
        "save": programme_services.set_criteria,
    },
    "reporting_tiers": {
        "heading": gettext_lazy("Reporting by grant size"),
        "intro": gettext_lazy(
            "Ask for less from smaller grants. Each tier covers grants up to its amount; leave the last one blank "
            "for any larger grant. Every report also asks for a story, and a conversation staff write down counts."
        ),
        "noun": gettext_lazy("Tier"),
        "save": programme_services.set_reporting_tiers,
    },
}


def _programme_crumbs(programme: Programme) -> list[tuple[str, str]]:
    return crumbs((programme.title, programme.get_absolute_url()))


@require_permission("programme.manage")
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user)
    return service_form_page(
        request,
        form,
        save=lambda: programme_services.create_programme(actor=request.user, **form.service_values()),
        saved_message=lambda programme: (
            _("Programme set up: %(title)s. Now add its questions, criteria and reporting.")
            % {"title": programme.title}
        ),
        next_page=lambda programme: programme,
        template="grants/programme_form.html",
        context={"heading": _("Set up a programme"), "breadcrumbs": crumbs()},
    )


@require_permission("programme.manage")
def programme_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    return service_form_page(
        request,
        form,
        save=lambda: programme_services.update_programme(programme, actor=request.user, **form.service_values()),
        saved_message=_("Programme changed."),
        next_page=lambda changed: changed,
        template="grants/programme_form.html",
        context={
            "heading": _("Change the programme"),
            "caption": programme.title,
            "breadcrumbs": _programme_crumbs(programme),
        },
    )


def _row_errors(formset: RowsFormSet, noun: str) -> list[dict[str, str]]:
    """The error summary of the rows, each error linked to its field and naming its row."""
    items = [{"text": str(error), "href": ""} for error in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, start=1):
        for bound_field in row:
            for error in bound_field.errors:
                items.append(
                    {
                        "text": _("%(noun)s %(number)s, %(field)s: %(error)s")
                        % {"noun": noun, "number": number, "field": str(bound_field.label).lower(), "error": error},
                        "href": f"#{error_target_id(bound_field)}",
                    }
                )
    return items


def _part_page(request: HttpRequest, uuid: Any, part: str) -> HttpResponse:
    """One part of a programme as rows, with empty rows for more: all saved together, or nothing."""
    programme = programme_for(request, uuid)
    about = PARTS[part]
    formset = part_formset(request.POST if request.method == "POST" else None, programme=programme, part=part)
    refusals: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            about["save"](programme, formset.rows(), actor=request.user)
        except ValidationError as refusal:
            refusals = refusal.messages
        else:
            messages.success(request, _("%(part)s saved.") % {"part": about["heading"]})
            return redirect(programme)
    error_items = [{"text": message, "href": ""} for message in refusals]
    if formset.is_bound:
        error_items += _row_errors(formset, str(about["noun"]))
    frozen = part == "questions" and programme.applications.filter(submitted_at__isnull=False).exists()
    return render(
        request,
        "grants/programme_part_form.html",
        {
            "programme": programme,
            "formset": formset,
            "heading": about["heading"],
            "intro": about["intro"],
            "noun": about["noun"],
            "frozen": frozen,
            "error_items": error_items,
            "breadcrumbs": _programme_crumbs(programme),
        },
        status=400 if error_items else 200,
    )


@require_permission("programme.manage")
def programme_questions(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _part_page(request, uuid, "questions")


@require_permission("programme.manage")
def programme_eligibility(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _part_page(request, uuid, "eligibility_questions")


@require_permission("programme.manage")
def programme_criteria(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _part_page(request, uuid, "criteria")


@require_permission("programme.manage")
def programme_reporting(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _part_page(request, uuid, "reporting_tiers")


@require_permission("programme.manage")
@require_safe
def programme_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    programme = programme_for(request, uuid)
    return render_history(request, programme, breadcrumbs=_programme_crumbs(programme))
