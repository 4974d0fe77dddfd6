"""Home, health check, error pages and the site pages administrators write."""

from typing import Any

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from waymark.core import policy, today
from waymark.core.forms import SitePageForm
from waymark.core.models import SitePage
from waymark.core.permissions import require_permission
from waymark.core.services import update_site_page
from waymark.core.text import render_markdown


def home(request: HttpRequest) -> HttpResponse:
    """Signed in, the work waiting for the user today (``core.today``); otherwise where the public start."""
    context = {"today_lines": today.lines_for(request.user) if request.user.is_authenticated else []}
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def rate_limited(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """Shown by django-ratelimit when a form is sent too often."""
    return render(request, "429.html", status=429)


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A public page admins write, such as the accessibility statement, rendered from Markdown."""
    page = get_object_or_404(SitePage, slug=slug)
    context = {
        "page": page,
        "body": render_markdown(page.body),
        "can_edit": policy.can(request.user, "sitepage.change"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "core/site_page.html", context)


@require_permission("sitepage.change")
def site_page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Administrators change a site page's title and Markdown text."""
    page = get_object_or_404(SitePage, slug=slug)
    saved_title = page.title  # validation copies what was typed onto the page; the heading keeps the saved title
    breadcrumbs = [(_("Home"), reverse("core:home")), (saved_title, page.get_absolute_url())]
    form = SitePageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        page = update_site_page(
            actor=request.user, page=page, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
        )
        messages.success(request, _("The page has been saved."))
        return redirect(page)
    context = {"form": form, "page": page, "saved_title": saved_title, "breadcrumbs": breadcrumbs}
    return render(request, "core/site_page_form.html", context)


def link_refused(
    request: HttpRequest,
    refusal: Exception,
    *,
    link_name: str,
    advice: str,
    next_url: str = "",
    next_text: str = "",
    form: Any = None,
    form_action: str = "",
    status: int | None = None,
) -> HttpResponse:
    """The page for a signed link that cannot be used: why, and what to do to get a working one.
    Expired and withdrawn links answer 410 Gone, so calendar programs stop asking; altered ones 404."""
    reason = getattr(refusal, "reason", "invalid")
    headings = {
        "expired": _("This %(link)s has expired"),
        "revoked": _("This %(link)s has been replaced or withdrawn"),
        "invalid": _("This %(link)s does not work"),
    }
    context = {
        "heading": headings[reason] % {"link": link_name},
        "reason": reason,
        "advice": advice,
        "next_url": next_url,
        "next_text": next_text,
        "form": form,
        "form_action": form_action,
    }
    if status is None:
        status = 404 if reason == "invalid" else 410
    response = render(request, "core/link_refused.html", context, status=status)
    response["Referrer-Policy"] = "same-origin"  # the token in the address must not reach other sites
    return response
