"""Staff pages of the directory: keep services, locations and funding up to date, check records due
for review, and watch the fragility radar.

They follow the organisation pages' pattern (``core.views_organisations``): permission at the door,
rows from ``visible_to(user)``, writes through ``directory.services``, htmx partials from the same view.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waymark.accounts.models import User
from waymark.core import policy
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.file_headers import FileHeader, records_header
from waymark.core.forms import attach_errors
from waymark.core.history import render_history
from waymark.core.lists import filtered_list_page, page_of
from waymark.core.models import Organisation
from waymark.core.permissions import check_permission, require_permission
from waymark.core.spreadsheets import stream_csv
from waymark.core.templatetags.nhsuk import error_summary_items
from waymark.directory import fragility, services
from waymark.directory.feeds.provenance import source_of
from waymark.directory.filtersets import ServiceFilterSet
from waymark.directory.forms import (
    FundingSourceForm,
    LocationForm,
    NewServiceForm,
    OrganisationChoiceForm,
    ServiceForm,
    ServiceRows,
    organisations_for_new_records,
    skip_validation,
)
from waymark.directory.forms_radar import RadarFilterForm
from waymark.directory.models import FundingSource, Location, Service

SERVICES_PER_PAGE = 25
LOCATIONS_PER_PAGE = 25


def _home_crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Manage directory"), reverse("directory:manage"))]


def _service_crumbs(service: Service) -> list[tuple[str, str]]:
    return [*_home_crumbs(), (service.name, reverse("directory:service_staff_detail", args=[service.uuid]))]


def _get_service(request: HttpRequest, uuid: Any) -> Service:
    """The service, or 404 when it does not exist or this user may not see it."""
    return get_object_or_404(Service.objects.visible_to(request.user).select_related("organisation"), uuid=uuid)


def _safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: the page it came from when that is on this site, else ``default``."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and allowed else default


# --- The list of services -------------------------------------------------------------------------


@require_permission("directory.view_staff")
def manage(request: HttpRequest) -> HttpResponseBase:
    """Every service the user may see, filtered; ``?format=csv`` downloads them all."""
    rows = (
        Service.objects.visible_to(request.user).select_related("organisation", "owner").order_by(Lower("name"), "pk")
    )
    filterset = ServiceFilterSet(request.GET or None, queryset=rows, request=request)
    if request.GET.get("format") == "csv":
        header = records_header(
            _("Services"),
            scope=_("Services in the directory"),
            grouping=_("One row per service"),
            filters=filters_of(request.GET),
        )
        return _services_csv(filterset.qs.prefetch_related("categories", "languages", "communities"), header)
    return filtered_list_page(
        request,
        filterset,
        per_page=SERVICES_PER_PAGE,
        template="directory/staff_service_list.html",
        rows_template="directory/_staff_service_rows.html",
        rows_name="services",
        context={
            "can_add": policy.can(request.user, "service.add"),
            "can_review": policy.can(request.user, "directory.review_queue"),
            "can_import": policy.can(request.user, "directory.import"),
            "breadcrumbs": [(_("Home"), reverse("core:home"))],
        },
    )


# --- One service ------------------------------------------------------------------------------------


@require_permission("directory.view_staff")
def service_staff_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The whole record, staff-only fields included, with its places, contacts, hours and funding."""
    service = _get_service(request, uuid)
    service = (
        Service.objects.filter(pk=service.pk)
        .select_related("organisation", "owner")
        .prefetch_related(
            "categories",
            "languages",
            "communities",
            "contacts",
            "schedules",
            "holiday_exceptions",
            "locations",
            "funding_sources",
        )
        .get()
    )
    can_change = policy.can(request.user, "service.change", service)
    context = {
        "service": service,
        "sections": _summary_sections(service),
        "can_change": can_change,
        "can_see_history": policy.can(request.user, "service.history", service),
        "can_see_funding": can_change and policy.can(request.user, "service.change", service.organisation),
        "is_public": service.is_public,
        "due_for_review": Service.objects.filter(pk=service.pk).due_for_review().exists(),
        "source": source_of(service),
        "can_see_feeds": policy.can(request.user, "directory.feeds"),
        "breadcrumbs": _home_crumbs(),
    }
    return render(request, "directory/staff_service_detail.html", context)


def _text(value: str) -> str:
    return linebreaksbr(value) if value else ""


def _link(url: str, text: str = "") -> str:
    return format_html('<a href="{}">{}</a>', url, text or url) if url else ""


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("%(low)d to %(high)d") % {"low": low, "high": high}
    if low is not None:
        return _("%(low)d and over") % {"low": low}
    if high is not None:
        return _("Up to %(high)d") % {"high": high}
    return _("Any age")


def _summary_sections(service: Service) -> list[tuple[str, list[dict[str, Any]]]]:
    """The record as headed summary lists, staff-only fields included; empty fields read "Not recorded"."""
    not_recorded = _("Not recorded")
    yes, no = _("Yes"), _("No")
    routes = [
        label
        for wanted, label in (
            (service.self_referral, _("People can refer themselves")),
            (service.professional_referral, _("Professionals can refer")),
            (service.gp_referral, _("GPs can refer")),
        )
        if wanted
    ]
    funding = [
        _("%(funder)s, %(amount)s, ends %(ends)s")
        % {
            "funder": source,
            "amount": f"£{source.amount:,.2f}" if source.amount is not None else _("amount not recorded"),
            "ends": formats.date_format(source.ends_on, "j M Y") if source.ends_on else _("no end date"),
        }
        for source in service.funding_sources.all()
    ]
    sections: list[tuple[str, list[tuple[str, Any]]]] = [
        (
            _("About the service"),
            [
                (_("Name"), service.name),
                (_("Other name"), service.alternate_name),
                (_("What the service does"), _text(service.description)),
                (_("Needs it meets"), ", ".join(term.name for term in service.categories.all())),
                (_("Website"), _link(service.url)),
                (_("E-mail address"), _link(f"mailto:{service.email}", service.email) if service.email else ""),
                (_("Phone number"), service.phone),
                (_("Who runs it"), service.get_volunteer_reliance_display()),
            ],
        ),
        (
            _("Who it is for"),
            [
                (_("Who can use it"), _text(service.eligibility_description)),
                (_("Ages"), _ages(service)),
                (_("Free to use"), yes if service.is_free else no),
                (_("Costs"), _text(service.fees_description)),
            ],
        ),
        (
            _("How to get in"),
            [
                (_("Referral routes"), format_html_join(mark_safe("<br>"), "{}", ((route,) for route in routes))),
                (_("How to get in"), _text(service.application_process)),
            ],
        ),
        (
            _("Languages and communities"),
            [
                (_("Languages spoken"), ", ".join(language.name for language in service.languages.all())),
                (_("Interpreter can be arranged"), yes if service.interpreter_available else no),
                (_("Communities it serves"), ", ".join(community.name for community in service.communities.all())),
            ],
        ),
        (_("Accessibility"), [(_("Accessibility"), _text(service.accessibility_description))]),
        (
            _("Status and publishing"),
            [
                (_("Status"), service.get_status_display()),
                (_("Shown on the public directory"), yes if service.published else no),
                (
                    _("Last verified"),
                    formats.date_format(service.last_verified_on, "j F Y") if service.last_verified_on else _("Never"),
                ),
            ],
        ),
        (
            _("Staff only"),
            [
                (_("Internal notes"), _text(service.internal_notes)),
                (_("Record owner"), str(service.owner) if service.owner else _("Nobody yet")),
                (_("Funding for this service"), format_html_join(mark_safe("<br>"), "{}", ((f,) for f in funding))),
            ],
        ),
    ]
    return [
        (heading, [{"key": key, "value": value or not_recorded} for key, value in rows]) for heading, rows in sections
    ]


@require_permission("service.add")
def service_create(request: HttpRequest) -> HttpResponse:
    """Add a service: first whose it is (skipped when there is only one choice), then the whole record."""
    choices = organisations_for_new_records(request.user)
    chosen = request.GET.get("organisation")
    if not chosen:
        if len(choices[:2]) == 1:
            chosen = str(choices[0].uuid)
        else:
            choice_form = OrganisationChoiceForm(request.GET or None, organisations=choices)
            context = {"form": choice_form, "breadcrumbs": _home_crumbs()}
            return render(request, "directory/staff_organisation_choice.html", context)
    try:
        organisation = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=chosen)
    except ValidationError:  # not shaped like a UUID
        choice_form = OrganisationChoiceForm({"organisation": chosen}, organisations=choices)
        context = {"form": choice_form, "breadcrumbs": _home_crumbs()}
        return render(request, "directory/staff_organisation_choice.html", context)
    check_permission(request, "service.add", organisation)

    form = NewServiceForm(request.POST or None, organisation=organisation, user=request.user)
    rows = ServiceRows(request.POST or None)
    error_items: list[dict[str, str]] = []
    if request.method == "POST" and not _added_a_row(request, form, rows):
        service = _save_service(request, form, rows, organisation=organisation)
        if service is not None:
            messages.success(request, _("%(name)s has been added.") % {"name": service.name})
            return redirect("directory:service_staff_detail", uuid=service.uuid)
        error_items = _error_items(form, rows)
    context = {
        "form": form,
        "rows": rows,
        "organisation": organisation,
        "error_items": error_items,
        "breadcrumbs": _home_crumbs(),
    }
    return render(request, "directory/staff_service_form.html", context)


@require_permission("service.change")
def service_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    service = _get_service(request, uuid)
    check_permission(request, "service.change", service)
    # Taken before validation copies what was typed onto the instance: the heading keeps the saved name.
    saved_name = service.name
    breadcrumbs = _service_crumbs(service)
    form = ServiceForm(request.POST or None, instance=service, organisation=service.organisation, user=request.user)
    rows = ServiceRows(request.POST or None, service=service)
    error_items: list[dict[str, str]] = []
    if request.method == "POST" and not _added_a_row(request, form, rows):
        saved = _save_service(request, form, rows, service=service)
        if saved is not None:
            messages.success(request, _("Your changes to %(name)s have been saved.") % {"name": saved.name})
            return redirect("directory:service_staff_detail", uuid=saved.uuid)
        error_items = _error_items(form, rows)
    context = {
        "form": form,
        "rows": rows,
        "service": service,
        "organisation": service.organisation,
        "saved_name": saved_name,
        "error_items": error_items,
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "directory/staff_service_form.html", context)


def _added_a_row(request: HttpRequest, form: ServiceForm, rows: ServiceRows) -> bool:
    """Handle an "Add another" button: one more empty row, everything typed kept, nothing checked or saved."""
    prefix = request.POST.get("add_row")
    if prefix not in rows.formsets:
        return False
    rows.add_row(prefix, request.POST)
    skip_validation(form, *[row for formset in rows.formsets.values() for row in formset.forms])
    return True


def _save_service(
    request: HttpRequest,
    form: ServiceForm,
    rows: ServiceRows,
    *,
    organisation: Organisation | None = None,
    service: Service | None = None,
) -> Service | None:
    """Check the form and its rows, then write the service and all its rows in one transaction. On any
    refusal nothing is written and the reasons go on the form, which shows again with everything as typed."""
    if not (form.is_valid() & rows.is_valid()):
        return None
    details: dict[str, Any] = {
        "data": form.service_data(),
        "locations": form.chosen_locations(),
        "contacts": rows.rows("contacts"),
        "schedules": rows.rows("schedules"),
        "holiday_exceptions": rows.rows("exceptions"),
    }
    try:
        if service is None:
            assert organisation is not None
            service = services.create_service_with_details(actor=request.user, organisation=organisation, **details)
        else:
            service = services.update_service_with_details(actor=request.user, service=service, **details)
    except ValidationError as error:
        attach_errors(form, error)
        return None
    return service


def _error_items(form: forms.BaseForm, rows: ServiceRows) -> list[dict[str, str]]:
    return [*error_summary_items(form), *rows.error_items()]


@require_permission("service.history")
def service_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    service = _get_service(request, uuid)
    check_permission(request, "service.history", service)
    return render_history(request, service, breadcrumbs=_service_crumbs(service))


@require_POST
@require_permission("service.change")
def service_verify(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Record "I have checked this record is correct", setting the last verified date to today."""
    service = _get_service(request, uuid)
    check_permission(request, "service.change", service)
    services.verify_service(actor=request.user, service=service)
    messages.success(request, _("%(name)s is marked as checked today.") % {"name": service.name})
    return redirect(_safe_next(request, reverse("directory:service_staff_detail", args=[service.uuid])))


# --- The review queue -----------------------------------------------------------------------------


@require_permission("directory.review_queue")
def review_queue(request: HttpRequest) -> HttpResponse:
    """Records never verified or not verified for 12 months, oldest first, grouped by who owns them."""
    due = (
        Service.objects.visible_to(request.user)
        .due_for_review()
        .select_related("organisation", "owner")
        .order_by(F("last_verified_on").asc(nulls_first=True), Lower("name"), "pk")
    )
    if request.GET.get("owner") == "me":
        due = due.filter(owner=cast(User, request.user))
    groups: dict[Any, list[Service]] = {}
    for service in due:
        groups.setdefault(service.owner, []).append(service)
    owned = sorted((owner for owner in groups if owner is not None), key=lambda owner: str(owner).casefold())
    ordered = [(owner, groups[owner]) for owner in owned]
    if None in groups:
        ordered.append((None, groups[None]))
    context = {
        "groups": ordered,
        "total": sum(len(group) for _owner, group in ordered),
        "only_mine": request.GET.get("owner") == "me",
        "breadcrumbs": _home_crumbs(),
    }
    return render(request, "directory/staff_review_queue.html", context)


# --- Locations ----------------------------------------------------------------------------------------


@require_permission("directory.view_staff")
def location_list(request: HttpRequest) -> HttpResponse:
    locations = (
        Location.objects.visible_to(request.user).select_related("organisation", "ward").order_by(Lower("name"), "pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        locations = locations.filter(name__icontains=query) | locations.filter(postcode__icontains=query)
    page = page_of(request, locations, LOCATIONS_PER_PAGE)
    context = {
        "page_obj": page,
        "locations": page.object_list,
        "query": query,
        "can_add": policy.can(request.user, "service.add"),
        "editable": {
            location.pk for location in page.object_list if policy.can(request.user, "service.change", location)
        },
        "breadcrumbs": _home_crumbs(),
    }
    return render(request, "directory/staff_location_list.html", context)


@require_permission("service.add")
def location_create(request: HttpRequest) -> HttpResponse:
    form = LocationForm(request.POST or None, organisations=organisations_for_new_records(request.user))
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        check_permission(request, "service.add", organisation)
        try:
            location = services.create_location(
                actor=request.user, organisation=organisation, data=form.location_data()
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": location.name})
            return redirect("directory:location_list")
    context = {"form": form, "breadcrumbs": [*_home_crumbs(), (_("Locations"), reverse("directory:location_list"))]}
    return render(request, "directory/staff_location_form.html", context)


@require_permission("service.change")
def location_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    location = get_object_or_404(Location.objects.visible_to(request.user).select_related("organisation"), uuid=uuid)
    check_permission(request, "service.change", location)
    saved_name = location.name
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.update_location(actor=request.user, location=location, data=form.location_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your changes to %(name)s have been saved.") % {"name": location.name})
            return redirect("directory:location_list")
    context = {
        "form": form,
        "location": location,
        "saved_name": saved_name,
        "services_here": location.services.order_by("name"),
        "breadcrumbs": [*_home_crumbs(), (_("Locations"), reverse("directory:location_list"))],
    }
    return render(request, "directory/staff_location_form.html", context)


# --- Funding ------------------------------------------------------------------------------------------


def _get_organisation_for_funding(request: HttpRequest, uuid: Any) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), uuid=uuid)
    check_permission(request, "service.change", organisation)
    return organisation


def _get_funding_source(request: HttpRequest, uuid: Any) -> FundingSource:
    funding_source = get_object_or_404(
        FundingSource.objects.visible_to(request.user).select_related("organisation", "service"), uuid=uuid
    )
    check_permission(request, "service.change", funding_source.organisation)
    return funding_source


def _funding_crumbs(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        *_home_crumbs(),
        (
            _("Funding of %(name)s") % {"name": organisation.name},
            reverse("directory:funding_list", args=[organisation.uuid]),
        ),
    ]


@require_permission("service.change")
def funding_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    """An organisation's funding sources, soonest ending first; staff-only, amounts included."""
    organisation = _get_organisation_for_funding(request, uuid)
    funding_sources = (
        FundingSource.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("service")
        .order_by(F("ends_on").asc(nulls_last=True), "funder", "pk")
    )
    today = timezone.localdate()
    context = {
        "organisation": organisation,
        "funding_sources": [(source, fragility.is_current(source, today)) for source in funding_sources],
        "breadcrumbs": _home_crumbs(),
    }
    return render(request, "directory/staff_funding_list.html", context)


@require_permission("service.change")
def funding_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    organisation = _get_organisation_for_funding(request, uuid)
    form = FundingSourceForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_funding_source(actor=request.user, organisation=organisation, data=form.funding_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The funding has been added."))
            return redirect("directory:funding_list", uuid=organisation.uuid)
    context = {"form": form, "organisation": organisation, "breadcrumbs": _funding_crumbs(organisation)}
    return render(request, "directory/staff_funding_form.html", context)


@require_permission("service.change")
def funding_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    funding_source = _get_funding_source(request, uuid)
    organisation = funding_source.organisation
    form = FundingSourceForm(request.POST or None, instance=funding_source, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_funding_source(actor=request.user, funding_source=funding_source, data=form.funding_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your changes to the funding have been saved."))
            return redirect("directory:funding_list", uuid=organisation.uuid)
    context = {
        "form": form,
        "organisation": organisation,
        "funding_source": funding_source,
        "breadcrumbs": _funding_crumbs(organisation),
    }
    return render(request, "directory/staff_funding_form.html", context)


@require_permission("service.change")
def funding_delete(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Ask first (GET), then remove (POST). The history keeps what it was."""
    funding_source = _get_funding_source(request, uuid)
    organisation = funding_source.organisation
    if request.method == "POST":
        services.delete_funding_source(actor=request.user, funding_source=funding_source)
        messages.success(
            request, _("The funding from %(funder)s has been removed.") % {"funder": funding_source.funder}
        )
        return redirect("directory:funding_list", uuid=organisation.uuid)
    context = {
        "funding_source": funding_source,
        "organisation": organisation,
        "breadcrumbs": _funding_crumbs(organisation),
    }
    return render(request, "directory/staff_funding_delete.html", context)


# --- The fragility radar --------------------------------------------------------------------------

RADAR_PER_PAGE = 25


@require_permission("fragility.view")
def fragility_radar(request: HttpRequest) -> HttpResponseBase:
    """Organisations whose funding is ending, that rely on volunteers or on one funder; ``?format=csv`` too."""
    data = request.GET.copy()
    data.setdefault("window", str(fragility.DEFAULT_WINDOW_MONTHS))
    filter_form = RadarFilterForm(data)
    window, reason = fragility.DEFAULT_WINDOW_MONTHS, ""
    if filter_form.is_valid():
        window = filter_form.cleaned_data["window"] or window
        reason = filter_form.cleaned_data["reason"]
    today = timezone.localdate()
    organisations = filter_form.narrow(Organisation.objects.visible_to(request.user).filter(active=True))
    entries = fragility.fragility_radar(today=today, window_months=window, organisations_qs=organisations)
    totals = fragility.radar_totals(entries, window)
    if reason:
        entries = [entry for entry in entries if reason in entry.kinds]
    show_amounts = policy.can(request.user, "directory.view_funding_amounts")
    if request.GET.get("format") == "csv":
        if show_amounts:
            record_export(
                actor=request.user,
                kind=ExportKind.FUNDING_AMOUNTS,
                description=_("Fragility radar, %(months)d months") % {"months": window},
                rows=len(entries),
                filters=filters_of(request.GET),
            )
        header = records_header(
            _("Fragility radar, %(months)d months") % {"months": window},
            scope=_("Active organisations"),
            grouping=_("One row per organisation"),
            filters=filters_of(request.GET),
            unsuppressed=show_amounts,
        )
        return _radar_csv(entries, show_amounts=show_amounts, header=header)
    page = page_of(request, entries, RADAR_PER_PAGE)
    context = {
        "show_amounts": show_amounts,
        "filter_form": filter_form,
        "window": window,
        "entries": page.object_list,
        "page_obj": page,
        "totals": totals,
        "today": today,
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "directory/staff_fragility.html", context)


# --- CSV ----------------------------------------------------------------------------------------------


def _names(related: Any) -> str:
    return "; ".join(str(item) for item in related.all())


SERVICE_CSV_COLUMNS: list[tuple[str, Callable[[Service], Any]]] = [
    ("Name", lambda s: s.name),
    ("Organisation", lambda s: s.organisation.name),
    ("Status", lambda s: s.get_status_display()),
    ("Published", lambda s: "Yes" if s.published else "No"),
    ("Needs", lambda s: _names(s.categories)),
    ("Languages", lambda s: _names(s.languages)),
    ("Communities", lambda s: _names(s.communities)),
    ("Who runs it", lambda s: s.get_volunteer_reliance_display()),
    ("Phone", lambda s: s.phone),
    ("E-mail", lambda s: s.email),
    ("Website", lambda s: s.url),
    ("Record owner", lambda s: s.owner or ""),
    ("Last verified", lambda s: s.last_verified_on.isoformat() if s.last_verified_on else ""),
    ("Internal notes", lambda s: s.internal_notes),
    ("Waymark ID", lambda s: s.uuid),
]


def _services_csv(rows: QuerySet[Service], header: FileHeader) -> StreamingHttpResponse:
    """Stream the services, read from the database in chunks so a long list never sits in memory."""
    lines = ([value(service) for _heading, value in SERVICE_CSV_COLUMNS] for service in rows.iterator(chunk_size=500))
    return stream_csv("services", [heading for heading, _value in SERVICE_CSV_COLUMNS], lines, header=header)


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def _funding_line(reason: fragility.RadarReason, *, show_amounts: bool) -> str:
    """One funding reason, for the CSV: "City Council (Grant), £12000.00, ends 2027-02-14" (no amount for
    those the policy keeps amounts from)."""
    source = reason.funding_source
    assert source is not None and source.ends_on is not None
    if not show_amounts:
        return f"{reason.detail}, ends {source.ends_on.isoformat()}"
    amount = f"£{_money(source.amount)}" if source.amount is not None else "amount not recorded"
    return f"{reason.detail}, {amount}, ends {source.ends_on.isoformat()}"


def _radar_csv(entries: list[fragility.RadarEntry], *, show_amounts: bool, header: FileHeader) -> StreamingHttpResponse:
    """The radar's rows and reasons as a spreadsheet; the amounts column only for those who may see amounts."""
    headings = [
        "Organisation",
        "Reasons",
        "Funding ending or ended",
        "Soonest funding end",
        *(["Amount ending (£)"] if show_amounts else []),
        "Volunteer-run services",
        "Services",
        "Waymark ID",
    ]

    def rows() -> Iterator[list[Any]]:
        for entry in entries:
            funding_reasons = [reason for reason in entry.reasons if reason.funding_source is not None]
            ending = [r.funding_source for r in funding_reasons if r.kind == fragility.Reason.FUNDING_ENDS]
            ending_amounts = [source.amount for source in ending if source and source.amount is not None]
            amount_ending = _money(sum(ending_amounts, Decimal(0))) if ending_amounts else ""
            yield [
                entry.organisation.name,
                "; ".join(reason.label for reason in entry.reasons),
                "; ".join(_funding_line(reason, show_amounts=show_amounts) for reason in funding_reasons),
                entry.soonest_end.isoformat() if entry.soonest_end else "",
                *([amount_ending] if show_amounts else []),
                "; ".join(reason.detail for reason in entry.reasons if reason.kind == fragility.Reason.VOLUNTEER_RUN),
                "; ".join(service.name for service in entry.services),
                entry.organisation.uuid,
            ]

    return stream_csv("fragility-radar", headings, rows(), header=header)
