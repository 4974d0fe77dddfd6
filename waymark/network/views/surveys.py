"""Survey pages: the builder and sending for staff, results for staff and analysts, the questionnaire for
whoever holds a personal link, and published results for everyone (disclosure-controlled)."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from waymark.core import policy, signed_links
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.spreadsheets import download
from waymark.core.text import render_markdown
from waymark.core.views import link_refused
from waymark.network import charts
from waymark.network import survey_results as survey_reads
from waymark.network.forms_surveys import QuestionForm, ResponseForm, SendSurveyForm, SurveyForm
from waymark.network.models import DistributionList, Event, Question, Survey, SurveyStatus
from waymark.network.services import surveys as survey_services
from waymark.network.views.events import form_page

SURVEYS_PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Surveys"), reverse("network:survey_list")), *extra]


def _survey_crumbs(survey: Survey) -> list[tuple[str, str]]:
    return _crumbs((survey.title, survey.get_absolute_url()))


def _get_survey(request: HttpRequest, uuid: Any) -> Survey:
    return get_object_or_404(Survey.objects.visible_to(request.user).select_related("network", "event"), uuid=uuid)


@require_permission("network_survey.view")
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = (
        Survey.objects.visible_to(request.user)
        .annotate(n_responses=Count("responses", distinct=True), n_invited=Count("invitations", distinct=True))
        .order_by("-created_at", "pk")
    )
    page = page_of(request, surveys, SURVEYS_PER_PAGE)
    context = {
        "page_obj": page,
        "surveys": page.object_list,
        "can_manage": policy.can(request.user, "network_survey.manage"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "network/surveys/survey_list.html", context)


@require_permission("network_survey.manage")
def survey_create(request: HttpRequest) -> HttpResponseBase:
    form = SurveyForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: survey_services.save_survey(actor=request.user, survey=form.save(commit=False)),
        saved_message=_("Survey created. Now add its questions."),
        next_page=lambda survey: survey,
        title=_("Add a survey"),
        cancel_url=reverse("network:survey_list"),
        breadcrumbs=_crumbs(),
    )


@require_permission("network_survey.manage")
def survey_edit(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    survey = _get_survey(request, uuid)
    form = SurveyForm(request.POST or None, instance=survey)
    return form_page(
        request,
        form,
        save=lambda: survey_services.save_survey(actor=request.user, survey=form.save(commit=False)),
        saved_message=_("Survey saved."),
        next_page=lambda saved: saved,
        title=_("Change the survey"),
        caption=survey.title,
        cancel_url=survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(survey),
    )


@require_permission("network_survey.view")
def survey_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    survey = _get_survey(request, uuid)
    invitations = survey.invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False))
    )
    context = {
        "survey": survey,
        "introduction": render_markdown(survey.introduction),
        "questions": survey.questions.prefetch_related("options"),
        "invitations": invitations,
        "responses": survey.responses.count(),
        "can_manage": policy.can(request.user, "network_survey.manage"),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "network/surveys/survey_detail.html", context)


def _question_page(request: HttpRequest, survey: Survey, question: Question) -> HttpResponseBase:
    form = QuestionForm(request.POST or None, instance=question)
    return form_page(
        request,
        form,
        save=lambda: survey_services.save_question(
            actor=request.user, question=form.save(commit=False), options=form.option_labels()
        ),
        saved_message=_("Question saved."),
        next_page=lambda saved: survey,
        title=_("Change the question") if question.pk else _("Add a question"),
        caption=survey.title,
        cancel_url=survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(survey),
    )


@require_permission("network_survey.manage")
def question_create(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    survey = _get_survey(request, uuid)
    return _question_page(request, survey, Question(survey=survey))


@require_permission("network_survey.manage")
def question_edit(request: HttpRequest, uuid: Any, pk: int) -> HttpResponseBase:
    survey = _get_survey(request, uuid)
    return _question_page(request, survey, get_object_or_404(survey.questions, pk=pk))


@require_permission("network_survey.manage")
@require_POST
def question_delete(request: HttpRequest, uuid: Any, pk: int) -> HttpResponseBase:
    survey = _get_survey(request, uuid)
    question = get_object_or_404(survey.questions, pk=pk)
    survey_services.delete_question(actor=request.user, question=question)
    messages.success(request, _("Question removed, with any answers to it."))
    return redirect(survey)


@require_permission("network_survey.manage")
def survey_send(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """Send personal links to a list or an event's attendees; says how many were sent and skipped, and why."""
    survey = _get_survey(request, uuid)
    form = SendSurveyForm(
        request.POST or None,
        lists=DistributionList.objects.visible_to(request.user).select_related("network"),
        events=Event.objects.visible_to(request.user),
        initial={"event": survey.event, "audience": "event_came" if survey.event else "list"},
    )
    if request.method == "POST" and form.is_valid():
        audience = form.cleaned_data["audience"]
        try:
            summary = survey_services.send_survey(
                survey=survey,
                actor=request.user,
                distribution_list=form.cleaned_data["distribution_list"] if audience == "list" else None,
                event=form.cleaned_data["event"] if audience != "list" else None,
                came_only=audience == "event_came",
            )
        except survey_services.SurveyRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            text = _("Sent to %(sent)d people.") % {"sent": summary.sent}
            if summary.already_invited:
                text += " " + _("%(n)d had already been sent it.") % {"n": summary.already_invited}
            skipped = sum(summary.skipped.values())
            if skipped:
                text += " " + _("%(n)d skipped: no e-mail address, no recorded consent, or they unsubscribed.") % {
                    "n": skipped
                }
            messages.success(request, text)
            return redirect(survey)
    context = {"form": form, "survey": survey, "breadcrumbs": _survey_crumbs(survey)}
    return render(request, "network/surveys/survey_send.html", context)


def _chart_rows(result: survey_reads.QuestionResult, public: bool) -> list[tuple[str, int | None]]:
    return [(row.label, row.published.value if public and row.published else row.count) for row in result.rows]


def _results_context(survey: Survey, *, public: bool) -> dict[str, Any]:
    total, results = survey_reads.survey_results(survey, public=public)
    return {
        "survey": survey,
        "public": public,
        "total": survey_reads.published_total(total).value if public else total,
        "results": [(result, charts.bar_chart(_chart_rows(result, public))) for result in results],
    }


@require_permission("network_survey.view")
def survey_results(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """Exact results for staff and analysts; ``?format=csv`` or ``xlsx`` downloads every response."""
    survey = _get_survey(request, uuid)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        content = survey_reads.export_csv(survey) if export == "csv" else survey_reads.export_xlsx(survey)
        record_export(
            actor=request.user,
            kind=ExportKind.SURVEY_RESPONSES,
            description=survey.title,
            rows=survey.responses.count(),
            filters=filters_of(request.GET),
        )
        return download(content, f"survey-{survey.uuid}.{export}")
    context = _results_context(survey, public=False) | {"breadcrumbs": _survey_crumbs(survey)}
    return render(request, "network/surveys/survey_results.html", context)


@require_safe
def survey_public_results(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Published results: small counts hidden and the rest rounded, free text left out."""
    survey = get_object_or_404(Survey, uuid=uuid, results_public=True)
    context = _results_context(survey, public=True) | {"breadcrumbs": [(_("Home"), reverse("core:home"))]}
    return render(request, "network/surveys/survey_results.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def survey_respond(request: HttpRequest, token: str) -> HttpResponseBase:
    """The questionnaire behind someone's personal link."""
    try:
        invitation = survey_reads.invitation_from_token(token)
    except signed_links.LinkRefused as refusal:
        return link_refused(
            request,
            refusal,
            link_name=_("survey link"),
            advice=_("If the survey is still open, ask the person who sent it for a new link."),
        )
    survey = invitation.survey
    done = invitation.responded_at is not None
    form = None
    if not done and survey.status == SurveyStatus.OPEN:
        form = ResponseForm(request.POST or None, survey=survey)
        if request.method == "POST" and form.is_valid():
            try:
                survey_services.submit_response(invitation=invitation, answers=form.answers())
            except survey_services.SurveyRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect("network:survey_respond", token=token)
    context = {
        "survey": survey,
        "introduction": render_markdown(survey.introduction),
        "form": form,
        "done": done,
        "closed": survey.status != SurveyStatus.OPEN,
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "network/surveys/survey_respond.html", context)
