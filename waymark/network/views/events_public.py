"""Public event pages, no account needed: register, see where you stand, cancel, add it to your calendar.

A person's own registration page is reached only through the signed link in their e-mail (and the
redirect after registering), so nobody can look up someone else's place by guessing.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from waymark.core import signed_links
from waymark.core.lists import page_of
from waymark.core.text import render_markdown
from waymark.core.views import link_refused
from waymark.network import calendars, ical, registrations
from waymark.network.forms_events import RegistrationForm
from waymark.network.models import BookingStatus, Event, EventStatus, RegistrationState, RegistrationStatus
from waymark.network.services import events as event_services


def _public_event(request: HttpRequest, uuid: Any) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), uuid=uuid)


def registration_rate(group: str, request: HttpRequest) -> str:
    """Read per request, so the load bench (and tests) can raise it through the setting."""
    return settings.EVENT_REGISTRATION_RATE


UPCOMING_PER_PAGE = 20


@require_safe
def upcoming_events(request: HttpRequest) -> HttpResponse:
    """Every event people can come to, soonest first, with the same registration state as its own page."""
    page = page_of(request, registrations.upcoming_events(request.user), UPCOMING_PER_PAGE)
    rows = [(event, event.registration_state(has_ticket_types=event.has_ticket_types)) for event in page]
    context = {"page_obj": page, "rows": rows, "breadcrumbs": [(_("Home"), reverse("core:home"))]}
    return render(request, "network/events/upcoming.html", context)


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=registration_rate, method="POST", block=True)
def event_register(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """The event and its registration form. A full ticket type still takes registrations, onto its waiting list."""
    event = _public_event(request, uuid)
    state = event.registration_state()
    open_for_registration = state == RegistrationState.OPEN
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and open_for_registration and form.is_valid():
        data = form.cleaned_data
        try:
            registration = event_services.register(
                event=event,
                ticket_type=data["ticket_type"],
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                access_needs=data["access_needs"],
                dietary_needs=data["dietary_needs"],
                workshops=data.get("workshops") or [],
            )
        except event_services.RegistrationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("network:event_registration_status", token=registrations.registration_token(registration))
    context = {
        "event": event,
        "description": render_markdown(event.description),
        "form": form if open_for_registration else None,
        "registration": state,
        "cancelled": event.status == EventStatus.CANCELLED,
        "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Upcoming events"), reverse("network:event_upcoming"))],
    }
    return render(request, "network/events/public_register.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def registration_status(request: HttpRequest, token: str) -> HttpResponseBase:
    """Where this person stands: confirmed or their number on the waiting list. ``?cancel=1`` asks them to
    confirm a cancellation, which a POST carries out (and the next person on the waiting list gets the place)."""
    try:
        registration = registrations.registration_from_token(token)
    except signed_links.LinkRefused as refusal:
        return link_refused(
            request,
            refusal,
            link_name=_("registration link"),
            advice=_(
                "Your place is not affected. To see or cancel it, reply to your confirmation e-mail and "
                "ask the organiser for a new link."
            ),
        )
    if request.method == "POST":
        event_services.cancel_registration(registration=registration)
        messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect("network:event_registration_status", token=token)
    bookings = registration.bookings.select_related("workshop").exclude(status=BookingStatus.CANCELLED)
    context = {
        "registration": registration,
        "event": registration.event,
        "bookings": bookings,
        "token": token,
        "confirmed": registration.status == RegistrationStatus.CONFIRMED,
        "waitlisted": registration.status == RegistrationStatus.WAITLISTED,
        "cancelled": registration.status == RegistrationStatus.CANCELLED,
        "confirming_cancel": request.GET.get("cancel") == "1" and registration.status != RegistrationStatus.CANCELLED,
        "breadcrumbs": [(_("Home"), reverse("core:home"))],
    }
    return render(request, "network/events/public_registration_status.html", context)


@require_safe
def event_ics(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The event for a calendar program: a stable UID, and a SEQUENCE raised whenever it changes."""
    event = _public_event(request, uuid)
    return ical.ics_response(calendars.event_calendar(event), f"event-{event.uuid}.ics")
