"""The consultation calendar taken elsewhere: the public iCalendar feed, each working user's private feed and
the page to subscribe to it, and the calendar as CSV or XLSX.

The public feed needs no account and holds only published consultations, open or reported. The private feed
answers a signed-in user or a signed link (calendar programs cannot sign in). The spreadsheet names each
lead's contact, so every download is written to the export log.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy, signed_links
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.permissions import require_permission
from waymark.core.spreadsheets import download
from waymark.core.views import link_refused
from waymark.network.ical import ics_response
from waymark.partnership import consultation_sheets, feeds
from waymark.partnership.filtersets import ConsultationFilterSet
from waymark.partnership.models import Consultation
from waymark.partnership.services import feeds as feed_services


@require_safe
def public_feed(request: HttpRequest) -> HttpResponse:
    """Published consultations for anyone's calendar: no account, no contact details."""
    return ics_response(feeds.public_calendar(), "consultations.ics")


@require_safe
def consultation_feed(request: HttpRequest) -> HttpResponseBase:
    """The whole calendar for one working user, signed in or through their private link."""
    token = request.GET.get("token", "")
    try:
        user = feeds.feed_user(token) if token else request.user
    except signed_links.LinkRefused as refusal:
        return link_refused(
            request,
            refusal,
            link_name=_("calendar link"),
            advice=_("Sign in and copy your new private calendar address from the consultation calendar."),
            next_url=reverse("partnership:consultation_subscribe"),
            next_text=_("Get a new calendar address"),
        )
    if not getattr(user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    if not policy.can(user, "consultation.view"):
        raise PermissionDenied
    return ics_response(feeds.working_calendar(user), "consultation-calendar.ics")


@require_permission("consultation.view")
def consultation_subscribe(request: HttpRequest) -> HttpResponse:
    """The user's private calendar address, and a button to replace it (the old one stops working)."""
    if request.method == "POST":
        feed_services.replace_feed_link(actor=request.user, user=request.user)
        messages.success(
            request, _("Your calendar address has changed. Subscribe to the new one: the old one no longer works.")
        )
        return redirect("partnership:consultation_subscribe")
    context = {
        "feed_url": feeds.feed_url(request.user),
        "public_feed_url": feeds.absolute_url(reverse("partnership:public_feed")),
        "breadcrumbs": [
            (_("Home"), reverse("core:home")),
            (_("Consultation calendar"), reverse("partnership:consultation_list")),
        ],
    }
    return render(request, "partnership/consultation_subscribe.html", context)


def _filtered(request: HttpRequest, rows: QuerySet[Consultation]) -> QuerySet[Consultation]:
    """The rows the calendar list shows for the same query, in its order."""
    return ConsultationFilterSet(request.GET, queryset=rows, request=request).qs.order_by("starts_on", "pk")


@require_permission("consultation.view")
@require_safe
def consultation_export(request: HttpRequest) -> HttpResponse:
    """The calendar as ``?format=csv`` or ``xlsx``, logged: it names each lead's contact."""
    kind = request.GET.get("format", "csv")
    if kind not in consultation_sheets.KINDS:
        return HttpResponseBadRequest(_("Choose CSV or XLSX."), content_type="text/plain; charset=utf-8")
    rows = _filtered(request, Consultation.objects.visible_to(request.user))
    content = consultation_sheets.write_file(rows, kind, filters=filters_of(request.GET))
    record_export(
        actor=request.user,
        kind=ExportKind.CONSULTATIONS,
        description=_("Consultation calendar"),
        rows=rows.count(),
        filters=filters_of(request.GET),
    )
    return download(content, consultation_sheets.file_name(kind))
