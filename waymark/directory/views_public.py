"""Public signposting pages, no sign-in needed: search, a service page that says plainly how to get in, its print
view, the shortlist a worker builds for a client (printed or saved as PDF), and the map.

Search, the shortlist and the map list public services for everyone, signed in or not, so a worker sees exactly
what the person they help will see. A service page is shown to whoever may see the service (staff can check an
unpublished one), but only ever with public information. Locations and contacts come from ``directory.public``.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import get_usage

from waymark.core.lists import page_of, wants_partial
from waymark.core.pdf import render_pdf
from waymark.directory import maps, shortlist
from waymark.directory.forms_public import ServiceSearchForm, ShortlistNotesForm
from waymark.directory.loosening import ways_to_loosen
from waymark.directory.models import Service
from waymark.directory.public import needs_and_languages
from waymark.directory.search import SearchResults, search_services
from waymark.directory.search_filters import open_among
from waymark.directory.service_sheets import service_sheet, with_sheet_data

RESULTS_PER_PAGE = 20
# Beyond this many matches a page says "More than 10,000 services": nobody reads that far, and counting every
# match of a common word in a region's directory took longer than the rest of the page.
COUNT_UP_TO = 10_000
MAP_MAX_SERVICES = 1000
KM_PER_MILE = 1.609344


def _breadcrumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Find a service"), reverse("directory:search")), *extra]


def _shortlist_context(request: HttpRequest) -> dict[str, Any]:
    uuids = shortlist.shortlisted_uuids(request.session)
    return {"shortlist_count": len(uuids), "shortlisted": set(uuids), "shortlist_max": shortlist.MAX_SERVICES}


def _run_search(form: ServiceSearchForm, *, now: Any) -> SearchResults | None:
    if not form.is_valid():
        return None
    return search_services(
        Service.objects.public(),
        text=form.search_text,
        filters=form.filters(),
        postcode=form.search_postcode,
        now=now,
        count_up_to=COUNT_UP_TO,
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """One box, a postcode and filters; results page by page. htmx requests get only the results."""
    now = timezone.now()
    form = ServiceSearchForm(request.GET)
    results = _run_search(form, now=now)
    page = page_of(request, results.hits, RESULTS_PER_PAGE) if results is not None else None
    services = list(page.object_list) if page is not None else []
    _annotate_results(services, now=now)
    partial = wants_partial(request)
    context = {
        "form": form,
        "results": results,
        "loosen": _ways_to_loosen(request, form, results, now=now),
        "page_obj": page,
        "services": services,
        "partial": partial,
        "page_path": request.get_full_path(),  # where each result's shortlist button comes back to
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
        **_shortlist_context(request),
    }
    template = "directory/public_search_results.html" if partial else "directory/public_search.html"
    response = render(request, template, context)
    # The same URL answers with a fragment or a whole page, so caches must key on the htmx header.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _ways_to_loosen(
    request: HttpRequest, form: ServiceSearchForm, results: SearchResults | None, *, now: Any
) -> list[Any]:
    """Which words or filters to drop, asked only when a search that was narrowed finds nothing."""
    if results is None or results.total or not (form.search_text or form.filters_in_use):
        return []
    return ways_to_loosen(form, request.GET, Service.objects.public(), now=now)


def _annotate_results(services: list[Service], *, now: Any) -> None:
    """Set the names of the needs and languages each result lists (``need_names``, ``language_names``, by name as
    the service page lists them), ``open_now`` and ``distance_miles`` (people in England think in miles).

    The names are read as plain rows: prefetching whole records took longer than the rest."""
    pks = [service.pk for service in services]
    names = needs_and_languages(pks)
    open_now = open_among(pks, now)
    for service in services:
        service.need_names, service.language_names = names[service.pk]  # type: ignore[attr-defined]
        service.open_now = service.pk in open_now  # type: ignore[attr-defined]
        distance = getattr(service, "distance_km", None)
        service.distance_miles = None if distance is None else distance / KM_PER_MILE  # type: ignore[attr-defined]


def _get_service(request: HttpRequest, uuid: Any) -> Service:
    """The service with everything its page shows, or 404 when this user may not see it."""
    return get_object_or_404(with_sheet_data(Service.objects.visible_to(request.user)), uuid=uuid)


def _service_context(request: HttpRequest, service: Service) -> dict[str, Any]:
    return {
        "service": service,
        "sheet": service_sheet(service, today=timezone.localdate()),
        "is_public": Service.objects.public().filter(pk=service.pk).exists(),
        "page_url": request.build_absolute_uri(service.get_absolute_url()),
        **_shortlist_context(request),
    }


@require_safe
def service_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    service = _get_service(request, uuid)
    context = {**_service_context(request, service), "breadcrumbs": _breadcrumbs()}
    return render(request, "directory/public_service_detail.html", context)


@require_safe
def service_print(request: HttpRequest, uuid: Any) -> HttpResponse:
    service = _get_service(request, uuid)
    return render(request, "directory/public_service_print.html", _service_context(request, service))


# --- Shortlist ---------------------------------------------------------------------------------------------


def _shortlisted_services(request: HttpRequest) -> list[Service]:
    return shortlist.shortlisted_services(request.session, with_sheet_data(Service.objects.all()))


@never_cache
@require_http_methods(["GET", "POST"])
def shortlist_page(request: HttpRequest) -> HttpResponse:
    """The services picked for one person, with notes for them; printed, saved as PDF, or cleared."""
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "clear":
        shortlist.clear(request.session)
        messages.success(request, _("The shortlist has been cleared."))
        return redirect("directory:shortlist")
    form = ShortlistNotesForm(request.POST or None, initial={"notes": shortlist.notes(request.session)})
    if request.method == "POST" and form.is_valid():
        shortlist.set_notes(request.session, form.cleaned_data["notes"])
        if action == "pdf":
            return redirect("directory:shortlist_pdf")
        messages.success(request, _("Your notes have been saved."))
        return redirect("directory:shortlist")
    today = timezone.localdate()
    services = _shortlisted_services(request)
    context = {
        "form": form,
        "sheets": [service_sheet(service, today=today) for service in services],
        "notes": shortlist.notes(request.session),
        "breadcrumbs": _breadcrumbs(),
        **_shortlist_context(request),
    }
    return render(request, "directory/public_shortlist.html", context)


def _redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the button was on (a path on this site only), else to ``fallback``."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe and target.startswith("/") else fallback)


def _shortlist_button(request: HttpRequest, service: Service, *, message: str = "") -> HttpResponse:
    """The add/remove button again, in its new state, for an htmx swap; the shortlist count updates too."""
    context = {"service": service, "next": request.POST.get("next", ""), "message": message, "oob": True}
    return render(request, "directory/public_shortlist_button.html", {**context, **_shortlist_context(request)})


@never_cache
@require_POST
def shortlist_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    service = get_object_or_404(Service.objects.public(), uuid=uuid)
    added = shortlist.add_service(request.session, service)
    if added:
        message = _("%(name)s is on your shortlist.") % {"name": service.name}
    else:
        message = _("Your shortlist is full (%(max)s services). Remove one to add another.") % {
            "max": shortlist.MAX_SERVICES
        }
    if wants_partial(request):
        return _shortlist_button(request, service, message="" if added else message)
    (messages.success if added else messages.warning)(request, message)
    return _redirect_back(request, service.get_absolute_url())


@never_cache
@require_POST
def shortlist_remove(request: HttpRequest, uuid: Any) -> HttpResponse:
    shortlist.remove_service(request.session, uuid)
    service = Service.objects.public().filter(uuid=uuid).only("uuid", "name").first()
    if wants_partial(request) and service is not None:
        return _shortlist_button(request, service)
    if service is not None:
        messages.success(request, _("%(name)s has been taken off your shortlist.") % {"name": service.name})
    return _redirect_back(request, reverse("directory:shortlist"))


def _anonymous_pdf_rate(group: str, request: HttpRequest) -> str | None:
    """Visitors who have not signed in are held to ``DIRECTORY_PDF_RATE`` per address; staff are not."""
    return None if request.user.is_authenticated else settings.DIRECTORY_PDF_RATE


def _pdf_rate_limited(request: HttpRequest, seconds_left: int) -> HttpResponse:
    minutes = max(1, -(-seconds_left // 60))
    retry = ngettext("Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes) % {
        "minutes": minutes
    }
    context = {"retry": retry, "breadcrumbs": [(_("Shortlist"), reverse("directory:shortlist"))]}
    response = render(request, "directory/public_pdf_limited.html", context, status=429)
    response["Retry-After"] = str(max(1, seconds_left))
    return response


@never_cache
@require_safe
def shortlist_pdf(request: HttpRequest) -> HttpResponseBase:
    services = _shortlisted_services(request)
    if not services:
        messages.warning(request, _("Add services to the shortlist before saving it as a PDF."))
        return redirect("directory:shortlist")
    usage = get_usage(request, group="directory.shortlist_pdf", key="ip", rate=_anonymous_pdf_rate, increment=True)
    if usage is not None and usage["should_limit"]:
        return _pdf_rate_limited(request, usage["time_left"])
    today = timezone.localdate()
    context = {
        "entries": [
            {
                "sheet": service_sheet(service, today=today),
                "url": request.build_absolute_uri(service.get_absolute_url()),
            }
            for service in services
        ],
        "notes": shortlist.notes(request.session),
        "today": today,
        "site_url": request.build_absolute_uri("/"),
    }
    response = HttpResponse(render_pdf("directory/public_shortlist_pdf.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="services-{today.isoformat()}.pdf"'
    return response


# --- Map -----------------------------------------------------------------------------------------------------


def _map_services(form: ServiceSearchForm) -> tuple[list[Service], SearchResults | None]:
    """The services matching the form (at most ``MAP_MAX_SERVICES``), with their locations, and the search."""
    results = _run_search(form, now=timezone.now())
    if results is None:
        return [], None
    services = list(results.page(1, per_page=MAP_MAX_SERVICES).object_list)
    prefetch_related_objects(services, "locations", "locations__ward")
    return services, results


@require_safe
def service_map(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET)
    services, results = _map_services(form)
    placed = maps.place_services(services)
    shapes = maps.ward_shapes()
    ward = form.cleaned_data.get("ward") if form.is_valid() else None
    searched = None
    if results is not None and results.origin is not None:
        searched = maps.SearchedPlace(point=results.origin, label=results.postcode_used)
    drawing = maps.svg_map(shapes, placed.places, selected_ward=ward.code if ward else "", searched=searched)
    context = {
        "form": form,
        "results": results,
        "total": results.total if results is not None else 0,
        "shown": len(services),
        "placed": placed,
        "drawing": drawing,
        "ward_count": len(shapes),
        "approximate_wards": any(shape.approximate for shape in shapes),
        "loosen": _ways_to_loosen(request, form, results, now=timezone.now()),
        "breadcrumbs": _breadcrumbs(),
        **_shortlist_context(request),
    }
    return render(request, "directory/public_map.html", context)


def _geojson(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def map_wards(request: HttpRequest) -> JsonResponse:
    return _geojson(maps.wards_geojson(maps.ward_shapes()))


@require_safe
def map_locations(request: HttpRequest) -> JsonResponse:
    """Public places as GeoJSON points, filtered like the search page."""
    form = ServiceSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: [str(error) for error in field_errors] for name, field_errors in form.errors.items()}
        return _geojson({"type": "FeatureCollection", "features": [], "errors": errors}, status=400)
    services, _results = _map_services(form)
    placed = maps.place_services(services)
    return _geojson(
        maps.locations_geojson(placed.places, service_url=lambda s: request.build_absolute_uri(s.get_absolute_url()))
    )
