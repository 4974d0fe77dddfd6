"""Events: registering, the waiting list and its promotion, e-mails with calendar links, check-in, printing,
and the erasure of access and dietary needs after the event."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from icalendar import Calendar

from waymark.accounts.factories import make_persona, verified_login
from waymark.core import personal_data
from waymark.core.roles import Role
from waymark.core.scheduling import periodic_jobs
from waymark.network import calendars, registrations
from waymark.network.factories_events import EventFactory, StallFactory, TicketTypeFactory, WorkshopFactory
from waymark.network.models import BookingStatus, Event, EventStatus, Registration, RegistrationStatus
from waymark.network.services import events as services_events

pytestmark = pytest.mark.django_db


def _register(event, ticket_type, number, **extra):
    return services_events.register(
        event=event, ticket_type=ticket_type, name=f"Person {number}", email=f"p{number}@example.org", **extra
    )


def test_a_full_ticket_type_puts_people_on_its_waiting_list_in_order():
    event = EventFactory()
    leaders = TicketTypeFactory(event=event, name="Directors and NHS leaders", capacity=2)
    practitioners = TicketTypeFactory(event=event, name="Practitioners", capacity=5)

    first, second, third, fourth = (_register(event, leaders, number) for number in range(4))
    practitioner = _register(event, practitioners, 9)

    assert [first.status, second.status] == [RegistrationStatus.CONFIRMED] * 2
    assert (third.status, third.waitlist_position) == (RegistrationStatus.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (RegistrationStatus.WAITLISTED, 2)
    assert practitioner.status == RegistrationStatus.CONFIRMED  # each ticket type has its own places


def test_cancelling_promotes_the_first_on_the_waiting_list_with_their_workshops_and_tells_them(
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=1)
    workshop = WorkshopFactory(event=event, capacity=1, title="Faith and mental health")
    holder = _register(event, tickets, 1, workshops=[workshop])
    waiting = _register(event, tickets, 2, workshops=[workshop])
    behind = _register(event, tickets, 3)
    assert waiting.bookings.get().status == BookingStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):  # e-mail is sent once the change is committed
        promoted = services_events.cancel_registration(registration=holder)

    assert promoted == [waiting]
    waiting.refresh_from_db()
    behind.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == (RegistrationStatus.CONFIRMED, None)
    assert waiting.bookings.get().status == BookingStatus.CONFIRMED  # the freed workshop place too
    assert behind.waitlist_position == 1  # moved up
    assert holder.bookings.get().status == BookingStatus.CANCELLED
    assert [message.to for message in mail.outbox] == [["p2@example.org"]]
    assert "your place is now confirmed" in mail.outbox[0].body


def test_a_full_workshop_queues_its_bookings_and_cancellation_frees_the_place():
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=10)
    workshop = WorkshopFactory(event=event, capacity=1)
    first = _register(event, tickets, 1, workshops=[workshop])
    second = _register(event, tickets, 2, workshops=[workshop])
    assert second.bookings.get().status == BookingStatus.WAITLISTED

    services_events.cancel_registration(registration=first)

    booking = second.bookings.get()
    assert (booking.status, booking.waitlist_position) == (BookingStatus.CONFIRMED, None)


def test_raising_a_capacity_fills_the_new_places_from_the_waiting_list():
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=1)
    _register(event, tickets, 1)
    waiting = _register(event, tickets, 2)

    tickets.capacity = 2
    services_events.save_event_part(actor=None, part=tickets)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_the_same_person_cannot_take_two_places_and_a_closed_event_takes_none():
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=5)
    _register(event, tickets, 1)
    with pytest.raises(services_events.RegistrationRefused, match="already registered"):
        services_events.register(event=event, ticket_type=tickets, name="Again", email="P1@Example.org")
    event.registration_open = False
    event.save()
    with pytest.raises(services_events.RegistrationRefused, match="closed"):
        _register(event, tickets, 2)
    assert Registration.objects.count() == 1


def test_changing_the_time_raises_the_calendar_sequence_and_cancelling_marks_it_cancelled():
    event = EventFactory()
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    services_events.save_event(actor=None, event=event)
    event.status = EventStatus.CANCELLED
    services_events.save_event(actor=None, event=event)

    calendar = icalendar.Calendar.from_ical(calendars.event_calendar(event).to_ical())
    vevent = calendar.walk("VEVENT")[0]
    assert vevent["UID"] == f"event-{event.uuid}@waymark"
    assert vevent["SEQUENCE"] == 2
    assert vevent["STATUS"] == "CANCELLED"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"


def test_needs_are_erased_from_records_and_history_after_the_event():
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    registration = _register(event, tickets, 1, access_needs="Wheelchair user", dietary_needs="Halal")
    services_events.erase_event_needs(now=event.ends_at + timedelta(days=1))
    registration.refresh_from_db()
    assert registration.access_needs == "Wheelchair user"  # still needed just after the event

    later = event.ends_at + services_events.NEEDS_KEPT_FOR + timedelta(days=1)
    assert services_events.erase_event_needs(now=later) == {"registrations": 1}

    registration.refresh_from_db()
    assert (registration.access_needs, registration.dietary_needs) == ("", "")
    assert not registration.history.exclude(access_needs="").exists()
    assert registration.name == "Person 1"  # the registration itself stays
    assert services_events.erase_event_needs(now=later) == {"registrations": 0}


def test_the_erasure_of_needs_is_a_daily_scheduled_job():
    job = next(job for job in periodic_jobs() if job.name == "network_erase_event_needs")
    assert job.every == timedelta(days=1)
    assert import_string(job.task_path).call() == {"registrations": 0}


def test_a_person_asking_for_erasure_loses_their_registrations():
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    _register(event, tickets, 1, access_needs="BSL interpreter")
    admin = make_persona(Role.ADMIN)
    counts = personal_data.erase_personal_data(personal_data.PersonIdentity(email="p1@example.org"), actor=admin)
    assert counts["network.registration"] == 1
    registration = Registration.objects.get()
    assert (registration.name, registration.access_needs) == ("", "")


# --- The public pages --------------------------------------------------------------------------------


def test_a_visitor_registers_on_the_waiting_list_and_gets_an_email_with_calendar_and_cancel_links(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Launch of the network")
    tickets = TicketTypeFactory(event=event, name="Practitioners", capacity=1)
    _register(event, tickets, 1)

    page = client.get(reverse("network:event_register", args=[event.uuid]))
    assert "Practitioners (full: you will join the waiting list)" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:event_register", args=[event.uuid]),
            {"ticket_type": tickets.pk, "name": "Amina Yusuf", "email": "amina@example.org", "dietary_needs": "Halal"},
            follow=True,
        )

    assert "You are number 1 on the waiting list for Practitioners places." in response.text
    message = mail.outbox[0]
    assert message.subject == "You are on the waiting list for Launch of the network"
    assert f"/network/events/{event.uuid}/event.ics" in message.body
    status_url = response.redirect_chain[-1][0]
    assert status_url in message.body
    assert "We delete them 14 days after the event." in message.body
    assert message.attachments == []  # a place on the waiting list is not yet a date for the calendar


def test_a_confirmed_place_comes_with_the_event_as_a_calendar_entry(client, django_capture_on_commit_callbacks):
    event = EventFactory(title="Launch of the network")
    tickets = TicketTypeFactory(event=event, name="Practitioners", capacity=5)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:event_register", args=[event.uuid]),
            {"ticket_type": tickets.pk, "name": "Amina Yusuf", "email": "amina@example.org"},
        )

    [message] = mail.outbox
    [(filename, content, content_type)] = message.attachments
    assert (filename, content_type) == ("event.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Launch of the network"
    assert calendar.walk("VTIMEZONE")


def test_the_registration_form_keeps_what_was_typed_and_names_the_problem(client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    morning_a = WorkshopFactory(event=event, slot="Morning")
    morning_b = WorkshopFactory(event=event, slot="Morning")
    response = client.post(
        reverse("network:event_register", args=[event.uuid]),
        {
            "ticket_type": tickets.pk,
            "name": "Sam Okafor",
            "email": "not-an-address",
            "workshops": [morning_a.pk, morning_b.pk],
        },
    )
    assert response.status_code == 200
    assert "Enter an e-mail address in the correct format" in response.text
    assert "more than one workshop in the same time slot (Morning)" in response.text
    assert 'value="Sam Okafor"' in response.text
    assert not Registration.objects.exists()


def test_the_person_cancels_from_their_own_link_and_the_next_person_gets_the_place(client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=1)
    holder = _register(event, tickets, 1)
    waiting = _register(event, tickets, 2)
    url = reverse("network:event_registration_status", args=[registrations.registration_token(holder)])

    assert "Are you sure you want to cancel" in client.get(url + "?cancel=1").text
    response = client.post(url, follow=True)

    assert "Your registration is cancelled" in response.text
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert client.get(reverse("network:event_registration_status", args=["forged-token"])).status_code == 404


def test_the_calendar_file_is_public_for_published_events_only(client):
    published = EventFactory()
    draft = EventFactory(status=EventStatus.DRAFT)
    response = client.get(reverse("network:event_ics", args=[published.uuid]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VTIMEZONE" in response.content
    assert client.get(reverse("network:event_ics", args=[draft.uuid])).status_code == 404
    assert client.get(reverse("network:event_register", args=[draft.uuid])).status_code == 404


def test_registrations_from_one_address_are_limited_by_the_setting(client, settings):
    settings.EVENT_REGISTRATION_RATE = "2/h"
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    url = reverse("network:event_register", args=[event.uuid])

    statuses = [
        client.post(url, {"ticket_type": tickets.pk, "name": f"Person {n}", "email": f"p{n}@example.org"}).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Registration.objects.filter(event=event).count() == 2


# --- Staff pages -------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    verified_login(client, make_persona(Role.STAFF))
    return client


def test_staff_set_up_an_event_with_tickets_workshops_and_stalls(staff_client):
    response = staff_client.post(
        reverse("network:event_create"),
        {
            "title": "Network launch",
            "venue": "Town Hall",
            "starts_at": "2027-03-14T09:30",
            "ends_at": "2027-03-14T16:00",
            "status": "published",
            "registration_open": "on",
        },
    )
    event = Event.objects.get()
    assert response.url == event.get_absolute_url()
    assert timezone.localtime(event.starts_at).hour == 9
    staff_client.post(
        reverse("network:event_part_create", args=[event.uuid, "ticket"]),
        {"name": "Practitioners", "capacity": 70, "order": 1},
    )
    staff_client.post(
        reverse("network:event_part_create", args=[event.uuid, "workshop"]),
        {"title": "Talking therapies", "slot": "Morning", "capacity": 20},
    )
    page = staff_client.get(event.get_absolute_url())
    assert "Practitioners" in page.text and "Talking therapies" in page.text
    assert staff_client.get(reverse("network:event_part_create", args=[event.uuid, "nonsense"])).status_code == 404


def test_a_finish_before_the_start_is_refused_on_the_field(staff_client):
    response = staff_client.post(
        reverse("network:event_create"),
        {
            "title": "Backwards",
            "venue": "Hall",
            "starts_at": "2027-03-14T16:00",
            "ends_at": "2027-03-14T09:00",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "The event must end after it starts." in response.text
    assert not Event.objects.exists()


def test_check_in_records_arrival_and_attendance_counts_it(staff_client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, name="Practitioners")
    registration = _register(event, tickets, 1)
    response = staff_client.post(reverse("network:event_check_in_person", args=[registration.uuid]), follow=True)
    assert "Person 1 is checked in." in response.text
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    attendance = staff_client.get(reverse("network:event_attendance", args=[event.uuid]))
    assert "Came" in attendance.text
    assert staff_client.get(reverse("network:event_check_in", args=[event.uuid]), {"q": "person 1"}).status_code == 200


def test_check_in_goes_back_to_the_same_search_whatever_the_name_holds(staff_client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, name="Practitioners")
    registration = services_events.register(
        event=event, ticket_type=tickets, name="Zoë & Ade #2", email="zoe.ade@example.org"
    )
    search = "Zoë & Ade #2"
    response = staff_client.post(reverse("network:event_check_in_person", args=[registration.uuid]), {"q": search})
    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert page.context["query"] == search
    assert [row.pk for row in page.context["registrations"]] == [registration.pk]


def test_sign_in_sheet_and_badges_list_confirmed_people_without_extra_queries(
    staff_client, django_assert_max_num_queries
):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=30)
    workshop = WorkshopFactory(event=event, title="Peer support")
    for number in range(30):
        _register(event, tickets, number, workshops=[workshop])
    _register(event, tickets, 99)  # waiting list: not printed
    StallFactory(event=event)
    with django_assert_max_num_queries(12):
        badges = staff_client.get(reverse("network:event_badges", args=[event.uuid]))
    assert badges.text.count('class="waymark-badge"') == 30
    assert "Peer support" in badges.text
    with django_assert_max_num_queries(12):
        sheet = staff_client.get(reverse("network:event_sign_in_sheet", args=[event.uuid]))
    assert "Person 99" not in sheet.text and "Person 29" in sheet.text


def test_registrations_download_as_csv_with_formulas_defused(staff_client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event)
    services_events.register(event=event, ticket_type=tickets, name="=HYPERLINK(1)", email="x@example.org")
    response = staff_client.get(reverse("network:event_registration_list", args=[event.uuid]), {"format": "csv"})
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


def test_staff_cancel_a_registration_and_see_who_was_promoted(staff_client):
    event = EventFactory()
    tickets = TicketTypeFactory(event=event, capacity=1)
    holder = _register(event, tickets, 1)
    _register(event, tickets, 2)
    response = staff_client.post(reverse("network:event_registration_cancel", args=[holder.uuid]), follow=True)
    assert "Given a place from the waiting list: Person 2." in response.text
