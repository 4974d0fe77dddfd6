"""The partnership pages: the list, a partnership with its members and terms, starting and changing one, its
members with their named leads and deputies, and the who-does-what matrix on screen, to edit and as XLSX.

Working users (``partnership.view``) read; staff and administrators (``partnership.manage``) run them.
Rows from ``visible_to(user)``: a plan, network or meeting series the reader may not see is not shown."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.file_headers import records_header
from waymark.core.history import render_history
from waymark.core.lists import page_of
from waymark.core.permissions import require_permission
from waymark.core.spreadsheets import download, write_xlsx
from waymark.core.templatetags.nhsuk import error_target_id
from waymark.core.views_forms import service_form_page
from waymark.network.models import MeetingSeries, Network
from waymark.partnership.choices import ResponsibilityLevel
from waymark.partnership.forms_partnerships import BaseMemberFormSet, MatrixForm, PartnershipForm, member_formset
from waymark.partnership.matrix import LEVEL_MEANINGS, build_matrix, matrix_sheet
from waymark.partnership.models import Partnership
from waymark.partnership.services import partnerships as partnership_services
from waymark.plans.models import Plan

PARTNERSHIPS_PER_PAGE = 25


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Partnerships"), reverse("partnership:partnership_list")), *extra]


def _partnership(request: HttpRequest, uuid: Any) -> Partnership:
    rows = Partnership.objects.visible_to(request.user).select_related("area", "network")
    return get_object_or_404(rows, uuid=uuid)


def _partnership_crumbs(partnership: Partnership) -> list[tuple[str, str]]:
    return _crumbs((partnership.name, partnership.get_absolute_url()))


@require_permission("partnership.view")
def partnership_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    current = Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)
    rows = (
        Partnership.objects.visible_to(request.user)
        .select_related("area")
        .annotate(
            member_count=Count("members", filter=current, distinct=True),
            plan_count=Count("plans", distinct=True),
        )
        .order_by("name")
    )
    return render(
        request,
        "partnership/partnership_list.html",
        {
            "page": page_of(request, rows, PARTNERSHIPS_PER_PAGE),
            "can_manage": policy.can(request.user, "partnership.manage"),
            "breadcrumbs": _crumbs()[:1],
        },
    )


@require_permission("partnership.view")
def partnership_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    today = timezone.localdate()
    members = list(partnership.members.select_related("organisation", "lead", "deputy").order_by("organisation__name"))
    network_seen = (
        partnership.network_id is not None
        and Network.objects.visible_to(request.user).filter(pk=partnership.network_id).exists()
    )
    return render(
        request,
        "partnership/partnership_detail.html",
        {
            "partnership": partnership,
            "current_members": [member for member in members if not member.left_on or member.left_on >= today],
            "former_members": [member for member in members if member.left_on and member.left_on < today],
            "series": MeetingSeries.objects.visible_to(request.user)
            .filter(partnerships=partnership)
            .select_related("network")
            .order_by("title"),
            "plans": Plan.objects.visible_to(request.user).filter(partnerships=partnership).order_by("title"),
            "network_seen": network_seen,
            "can_manage": policy.can(request.user, "partnership.manage"),
            "breadcrumbs": _crumbs(),
        },
    )


def _form_page(request: HttpRequest, form: PartnershipForm, **kwargs: Any) -> HttpResponse:
    return service_form_page(request, form, template="partnership/partnership_form.html", **kwargs)


@require_permission("partnership.manage")
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipForm(request.POST if request.method == "POST" else None, user=request.user)
    return _form_page(
        request,
        form,
        save=lambda: partnership_services.create_partnership(
            actor=request.user, data=form.partnership_data(), **form.relations()
        ),
        saved_message=lambda partnership: (
            _("Partnership started: %(name)s. Now add its members.") % {"name": partnership.name}
        ),
        next_page=lambda partnership: reverse("partnership:partnership_members", args=[partnership.uuid]),
        context={
            "heading": _("Start a partnership"),
            "intro": _(
                "Its name, what it is for and where; the network it meets as, if any, with its meetings; and "
                "the plans it delivers. Members are added on the next page."
            ),
            "breadcrumbs": _crumbs(),
        },
    )


@require_permission("partnership.manage")
def partnership_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    shown = Partnership.objects.get(pk=partnership.pk)  # as saved, for the heading and crumbs
    form = PartnershipForm(request.POST if request.method == "POST" else None, instance=partnership, user=request.user)
    return _form_page(
        request,
        form,
        save=lambda: partnership_services.change_partnership(
            actor=request.user, partnership=partnership, data=form.partnership_data(), **form.relations()
        ),
        saved_message=_("Partnership changed."),
        next_page=lambda changed: changed,
        context={
            "heading": _("Change the partnership"),
            "caption": shown.name,
            "breadcrumbs": _partnership_crumbs(shown),
        },
    )


@require_permission("partnership.manage")
def partnership_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    return render_history(request, partnership, breadcrumbs=_partnership_crumbs(partnership))


def _member_errors(formset: BaseMemberFormSet) -> list[dict[str, str]]:
    """The error summary of the member rows, each error linked to its field and naming its row."""
    items = [{"text": str(error), "href": ""} for error in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, start=1):
        for bound_field in row:
            for error in bound_field.errors:
                items.append(
                    {
                        "text": _("Member %(number)s, %(field)s: %(error)s")
                        % {"number": number, "field": str(bound_field.label).lower(), "error": error},
                        "href": f"#{error_target_id(bound_field)}",
                    }
                )
    return items


@require_permission("partnership.manage")
def partnership_members(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Every member as a row, with empty rows for more; all of it saved, or nothing, so no row typed is lost."""
    partnership = _partnership(request, uuid)
    formset = member_formset(
        request.POST if request.method == "POST" else None, user=request.user, partnership=partnership
    )
    refusals: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            partnership_services.set_members(actor=request.user, partnership=partnership, rows=formset.rows())
        except ValidationError as refusal:
            refusals = refusal.messages
        else:
            messages.success(request, _("Members saved."))
            return redirect(partnership)
    error_items = [{"text": message, "href": ""} for message in refusals]
    if formset.is_bound:
        error_items += _member_errors(formset)
    return render(
        request,
        "partnership/partnership_members.html",
        {
            "partnership": partnership,
            "formset": formset,
            "error_items": error_items,
            "breadcrumbs": _partnership_crumbs(partnership),
        },
        status=400 if error_items else 200,
    )


def _matrix_context(partnership: Partnership) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "levels": [
            {"label": label, "meaning": LEVEL_MEANINGS[ResponsibilityLevel(value)]}
            for value, label in ResponsibilityLevel.choices
        ],
        "breadcrumbs": _partnership_crumbs(partnership),
    }


@require_permission("partnership.view")
def partnership_matrix(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    context = _matrix_context(partnership)
    context["matrix"] = build_matrix(partnership, request.user)
    context["can_manage"] = policy.can(request.user, "partnership.manage")
    return render(request, "partnership/partnership_matrix.html", context)


@require_permission("partnership.manage")
def partnership_matrix_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    partnership = _partnership(request, uuid)
    matrix = build_matrix(partnership, request.user)
    form = MatrixForm(request.POST if request.method == "POST" else None, matrix=matrix)
    context = {**_matrix_context(partnership), "matrix": matrix, "rows": form.rows(matrix)}
    return service_form_page(
        request,
        form,
        save=lambda: partnership_services.set_responsibilities(
            actor=request.user, partnership=partnership, levels=form.levels()
        ),
        saved_message=_("Who does what saved."),
        next_page=lambda saved: reverse("partnership:partnership_matrix", args=[partnership.uuid]),
        template="partnership/partnership_matrix_form.html",
        context=context,
    )


@require_permission("partnership.view")
def partnership_matrix_download(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The matrix as an XLSX file: the same rows and columns as the page, the key on a sheet of notes."""
    partnership = _partnership(request, uuid)
    headings, rows, notes = matrix_sheet(build_matrix(partnership, request.user))
    header = records_header(
        _("Who does what: %(partnership)s") % {"partnership": partnership.name},
        scope=partnership.name,
        grouping=_("One row per objective, one column per partner organisation"),
    )
    content = write_xlsx(_("Who does what"), headings, rows, about=notes, header=header)
    return download(content, f"who-does-what-{slugify(partnership.name)[:60]}-{timezone.localdate():%Y-%m-%d}.xlsx")
