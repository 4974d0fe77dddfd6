"""A plan's actions as CSV or XLSX: the download, and the import in three steps (upload, check, confirm).

The check runs the whole import through the action services and rolls it back, so the preview is what
confirming does; the file waits in the session (a few hundred rows) and confirming applies it only if it
still makes exactly the changes shown. Nothing is written until then, and a file with any bad row is refused
whole, its problems listed by row and column.
"""

import base64
import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.spreadsheets import download
from waymark.core.uploads import accepts_upload, kind_of_name
from waymark.plans import action_sheets
from waymark.plans.forms_exchange import ActionImportForm
from waymark.plans.models import Action, Plan
from waymark.plans.services.spreadsheets import ImportOutcome, ImportOutdated, ImportRefused, import_actions

SESSION_KEY = "plans_action_import"
PREVIEW_ROWS_PER_PAGE = 50


def _plan(request: HttpRequest, uuid: Any) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).select_related("owner"), uuid=uuid)


def _crumbs(plan: Plan, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Action plans"), reverse("plans:plan_list")),
        (plan.title, plan.get_absolute_url()),
        *extra,
    ]


@require_permission("plan.exchange")
@require_safe
def action_export(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The plan's actions in the columns the import reads (``?format=csv`` or ``xlsx``), logged: it names leads."""
    plan = _plan(request, uuid)
    kind = request.GET.get("format", "csv")
    if kind not in action_sheets.KINDS:
        return HttpResponseBadRequest(_("Choose CSV or XLSX."), content_type="text/plain; charset=utf-8")
    content = action_sheets.write_file(plan, kind)
    record_export(
        actor=request.user,
        kind=ExportKind.PLAN_ACTIONS,
        description=plan.title,
        rows=Action.objects.filter(objective__plan=plan).count(),
        filters=filters_of(request.GET),
    )
    return download(content, action_sheets.file_name(plan, kind))


def _import_page(request: HttpRequest, plan: Plan, form: ActionImportForm, **extra: Any) -> HttpResponse:
    context = {
        "plan": plan,
        "form": form,
        "columns": action_sheets.HEADINGS,
        "breadcrumbs": _crumbs(plan),
        **extra,
    }
    failed = bool(form.errors or extra.get("problems"))
    return render(request, "plans/action_import.html", context, status=400 if failed else 200)


def _preview_rows(outcome: ImportOutcome) -> list[dict[str, Any]]:
    return [
        {"row": change.row, "code": change.code, "title": change.title, "new": change.new, "changes": change.changes}
        for change in sorted([*outcome.new, *outcome.changed], key=lambda change: change.row)
    ]


@accepts_upload(action_sheets.UPLOAD_LIMITS)
@require_permission("plan.exchange")
def action_import(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Upload a file; every row is checked, and the changes it would make are shown before anything is saved."""
    plan = _plan(request, uuid)
    form = ActionImportForm(request.POST, request.FILES) if request.method == "POST" else ActionImportForm()
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, plan, form)
    upload = form.cleaned_data["file"]
    kind = kind_of_name(upload.name)
    content = upload.read()
    try:
        outcome = import_actions(actor=request.user, plan=plan, upload=io.BytesIO(content), kind=kind, dry_run=True)
    except ImportRefused as refused:
        return _import_page(request, plan, form, problems=refused.errors)
    request.session[SESSION_KEY] = {
        "plan": str(plan.uuid),
        "kind": kind,
        "name": upload.name,
        "content": base64.b64encode(content).decode(),
        "digest": outcome.digest(),
        "rows": _preview_rows(outcome),
        "counts": {"new": len(outcome.new), "changed": len(outcome.changed), "unchanged": outcome.unchanged},
    }
    return redirect("plans:action_import_preview", uuid=plan.uuid)


def _pending(request: HttpRequest, plan: Plan) -> dict[str, Any] | None:
    pending = request.session.get(SESSION_KEY)
    return pending if isinstance(pending, dict) and pending.get("plan") == str(plan.uuid) else None


@require_permission("plan.exchange")
@require_safe
def action_import_preview(request: HttpRequest, uuid: Any) -> HttpResponse:
    """What the checked file would change, row by row, with the button that makes the changes."""
    plan = _plan(request, uuid)
    pending = _pending(request, plan)
    if pending is None:
        return redirect("plans:action_import", uuid=plan.uuid)
    counts = pending["counts"]
    summary = [
        {"key": _("File"), "value": pending["name"]},
        {"key": _("New actions"), "value": counts["new"]},
        {"key": _("Actions that change"), "value": counts["changed"]},
        {"key": _("Actions left as they are"), "value": counts["unchanged"]},
    ]
    context = {
        "plan": plan,
        "summary": summary,
        "rows_page": page_of(request, pending["rows"], PREVIEW_ROWS_PER_PAGE),
        "nothing_to_do": not pending["rows"],
        "breadcrumbs": _crumbs(plan, (_("Import actions"), reverse("plans:action_import", args=[plan.uuid]))),
    }
    return render(request, "plans/action_import_preview.html", context)


@require_permission("plan.exchange")
@require_POST
def action_import_confirm(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Make the changes the preview showed, all in one go, or none if the plan changed meanwhile."""
    plan = _plan(request, uuid)
    pending = _pending(request, plan)
    if pending is None:
        messages.error(request, _("There is no checked file to import: upload it again."))
        return redirect("plans:action_import", uuid=plan.uuid)
    try:
        outcome = import_actions(
            actor=request.user,
            plan=plan,
            upload=io.BytesIO(base64.b64decode(pending["content"])),
            kind=pending["kind"],
            expect_digest=pending["digest"],
        )
    except (ImportRefused, ImportOutdated):
        del request.session[SESSION_KEY]
        messages.error(request, _("Nothing was imported: the plan's actions changed after the file was checked."))
        return redirect("plans:action_import", uuid=plan.uuid)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Imported: %(new)s new actions, %(changed)s changed.")
        % {"new": len(outcome.new), "changed": len(outcome.changed)},
    )
    return redirect(plan.get_absolute_url())
