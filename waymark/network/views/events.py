"""Staff pages for events: set one up, watch registrations, run the door (check-in), print the sign-in
sheet and badges, and see who came.

Permission at the door, rows from ``visible_to(user)``, writes through ``network.services.events``.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waymark.core import policy
from waymark.core.choices import ExportKind
from waymark.core.export_log import filters_of, record_export
from waymark.core.file_headers import FileHeader, records_header
from waymark.core.history import render_history
from waymark.core.lists import filtered_list_page, page_of
from waymark.core.permissions import require_permission
from waymark.core.spreadsheets import stream_csv
from waymark.core.text import render_markdown
from waymark.core.views_forms import service_form_page
from waymark.network import registrations, today
from waymark.network.filtersets import RegistrationFilterSet
from waymark.network.forms_events import CheckInSearchForm, EventForm, StallForm, TicketTypeForm, WorkshopForm
from waymark.network.models import (
    BookingStatus,
    Event,
    Registration,
    RegistrationStatus,
    Stall,
    TicketType,
    Workshop,
    WorkshopBooking,
)
from waymark.network.services import events as event_services

EVENTS_PER_PAGE = 25
REGISTRATIONS_PER_PAGE = 50


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("core:home")), (_("Events"), reverse("network:event_list")), *extra]


def _event_crumbs(event: Event) -> list[tuple[str, str]]:
    return _crumbs((event.title, reverse("network:event_detail", args=[event.uuid])))


def _get_event(request: HttpRequest, uuid: Any) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user).select_related("network"), uuid=uuid)


# --- Events -------------------------------------------------------------------------------------------


@require_permission("network_event.view")
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.visible_to(request.user)
        .select_related("network")
        .annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            has_ticket_types=Exists(TicketType.objects.filter(event=OuterRef("pk"))),
        )
        .order_by("-starts_at", "pk")
    )
    week_only = request.GET.get("week") == "1"
    if week_only:
        events = today.this_week(events).order_by("starts_at", "pk")
    page = page_of(request, events, EVENTS_PER_PAGE)
    context = {
        "page_obj": page,
        # Each row's registration state, worded as on the event's own page and the public list.
        "rows": [(event, event.registration_state(has_ticket_types=event.has_ticket_types)) for event in page],
        "week_only": week_only,
        "can_manage": _can(request, "network_event.manage"),
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "network/events/event_list.html", context)


def _can(request: HttpRequest, permission: str) -> bool:
    return policy.can(request.user, permission)


def form_page[Saved](
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[], Saved],
    saved_message: str,
    next_page: Callable[[Saved], Any],
    title: str,
    breadcrumbs: list[tuple[str, str]],
    caption: str = "",
    cancel_url: str = "",
) -> HttpResponse:
    """The event and survey form page (error summary, h1, the fields, Save and Cancel) whose valid POST calls
    the service in ``save``."""
    context = {"title": title, "caption": caption, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs}
    return service_form_page(
        request,
        form,
        save=save,
        saved_message=saved_message,
        next_page=next_page,
        template="network/events/form.html",
        context=context,
        invalid_status=200,
    )


@require_permission("network_event.manage")
def event_create(request: HttpRequest) -> HttpResponseBase:
    form = EventForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: event_services.save_event(actor=request.user, event=form.save(commit=False)),
        saved_message=_("Event created. Now add its ticket types."),
        next_page=lambda event: event,
        title=_("Add an event"),
        breadcrumbs=_crumbs(),
    )


@require_permission("network_event.manage")
def event_edit(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    event = _get_event(request, uuid)
    form = EventForm(request.POST or None, instance=event)
    return form_page(
        request,
        form,
        save=lambda: event_services.save_event(actor=request.user, event=form.save(commit=False)),
        saved_message=_("Event saved. Calendars that hold it will update."),
        next_page=lambda saved: saved,
        title=_("Change the event"),
        caption=event.title,
        breadcrumbs=_event_crumbs(event),
    )


@require_permission("network_event.view")
def event_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The event at a glance: places per ticket type and workshop, stalls, and the links to run the day."""
    event = _get_event(request, uuid)
    tickets = registrations.ticket_counts(event)
    workshops = registrations.workshop_counts(event)
    ticket_types = list(event.ticket_types.all())
    context = {
        "event": event,
        "registration": event.registration_state(has_ticket_types=bool(ticket_types)),
        "description": render_markdown(event.description),
        "ticket_rows": [(ticket, tickets[ticket.pk]) for ticket in ticket_types],
        "workshop_rows": [(workshop, workshops[workshop.pk]) for workshop in event.workshops.all()],
        "stalls": event.stalls.select_related("organisation"),
        "can_manage": _can(request, "network_event.manage"),
        "public_url": request.build_absolute_uri(reverse("network:event_register", args=[event.uuid])),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "network/events/event_detail.html", context)


@require_permission("network_event.manage")
def event_history(request: HttpRequest, uuid: Any) -> HttpResponse:
    event = _get_event(request, uuid)
    return render_history(request, event, breadcrumbs=_event_crumbs(event))


# --- Ticket types, workshops and stalls ------------------------------------------------------------

PART_FORMS: dict[str, tuple[type[Any], type[forms.ModelForm], Any, Any]] = {
    "ticket": (TicketType, TicketTypeForm, gettext_lazy("Add a ticket type"), gettext_lazy("Change the ticket type")),
    "workshop": (Workshop, WorkshopForm, gettext_lazy("Add a workshop"), gettext_lazy("Change the workshop")),
    "stall": (Stall, StallForm, gettext_lazy("Add a marketplace stall"), gettext_lazy("Change the stall")),
}


def _edit_part(request: HttpRequest, event: Event, kind: str, instance: Any = None) -> HttpResponseBase:
    model, form_class, add_title, change_title = PART_FORMS[kind]
    form = form_class(request.POST or None, instance=instance or model(event=event))
    return form_page(
        request,
        form,
        save=lambda: event_services.save_event_part(actor=request.user, part=form.save(commit=False)),
        saved_message=_("Saved."),
        next_page=lambda part: event,
        title=change_title if instance else add_title,
        caption=event.title,
        cancel_url=event.get_absolute_url(),
        breadcrumbs=_event_crumbs(event),
    )


@require_permission("network_event.manage")
def event_part_create(request: HttpRequest, uuid: Any, kind: str) -> HttpResponseBase:
    if kind not in PART_FORMS:
        raise Http404
    return _edit_part(request, _get_event(request, uuid), kind)


@require_permission("network_event.manage")
def event_part_edit(request: HttpRequest, uuid: Any, kind: str, part_uuid: Any) -> HttpResponseBase:
    if kind not in PART_FORMS:
        raise Http404
    event = _get_event(request, uuid)
    model = PART_FORMS[kind][0]
    instance = get_object_or_404(model.objects.filter(event=event), uuid=part_uuid)
    return _edit_part(request, event, kind, instance)


# --- Registrations ------------------------------------------------------------------------------------


def _registrations(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event).select_related("ticket_type")


@require_permission("network_event.view")
def registration_list(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """Everyone registered, by status; ``?format=csv`` downloads the list (needs included, for the venue)."""
    event = _get_event(request, uuid)
    status = request.GET.get("status", "")
    rows = (
        _registrations(event)
        .visible_to(request.user)  # type: ignore[attr-defined]
        .order_by("status", "ticket_type__order", "waitlist_position", "name", "pk")
    )
    filterset = RegistrationFilterSet({"status": status}, queryset=rows, request=request)
    if request.GET.get("format") == "csv":
        rows = filterset.qs
        record_export(
            actor=request.user,
            kind=ExportKind.REGISTRATIONS,
            description=event.title,
            rows=rows.count(),
            filters=filters_of(request.GET),
        )
        header = records_header(
            _("Registrations for %(event)s") % {"event": event.title},
            scope=event.title,
            grouping=_("One row per registration"),
            filters=filters_of(request.GET),
            unsuppressed=True,  # names and needs of people: never for publication
        )
        return _registrations_csv(event, rows.prefetch_related("bookings__workshop"), header)
    return filtered_list_page(
        request,
        filterset,
        per_page=REGISTRATIONS_PER_PAGE,
        template="network/events/registration_list.html",
        rows_template="network/events/_registration_rows.html",
        rows_name="registrations",
        context={
            "event": event,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "can_manage": _can(request, "network_event.manage"),
            "breadcrumbs": _event_crumbs(event),
        },
    )


def _registrations_csv(event: Event, rows: QuerySet[Registration], header: FileHeader) -> HttpResponseBase:
    headings = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Ticket type"),
        _("Status"),
        _("Waiting list number"),
        _("Workshops"),
        _("Access needs"),
        _("Dietary needs"),
        _("Checked in"),
    ]

    def lines() -> Iterator[list[Any]]:
        for registration in rows:
            workshops = "; ".join(
                f"{booking.workshop.title} ({booking.get_status_display()})"
                for booking in registration.bookings.all()
                if booking.status != BookingStatus.CANCELLED
            )
            yield [
                registration.name,
                registration.email,
                registration.organisation,
                registration.ticket_type.name,
                registration.get_status_display(),
                registration.waitlist_position,
                workshops,
                registration.access_needs,
                registration.dietary_needs,
                registration.checked_in_at.isoformat() if registration.checked_in_at else None,
            ]

    return stream_csv(f"registrations-{event.uuid}", headings, lines(), header=header)


@require_permission("network_event.manage")
@require_POST
def registration_cancel(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    registration = get_object_or_404(Registration.objects.visible_to(request.user).select_related("event"), uuid=uuid)
    promoted = event_services.cancel_registration(registration=registration, actor=request.user)
    if promoted:
        names = ", ".join(person.name for person in promoted)
        messages.success(
            request, _("Registration cancelled. Given a place from the waiting list: %(names)s.") % {"names": names}
        )
    else:
        messages.success(request, _("Registration cancelled."))
    return redirect("network:event_registration_list", uuid=registration.event.uuid)


# --- The day ------------------------------------------------------------------------------------------


@require_permission("network_event.view")
def check_in(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The door: find a person, tick them in. Works from a phone."""
    event = _get_event(request, uuid)
    form = CheckInSearchForm(request.GET or None)
    rows = _registrations(event).filter(status=RegistrationStatus.CONFIRMED).order_by("name", "pk")
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__icontains=query))
    page = page_of(request, rows, REGISTRATIONS_PER_PAGE)
    context = {
        "event": event,
        "form": form,
        "query": query,
        "page_obj": page,
        "registrations": page.object_list,
        "summary": registrations.attendance_summary(event),
        "breadcrumbs": _event_crumbs(event),
    }
    return render(request, "network/events/check_in.html", context)


@require_permission("network_event.view")
@require_POST
def check_in_person(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    registration = get_object_or_404(Registration.objects.visible_to(request.user).select_related("event"), uuid=uuid)
    undo = request.POST.get("undo") == "1"
    try:
        event_services.check_in(registration=registration, actor=request.user, undo=undo)
    except event_services.RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        text = _("%(name)s is no longer checked in.") if undo else _("%(name)s is checked in.")
        messages.success(request, text % {"name": registration.name})
    query = request.POST.get("q", "")
    return redirect(
        reverse("network:event_check_in", args=[registration.event.uuid], query={"q": query} if query else None)
    )


@require_permission("network_event.view")
def attendance(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Who came: per ticket type and per workshop, against the places and the registrations."""
    event = _get_event(request, uuid)
    workshop_rows = Workshop.objects.filter(event=event).annotate(
        n_confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        n_attended=Count(
            "bookings",
            filter=Q(
                bookings__status=BookingStatus.CONFIRMED,
                bookings__registration__checked_in_at__isnull=False,
            ),
        ),
    )
    context = {
        "event": event,
        "summary": registrations.attendance_summary(event),
        "workshop_rows": workshop_rows,
        "breadcrumbs": _event_crumbs(event),
    }
    return render(request, "network/events/attendance.html", context)


def _printable(event: Event) -> QuerySet[Registration]:
    return (
        _registrations(event)
        .filter(status=RegistrationStatus.CONFIRMED)
        .prefetch_related(
            # Only the workshops a person has a place in go on their badge.
            _confirmed_bookings()
        )
        .order_by("name", "pk")
    )


def _confirmed_bookings() -> Prefetch:
    return Prefetch(
        "bookings",
        queryset=WorkshopBooking.objects.filter(status=BookingStatus.CONFIRMED).select_related("workshop"),
        to_attr="confirmed_bookings",
    )


@require_permission("network_event.view")
def sign_in_sheet(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A printable sheet for the door: one row per confirmed person to sign, by name."""
    event = _get_event(request, uuid)
    context = {"event": event, "registrations": _printable(event), "breadcrumbs": _event_crumbs(event)}
    return render(request, "network/events/sign_in_sheet.html", context)


@require_permission("network_event.view")
def badges(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Printable name badges, eight to an A4 page: name, organisation, ticket type and workshops."""
    event = _get_event(request, uuid)
    context = {"event": event, "registrations": _printable(event), "breadcrumbs": _event_crumbs(event)}
    return render(request, "network/events/badges.html", context)
