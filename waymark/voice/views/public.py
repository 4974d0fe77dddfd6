"""The public feedback form and the reference page, in every language the site offers. No account needed.

The language is part of the address (/voice/feedback/ur/), so a community group can share a link to the
form in its own language; the bare address sends people to the language their browser asks for.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from waymark.voice.forms_public import PublicFeedbackForm, ReferenceLookupForm
from waymark.voice.models import FeedbackItem, Response
from waymark.voice.services import intake

REFERENCE_LOOKUP_RATE = "30/m"


def language_links(url_name: str, lang: str, **kwargs: Any) -> list[dict[str, Any]]:
    """This page in each language the site offers, named in that language (the language switcher)."""
    rows = []
    for code, _english in settings.LANGUAGES:
        info = translation.get_language_info(code)
        rows.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "dir": "rtl" if info["bidi"] else "ltr",
                "url": reverse(url_name, kwargs={"lang": code, **kwargs}),
                "current": code == lang,
            }
        )
    return rows


def _use_language(request: HttpRequest, lang: str) -> None:
    """Show this page in ``lang``, which must be one the site offers."""
    if lang not in dict(settings.LANGUAGES):
        raise Http404
    translation.activate(lang)
    request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]


def lookup_rate(group: str, request: HttpRequest) -> str:
    """Read per request, so a test can lower it."""
    return REFERENCE_LOOKUP_RATE


def feedback_rate(group: str, request: HttpRequest) -> str:
    """Read per request, so the load bench (and tests) can raise it through the setting."""
    return settings.VOICE_FEEDBACK_RATE


@require_safe
def feedback_start(request: HttpRequest) -> HttpResponse:
    """The bare address: the form in the language the browser asks for, if offered, else English."""
    lang = translation.get_language()
    if lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    return redirect("voice:feedback", lang=lang)


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=feedback_rate, method="POST", block=False)
def feedback(request: HttpRequest, lang: str) -> HttpResponseBase:
    """The form. Sent too often, it comes back with everything typed and a 429; spam is thanked and dropped."""
    _use_language(request, lang)
    form = PublicFeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()  # so the fields keep what was typed
            form.add_error(
                None, _("You have sent this form several times in a short time. Wait a minute and send it again.")
            )
            status = 429
        elif form.is_spam:
            return render(request, "voice/public/feedback_dropped.html", _context(lang))
        elif form.is_valid():
            data = form.cleaned_data
            item = intake.submit_public_feedback(
                text=data["text"],
                consent_to_share=data["consent_to_share"],
                consent_to_publish=data["consent_to_publish"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                wants_updates=data["wants_updates"],
                demographics=form.demographics(),
            )
            messages.success(request, _("Thank you. We have your feedback."))
            return redirect("voice:reference", reference=item.reference, lang=lang)
    context = _context(lang, form=form, languages=language_links("voice:feedback", lang))
    return render(request, "voice/public/feedback_form.html", context, status=status)


def _too_many_lookups(request: HttpRequest, lang: str) -> HttpResponse:
    """The rate limit's answer in the page's language; core's 429 page is for people who sign in."""
    return render(request, "voice/public/too_many_lookups.html", _context(lang), status=429)


@never_cache
@require_safe
@ratelimit(key="ip", rate=lookup_rate, method="GET", block=False)
def reference_lookup(request: HttpRequest, lang: str) -> HttpResponseBase:
    """Type the reference you were given to see what happened to your feedback."""
    _use_language(request, lang)
    if getattr(request, "limited", False):
        return _too_many_lookups(request, lang)
    form = ReferenceLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data["reference"]
        if FeedbackItem.objects.filter(reference=reference).exists():
            return redirect("voice:reference", reference=reference, lang=lang)
        form.add_error("reference", _("We cannot find that reference. Check it against the one you were given."))
    context = _context(lang, form=form, languages=language_links("voice:reference_lookup", lang))
    return render(request, "voice/public/reference_lookup.html", context)


@never_cache
@require_safe
@ratelimit(key="ip", rate=lookup_rate, method="GET", block=False)
def reference(request: HttpRequest, reference: str, lang: str) -> HttpResponse:
    """Only the status and any published answer: never the words, contact details or anything about the person.
    A mistyped reference gets a 404 in the page's language that leads back to the look-up, not core's page,
    which speaks of signing in."""
    _use_language(request, lang)
    if getattr(request, "limited", False):
        return _too_many_lookups(request, lang)
    item = FeedbackItem.objects.filter(reference=reference.upper()).only("reference", "status").first()
    if item is None:
        return render(request, "voice/public/reference_not_found.html", _context(lang), status=404)
    responses = (
        Response.objects.filter(published=True, escalation__issue__items=item)
        .select_related("escalation__responder")
        .distinct()
    )
    languages = language_links("voice:reference", lang, reference=item.reference)
    context = _context(lang, item=item, responses=responses, languages=languages)
    return render(request, "voice/public/reference.html", context)


def _context(lang: str, **extra: Any) -> dict[str, Any]:
    return {
        "lang": lang,
        "feedback_url": reverse("voice:feedback", kwargs={"lang": lang}),
        "lookup_url": reverse("voice:reference_lookup", kwargs={"lang": lang}),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
        **extra,
    }
