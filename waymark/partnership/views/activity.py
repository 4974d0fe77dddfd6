"""The activity log's pages: a worker's own entries with this quarter's totals, the quick form to log one
(made for a phone), changing and deleting an entry, and the entries as CSV or XLSX.

Workers (``cdw_activity.record``) change only their own entries (object rule) and download them; a
worker's entries are downloaded by the worker or their line manager (``cdw_activity.export`` on the worker,
linked from the worker's balance page), and every download is logged: an entry is the worker's personal data.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from waymark.core import policy
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.lists import page_of
from waymark.core.permissions import check_permission, require_permission
from waymark.core.spreadsheets import download
from waymark.core.views_forms import service_form_page
from waymark.partnership import activity_log
from waymark.partnership.forms_activity import LINK_FIELDS, ActivityForm
from waymark.partnership.models import Activity
from waymark.partnership.services import activity as activity_services

ENTRIES_PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("My activity"), reverse("partnership:activity_list")), *extra]


def _posted(request: HttpRequest) -> Any:
    """The POST data, even when empty: an empty form sent is refused with its errors, not shown afresh."""
    return request.POST if request.method == "POST" else None


def _own_entry(request: HttpRequest, uuid: Any) -> Activity:
    """An entry the user sees (a worker's own, or one of a line manager's workers) and may change: their own
    (else 403)."""
    activity = get_object_or_404(Activity.objects.visible_to(request.user), uuid=uuid)
    check_permission(request, "cdw_activity.record", activity)
    return activity


@require_permission("cdw_activity.record")
def activity_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partnership/activity_list.html",
        {
            "page": page_of(request, activity_log.own_entries(request.user), ENTRIES_PER_PAGE),
            "totals": activity_log.quarter_totals(request.user),
            "breadcrumbs": _crumbs()[:1],
        },
    )


def _form_page(request: HttpRequest, form: ActivityForm, *, activity: Activity | None) -> HttpResponse:
    def save() -> Activity:
        if activity is None:
            return activity_services.record_activity(actor=request.user, data=form.activity_data(), links=form.links())
        return activity_services.change_activity(
            actor=request.user, activity=activity, data=form.activity_data(), links=form.links()
        )

    return service_form_page(
        request,
        form,
        save=save,
        saved_message=_("Your activity is logged.") if activity is None else _("The activity is saved."),
        next_page=lambda saved: reverse("partnership:activity_list"),
        template="partnership/activity_form.html",
        context={
            "activity": activity,
            "heading": _("Log an activity") if activity is None else _("Change an activity"),
            "more_open": bool(form.errors and any(name in form.errors for name in LINK_FIELDS)),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("cdw_activity.record")
def activity_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, ActivityForm(_posted(request), user=request.user), activity=None)


@require_permission("cdw_activity.record")
def activity_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    activity = _own_entry(request, uuid)
    form = ActivityForm(_posted(request), instance=activity, user=request.user)
    return _form_page(request, form, activity=activity)


@require_permission("cdw_activity.record")
def activity_delete(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Ask first; delete on the confirming POST."""
    activity = _own_entry(request, uuid)
    if request.method == "POST":
        activity_services.delete_activity(actor=request.user, activity=activity)
        messages.success(request, _("The activity is deleted."))
        return redirect("partnership:activity_list")
    return render(
        request,
        "partnership/activity_confirm_delete.html",
        {"activity": activity, "breadcrumbs": _crumbs()},
    )


def _download(request: HttpRequest, worker: Any) -> HttpResponse:
    kind = request.GET.get("format", "csv")
    if kind not in activity_log.KINDS:
        return HttpResponseBadRequest(_("Choose CSV or XLSX."), content_type="text/plain; charset=utf-8")
    content, rows = activity_log.write_file(worker, viewer=request.user, kind=kind)
    record_export(
        actor=request.user,
        kind=ExportKind.CDW_ACTIVITY,
        description=worker.get_full_name() or worker.get_username(),
        rows=rows,
        filters=filters_of(request.GET),
    )
    return download(content, activity_log.file_name(worker, kind))


@require_safe
@require_permission("cdw_activity.record")
def activity_export(request: HttpRequest) -> HttpResponse:
    """The worker's own entries (``?format=csv`` or ``xlsx``)."""
    return _download(request, request.user)


@require_safe
@require_permission("cdw_activity.export")
def worker_activity_export(request: HttpRequest, user_id: int) -> HttpResponse:
    """A worker's entries, for the worker or their line manager; anyone else is told there is no such page."""
    worker = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    if not policy.can(request.user, "cdw_activity.export", worker):
        raise Http404
    return _download(request, worker)
