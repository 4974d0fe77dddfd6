"""Staff pages for the shared Organisation record: list, detail, add, change and history.

The pattern every app's pages follow: permission from ``core.policy`` at the
door, rows from ``visible_to(user)`` (so a record the user may not see is a 404),
the same FilterSet as the API, writes through ``services``, and htmx partials
served by the same view.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from waymark.core import policy, services
from waymark.core.export_log import filters_of
from waymark.core.file_headers import FileHeader, records_header
from waymark.core.filtersets import OrganisationFilterSet
from waymark.core.forms import NewOrganisationForm, OrganisationForm
from waymark.core.history import render_history
from waymark.core.lists import filtered_list_page
from waymark.core.models import Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.core.spreadsheets import stream_csv

ORGANISATIONS_PER_PAGE = 25


def _visible_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(request.user)


def _get_organisation(request: HttpRequest, uuid: Any) -> Organisation:
    """The organisation, or 404 when it does not exist or this user may not see it."""
    return get_object_or_404(_visible_organisations(request), uuid=uuid)


def _organisation_breadcrumbs(organisation: Organisation | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Home"), reverse("core:home")), (_("Organisations"), reverse("core:organisation_list"))]
    if organisation is not None:
        crumbs.append((organisation.name, organisation.get_absolute_url()))
    return crumbs


@require_permission("organisation.view")
def organisation_list(request: HttpRequest) -> HttpResponseBase:
    """Organisations the user may see, filtered by the API's FilterSet; ``?format=csv`` downloads them all."""
    organisations = _visible_organisations(request).prefetch_related("sectors").order_by(Lower("name"), "pk")
    filterset = OrganisationFilterSet(request.GET or None, queryset=organisations, request=request)
    if request.GET.get("format") == "csv":
        header = records_header(
            _("Organisations"),
            scope=_("Organisations in Waymark"),
            grouping=_("One row per organisation"),
            filters=filters_of(request.GET),
        )
        return _organisations_csv(filterset.qs, header)
    return filtered_list_page(
        request,
        filterset,
        per_page=ORGANISATIONS_PER_PAGE,
        template="core/organisation_list.html",
        rows_template="core/_organisation_rows.html",
        rows_name="organisations",
        context={
            "can_add": policy.can(request.user, "organisation.add"),
            "breadcrumbs": [(_("Home"), reverse("core:home"))],
        },
    )


@require_permission("organisation.view")
def organisation_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    organisation = _get_organisation(request, uuid)
    context = {
        "organisation": organisation,
        "summary_rows": _summary_rows(organisation),
        "can_change": policy.can(request.user, "organisation.change", organisation),
        "can_see_history": policy.can(request.user, "organisation.history", organisation),
        "breadcrumbs": _organisation_breadcrumbs(),
    }
    return render(request, "core/organisation_detail.html", context)


def _summary_rows(organisation: Organisation) -> list[dict[str, Any]]:
    """Every field of the record for the summary list; a field left empty reads "Not recorded"."""
    not_recorded = _("Not recorded")
    address = [organisation.address_line_1, organisation.address_line_2, organisation.town, organisation.postcode]
    address_lines = [line for line in address if line]
    values: list[tuple[str, Any]] = [
        (_("Name"), organisation.name),
        (_("Other name"), organisation.alternate_name),
        (_("Type of organisation"), organisation.get_org_type_display()),
        (_("What the organisation does"), organisation.description and linebreaksbr(organisation.description)),
        (_("Sectors"), ", ".join(sector.name for sector in organisation.sectors.all())),
        (_("Status"), _("Active") if organisation.active else _("Not active")),
        (_("Charity number"), organisation.charity_number),
        (_("Company number"), organisation.company_number),
        (_("ODS code"), organisation.ods_code),
        (_("Address"), format_html_join(mark_safe("<br>"), "{}", ((line,) for line in address_lines))),
        (_("Website"), organisation.website and format_html('<a href="{0}">{0}</a>', organisation.website)),
        (_("Phone number"), organisation.phone),
        (_("E-mail address"), organisation.email and format_html('<a href="mailto:{0}">{0}</a>', organisation.email)),
    ]
    return [{"key": key, "value": value or not_recorded} for key, value in values]


@require_permission("organisation.add")
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = NewOrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(actor=request.user, data=form.organisation_data())
        messages.success(request, _("%(name)s has been added.") % {"name": organisation.name})
        return redirect(organisation)
    context = {"form": form, "breadcrumbs": _organisation_breadcrumbs()}
    return render(request, "core/organisation_form.html", context)


@require_permission("organisation.change")
def organisation_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    organisation = _get_organisation(request, uuid)
    check_permission(request, "organisation.change", organisation)
    # Taken before validation, which copies what was typed onto the instance: the
    # heading and breadcrumbs keep the saved name while the form shows the new one.
    saved_name = organisation.name
    breadcrumbs = _organisation_breadcrumbs(organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = services.update_organisation(
            actor=request.user, organisation=organisation, data=form.organisation_data()
        )
        messages.success(request, _("Your changes to %(name)s have been saved.") % {"name": organisation.name})
        return redirect(organisation)
    context = {"form": form, "organisation": organisation, "saved_name": saved_name, "breadcrumbs": breadcrumbs}
    return render(request, "core/organisation_form.html", context)


@require_permission("organisation.history")
def organisation_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    organisation = _get_organisation(request, uuid)
    check_permission(request, "organisation.history", organisation)
    return render_history(request, organisation, breadcrumbs=_organisation_breadcrumbs(organisation))


# --- CSV export ---------------------------------------------------------------

CSV_COLUMNS: list[tuple[str, Any]] = [
    ("Name", lambda o: o.name),
    ("Other name", lambda o: o.alternate_name),
    ("Type", lambda o: o.get_org_type_display()),
    ("Sectors", lambda o: "; ".join(sector.name for sector in o.sectors.all())),
    ("Charity number", lambda o: o.charity_number),
    ("Company number", lambda o: o.company_number),
    ("ODS code", lambda o: o.ods_code),
    ("Address line 1", lambda o: o.address_line_1),
    ("Address line 2", lambda o: o.address_line_2),
    ("Town or city", lambda o: o.town),
    ("Postcode", lambda o: o.postcode),
    ("Website", lambda o: o.website),
    ("Phone", lambda o: o.phone),
    ("E-mail", lambda o: o.email),
    ("Active", lambda o: "Yes" if o.active else "No"),
    ("Waymark ID", lambda o: str(o.uuid)),
]


def _organisations_csv(rows: QuerySet[Organisation], header: FileHeader) -> StreamingHttpResponse:
    """Stream the rows as CSV, reading them from the database in chunks so a long list never sits in memory."""
    return stream_csv(
        "organisations",
        [heading for heading, _value in CSV_COLUMNS],
        ([value(organisation) for _heading, value in CSV_COLUMNS] for organisation in rows.iterator(chunk_size=500)),
        header=header,
    )
