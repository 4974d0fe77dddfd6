""" "You said, we did": the public record of what communities raised and what services answered and changed.

No sign-in. Everything shown is chosen by ``voice.published`` (published answers only, no personal data,
quoted words only with consent to publish, every count of feedback disclosure-controlled).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core.lists import page_of
from waymark.core.models import Organisation, Theme
from waymark.voice import published
from waymark.voice.models import Issue

ISSUES_PER_PAGE = 20


def _breadcrumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("You said, we did"), reverse("voice:you_said_we_did")), *extra]


def _issue_page(request: HttpRequest, issues: QuerySet[Issue]) -> Any:
    return page_of(request, issues, ISSUES_PER_PAGE)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Recent answers, the ways to browse them, and how much feedback each theme drew."""
    context = {
        "page_obj": _issue_page(request, published.public_issues()),
        "themes": published.public_themes(),
        "organisations": published.public_organisations(),
        "services": published.services_with_public_issues(),
        "theme_counts": published.items_by_theme(),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "voice/public_reports/index.html", context)


@require_safe
def theme(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Theme.objects.select_related("parent"), slug=slug)
    context = {
        "heading": chosen.name,
        "caption": _("Theme"),
        "description": chosen.description,
        "page_obj": _issue_page(request, published.issues_for_theme(chosen)),
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/public_reports/issue_list.html", context)


@require_safe
def organisation(request: HttpRequest, uuid: str) -> HttpResponse:
    chosen = get_object_or_404(Organisation.objects.filter(active=True), uuid=uuid)
    issues = published.issues_for_organisation(chosen)
    record = published.timeliness([chosen])
    if not record:
        raise Http404(_("This organisation has not been asked to answer anything yet."))
    context = {
        "heading": chosen.name,
        "caption": _("Organisation"),
        "page_obj": _issue_page(request, issues),
        "timeliness": record,
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/public_reports/issue_list.html", context)


@require_safe
def service(request: HttpRequest, uuid: str) -> HttpResponse:
    from waymark.directory.models import Service

    chosen = get_object_or_404(Service.objects.public().select_related("organisation"), uuid=uuid)
    context = {
        "heading": chosen.name,
        "caption": _("Service run by %(organisation)s") % {"organisation": chosen.organisation.name},
        "page_obj": _issue_page(request, published.issues_for_service(chosen)),
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/public_reports/issue_list.html", context)


@require_safe
def issue(request: HttpRequest, uuid: str) -> HttpResponse:
    chosen = get_object_or_404(published.public_issues(), uuid=uuid)
    context = {
        "issue": chosen,
        "item_count": published.item_count(chosen),
        "quotes": published.publishable_quotes(chosen),
        "breadcrumbs": _breadcrumbs(),
    }
    return render(request, "voice/public_reports/issue_detail.html", context)


@require_safe
def timeliness(request: HttpRequest) -> HttpResponse:
    """Every organisation asked to answer, and how often it answered by the due date."""
    rows = published.timeliness()
    page = page_of(request, rows, 50)
    context = {"page_obj": page, "timeliness": page.object_list, "breadcrumbs": _breadcrumbs()}
    return render(request, "voice/public_reports/timeliness.html", context)
