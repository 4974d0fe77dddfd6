"""The applicant's journey, no account needed: start (name, e-mail), then a draft saved at every step (the group,
the project, the programme's questions, communities served, files), check answers and send.

The language is part of the address (/grants/apply/ur/…), as on the feedback form, and Urdu reads right to left.
The way back is the signed link e-mailed at the start and on request; it is the key to the draft, so the page
sets ``Referrer-Policy: same-origin`` and is never cached. Every POST redirects (Post/Redirect/Get): a refreshed
page never sends anything twice, and starting again from the same page returns the draft already made.
"""

import uuid as uuid_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from waymark.core import signed_links
from waymark.core.forms import attach_errors
from waymark.core.uploads import accepts_upload
from waymark.grants.choices import ApplicationStatus
from waymark.grants.drafts import STEPS, application_for_token, draft_path
from waymark.grants.forms_apply import (
    AttachmentForm,
    CheckForm,
    CommunitiesForm,
    GroupForm,
    LostLinkForm,
    ProjectForm,
    QuestionsForm,
    StartForm,
)
from waymark.grants.models import Application, Programme
from waymark.grants.services import applications as service
from waymark.grants.workflow import public_status_label

STEP_TITLES = {
    "group": gettext_lazy("About your group"),
    "project": gettext_lazy("Your project"),
    "questions": gettext_lazy("Your answers"),
    "communities": gettext_lazy("Who you serve"),
    "attachments": gettext_lazy("Files"),
    "check": gettext_lazy("Check your answers and send"),
}
LOST_LINK_RATE = "10/h"
SESSION_STARTED = "grants_started"  # start-form key → the draft it made, so a repeated POST returns that draft


def application_rate(group: str, request: HttpRequest) -> str:
    """Read per request, so tests and the load bench can change it through the setting."""
    return settings.GRANT_APPLICATION_RATE


def _use_language(request: HttpRequest, lang: str, programme: Programme | None = None) -> None:
    """Show this page in ``lang``: one the site offers and, for a programme's form, one the programme offers."""
    if lang not in dict(settings.LANGUAGES) or (programme is not None and lang not in programme.offered_languages):
        raise Http404
    translation.activate(lang)
    request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]


def _language_links(programme: Programme, lang: str, url: Any) -> list[dict[str, Any]]:
    """This page in each language the programme's form is offered in, named in that language."""
    rows = []
    for code in programme.offered_languages:
        info = translation.get_language_info(code)
        rows.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "dir": "rtl" if info["bidi"] else "ltr",
                "url": url(code),
                "current": code == lang,
            }
        )
    return rows


def _private(response: HttpResponse) -> HttpResponse:
    """The draft's link is in the address: it must not reach other sites."""
    response["Referrer-Policy"] = "same-origin"
    return response


def _limited(request: HttpRequest, form: Any) -> bool:
    if getattr(request, "limited", False):
        form.add_error(
            None, _("You have saved this form many times in a short time. Wait a few minutes and try again.")
        )
        return True
    return False


# --- Start ------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=application_rate, method="POST", block=False)
def apply_start(request: HttpRequest, lang: str, code: str) -> HttpResponseBase:
    """Your name and e-mail address: the draft is made, and the link back to it e-mailed, before anything else."""
    programme = get_object_or_404(Programme.objects.filter(published=True).select_related("funder"), code=code)
    _use_language(request, lang, programme)
    today = timezone.localdate()
    is_open = programme.opens_on <= today <= programme.closes_on
    form = StartForm(request.POST if request.method == "POST" else None)
    start_key = request.POST.get("start_key") or str(uuid_module.uuid4())
    status = 200
    if request.method == "POST" and is_open:
        started = request.session.get(SESSION_STARTED, {})
        earlier = Application.objects.filter(uuid=started.get(start_key)).first() if start_key in started else None
        if earlier is not None:  # the same start form sent again (back button, double click): the same draft
            return redirect(draft_path(earlier, "group", lang=lang))
        if _limited(request, form):
            form.is_valid()
            status = 429
        elif form.is_valid():
            try:
                application = service.start_application(
                    programme=programme,
                    language=lang,
                    contact_name=form.cleaned_data["contact_name"],
                    contact_email=form.cleaned_data["contact_email"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                request.session[SESSION_STARTED] = {**started, start_key: str(application.uuid)}
                messages.success(
                    request,
                    _(
                        "Your application is started. We have e-mailed you a link back to it, so you can stop at any "
                        "time and carry on later."
                    ),
                )
                return redirect(draft_path(application, "group", lang=lang))
    context = {
        "programme": programme,
        "form": form,
        "is_open": is_open,
        "start_key": start_key,
        "lang": lang,
        "languages": _language_links(
            programme, lang, lambda code: reverse("grants:apply_start", kwargs={"lang": code, "code": programme.code})
        ),
        "lost_link_url": reverse("grants:apply_lost_link", kwargs={"lang": lang}),
    }
    return render(request, "grants/apply/start.html", context, status=status)


# --- The draft --------------------------------------------------------------------------------------------


def _refused(request: HttpRequest, lang: str, refusal: signed_links.LinkRefused) -> HttpResponse:
    if lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    translation.activate(lang)
    context = {
        "reason": refusal.reason,
        "form": LostLinkForm(),
        "lang": lang,
        "lost_link_url": reverse("grants:apply_lost_link", kwargs={"lang": lang}),
    }
    return _private(
        render(request, "grants/apply/link_refused.html", context, status=410 if refusal.reason != "invalid" else 404)
    )


def _step_context(request: HttpRequest, application: Application, lang: str, token: str, step: str) -> dict[str, Any]:
    programme = application.programme
    index = STEPS.index(step)
    return {
        "application": application,
        "programme": programme,
        "lang": lang,
        "token": token,
        "step": step,
        "step_title": STEP_TITLES[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "steps": [
            {
                "slug": slug,
                "title": STEP_TITLES[slug],
                "url": draft_path(application, slug, token=token, lang=lang),
                "current": slug == step,
            }
            for slug in STEPS
        ],
        "back_url": draft_path(application, STEPS[index - 1], token=token, lang=lang) if index else None,
        "languages": _language_links(
            programme,
            lang,
            lambda code: reverse("grants:apply_step", kwargs={"lang": code, "token": token, "step": step}),
        ),
        "lost_link_url": reverse("grants:apply_lost_link", kwargs={"lang": lang}),
    }


@never_cache
@require_safe
def apply_resume(request: HttpRequest, lang: str, token: str) -> HttpResponse:
    """The e-mailed link: the first step still to fill in, or the check page, or what happened to it once sent."""
    try:
        application = application_for_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, lang, refusal)
    _use_language(request, lang, application.programme)
    if application.status != ApplicationStatus.DRAFT:
        return _private(redirect("grants:apply_sent", lang=lang, token=token))
    step = "group" if not application.organisation_name and not application.project_title else "check"
    return _private(redirect(draft_path(application, step, token=token, lang=lang)))


def _forms_for(step: str, application: Application, data: Any = None, files: Any = None) -> Any:
    programme = application.programme
    if step == "group":
        return GroupForm(data, instance=application, programme=programme)
    if step == "project":
        return ProjectForm(data, instance=application, programme=programme)
    if step == "questions":
        return QuestionsForm(data, programme=programme, answers=application.answers)
    if step == "communities":
        return CommunitiesForm(data, instance=application)
    if step == "attachments":
        return AttachmentForm(data, files)
    return CheckForm(data)


def _save_step(step: str, application: Application, form: Any, lang: str) -> Application:
    """Hand one step's cleaned values to the service: nothing here writes."""
    if step == "questions":
        return service.save_draft(application, language=lang, answers=form.answers())
    if step == "attachments":
        service.add_attachment(application, title=form.cleaned_data["title"], file=form.cleaned_data["file"])
        return application
    if step == "check":
        return service.submit_application(application)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
    return service.save_draft(application, language=lang, **fields)


@never_cache
@require_http_methods(["GET", "POST"])
@accepts_upload("grant_attachments")
@ratelimit(key="ip", rate=application_rate, method="POST", block=False)
def apply_step(request: HttpRequest, lang: str, token: str, step: str) -> HttpResponseBase:
    """One step of the draft. "Save and continue" goes on; "Save and come back later" stays, and says how."""
    if step not in STEPS:
        raise Http404
    try:
        application = application_for_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, lang, refusal)
    _use_language(request, lang, application.programme)
    if application.status != ApplicationStatus.DRAFT:
        return _private(redirect("grants:apply_sent", lang=lang, token=token))
    status = 200
    if request.method == "POST":
        form = _forms_for(step, application, request.POST, request.FILES)
        if _limited(request, form):
            form.is_valid()
            status = 429
        elif form.is_valid():
            try:
                saved = _save_step(step, application, form, lang)
            except ValidationError as error:
                attach_errors(form, error)
                status = 400 if step == "check" else 200
            else:
                if step == "check":
                    return _private(redirect("grants:apply_sent", lang=lang, token=token))
                if step == "attachments":
                    messages.success(request, _("The file is added."))
                    return _private(redirect(draft_path(saved, step, token=token, lang=lang)))
                if "later" in request.POST:
                    messages.success(
                        request,
                        _(
                            "Saved. To carry on later, use the link we e-mailed you when you started, "
                            "or ask for a new one."
                        ),
                    )
                    return _private(redirect("grants:apply_step", lang=lang, token=token, step=step))
                messages.success(request, _("Saved."))
                return _private(
                    redirect("grants:apply_step", lang=lang, token=token, step=STEPS[STEPS.index(step) + 1])
                )
        application.refresh_from_db()
    else:
        form = _forms_for(step, application)
    context = _step_context(request, application, lang, token, step)
    context["form"] = form
    if step == "questions":
        context["word_counts"] = form.word_counts()
    if step == "attachments":
        context["attachments"] = list(application.attachments.order_by("uploaded_at"))
    if step == "check":
        context.update(_check_context(application, token, lang))
    return _private(render(request, f"grants/apply/step_{step}.html", context, status=status))


def _check_context(application: Application, token: str, lang: str) -> dict[str, Any]:
    answers = application.answers
    missing = service.missing_for_submission(application)
    questions = [(question, answers.get(question.key, "")) for question in application.programme.questions.all()]
    return {
        "missing": list(missing.values()),
        "questions": questions,
        "communities": list(application.communities.order_by("name")),
        "attachments": list(application.attachments.order_by("uploaded_at")),
        "step_urls": {slug: draft_path(application, slug, token=token, lang=lang) for slug in STEPS},
    }


@never_cache
@require_POST
def apply_attachment_remove(request: HttpRequest, lang: str, token: str, uuid: Any) -> HttpResponse:
    try:
        application = application_for_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, lang, refusal)
    _use_language(request, lang, application.programme)
    attachment = get_object_or_404(application.attachments.all(), uuid=uuid)
    try:
        service.remove_attachment(attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is removed."))
    return _private(redirect("grants:apply_step", lang=lang, token=token, step="attachments"))


@never_cache
@require_safe
def apply_sent(request: HttpRequest, lang: str, token: str) -> HttpResponse:
    """What the applicant sees once it is sent: the reference, when they will hear, and where it is now."""
    try:
        application = application_for_token(token)
    except signed_links.LinkRefused as refusal:
        return _refused(request, lang, refusal)
    _use_language(request, lang, application.programme)
    if application.status == ApplicationStatus.DRAFT:
        return _private(redirect("grants:apply_step", lang=lang, token=token, step="check"))
    context = {
        "application": application,
        "programme": application.programme,
        "status_label": public_status_label(application.status),
        "lang": lang,
        "languages": _language_links(
            application.programme,
            lang,
            lambda code: reverse("grants:apply_sent", kwargs={"lang": code, "token": token}),
        ),
    }
    return _private(render(request, "grants/apply/sent.html", context))


# --- Lost your link? --------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=LOST_LINK_RATE, method="POST", block=True)
@ratelimit(key="post:email", rate=LOST_LINK_RATE, method="POST", block=True)
def apply_lost_link(request: HttpRequest, lang: str) -> HttpResponse:
    """Type the address you started with and a fresh link comes by e-mail; the page says the same whether or not
    the address has a draft, so nobody can find out who has applied."""
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    translation.activate(lang)
    form = LostLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        service.send_draft_links(email=form.cleaned_data["email"])
        request.session["grants_lost_link_sent"] = True
        return redirect("grants:apply_lost_link_sent", lang=lang)
    return render(request, "grants/apply/lost_link.html", {"form": form, "lang": lang})


@never_cache
@require_safe
def apply_lost_link_sent(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    translation.activate(lang)
    return render(
        request,
        "grants/apply/lost_link_sent.html",
        {"lang": lang, "lost_link_url": reverse("grants:apply_lost_link", kwargs={"lang": lang})},
    )
