"""The public grants pages: the programmes open to applications, each programme's page with its eligibility
checker, and its statistics. No account needed.

A programme's pages carry the language in their address (/grants/apply/ur/programmes/seed-2027/), as the
feedback form's do, so a community group can share the link in its own language; the application form that
follows is offered in the programme's languages only, so its page is too.
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.choices import OrganisationType
from waymark.grants.forms_checker import EligibilityCheckForm
from waymark.grants.models import Programme
from waymark.grants.public_statistics import programme_statistics

# The application form's first page, which the apply pages provide: (lang, code).
APPLY_START_URL = "grants:apply_start"


@require_safe
def public_programme_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    lang = translation.get_language()
    programmes = list(Programme.objects.filter(published=True).select_related("funder").order_by("closes_on", "title"))
    for programme in programmes:
        page_lang = lang if lang in programme.offered_languages else settings.LANGUAGE_CODE
        programme.public_url = reverse(  # type: ignore[attr-defined]
            "grants:public_programme", kwargs={"lang": page_lang, "code": programme.code}
        )
        programme.statistics_url = reverse(  # type: ignore[attr-defined]
            "grants:public_programme_statistics", kwargs={"lang": _site_language(lang), "code": programme.code}
        )
    return render(
        request,
        "grants/public/programme_list.html",
        {
            "open_now": [p for p in programmes if p.opens_on <= today <= p.closes_on],
            "coming": [p for p in programmes if p.opens_on > today],
            "closed": [p for p in programmes if p.closes_on < today][:20],
        },
    )


@require_safe
def public_programme(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    """Who may apply, for what, the timetable, and the checker; the form's link once the checker is passed."""
    programme = _published(code)
    if lang not in programme.offered_languages:
        _site_language_or_404(lang)
        return redirect("grants:public_programme", lang=settings.LANGUAGE_CODE, code=code)
    _use_language(request, lang)
    questions = list(programme.eligibility_questions.all())
    form = EligibilityCheckForm(questions, request.GET if "check" in request.GET else None, auto_id="id_%s")
    checked = form.is_bound and form.is_valid()
    ruled_out = form.ruled_out() if checked else []
    today = timezone.localdate()
    context = {
        "programme": programme,
        "lang": lang,
        "form": form,
        "has_questions": bool(questions),
        "checked": checked,
        "ruled_out": ruled_out,
        "may_apply": (checked or not questions) and not ruled_out,
        "open_now": programme.opens_on <= today <= programme.closes_on,
        "not_open_yet": today < programme.opens_on,
        "start_url": _start_url(lang, code),
        "who_may_apply": _who_may_apply(programme),
        "areas": [area.name for area in programme.areas.all()],
        "communities": [community.name for community in programme.communities.all()],
        "languages": language_links("grants:public_programme", lang, programme.offered_languages, code=code),
        "statistics_url": reverse("grants:public_programme_statistics", kwargs={"lang": lang, "code": code}),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "grants/public/programme.html", context)


@require_safe
def public_programme_statistics(request: HttpRequest, lang: str, code: str) -> HttpResponse:
    """Applications, awards, success rate and days to decision, with small numbers hidden: in any language."""
    programme = _published(code)
    _site_language_or_404(lang)
    _use_language(request, lang)
    site_languages = [code for code, _name in settings.LANGUAGES]
    page_lang = lang if lang in programme.offered_languages else settings.LANGUAGE_CODE
    context = {
        "programme": programme,
        "lang": lang,
        "statistics": programme_statistics(programme),
        "rules": settings.WAYMARK_DISCLOSURE,
        "languages": language_links("grants:public_programme_statistics", lang, site_languages, code=code),
        "programme_url": reverse("grants:public_programme", kwargs={"lang": page_lang, "code": code}),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "grants/public/statistics.html", context)


def language_links(url_name: str, lang: str, codes: list[str], **kwargs: Any) -> list[dict[str, Any]]:
    """This page in each of ``codes``, named in its own language (the language switcher)."""
    rows = []
    for code in codes:
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


def _published(code: str) -> Programme:
    return get_object_or_404(Programme.objects.filter(published=True).select_related("funder"), code=code)


def _site_language(lang: str) -> str:
    return lang if lang in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _site_language_or_404(lang: str) -> None:
    if lang not in dict(settings.LANGUAGES):
        raise Http404


def _use_language(request: HttpRequest, lang: str) -> None:
    translation.activate(lang)
    request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]


def _start_url(lang: str, code: str) -> str | None:
    """The application form's first page, once the apply pages provide it."""
    try:
        return reverse(APPLY_START_URL, kwargs={"lang": lang, "code": code})
    except NoReverseMatch:
        return None


def _who_may_apply(programme: Programme) -> list[str]:
    kinds = [str(OrganisationType(kind).label) for kind in programme.eligible_types if kind in OrganisationType.values]
    if programme.accepts_individuals:
        kinds.append(_("Individuals"))
    return kinds


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Apply for a grant"), reverse("grants:public_programme_list"))]
