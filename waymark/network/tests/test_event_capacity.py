"""Places under pressure: many people pressing "Register" at the same moment never oversell.

Real transactions (``transaction=True``) and one database connection per thread, released together by
a barrier, so the registrations truly overlap in the database. Without the lock on the event row in
``services_events.register`` this test fails on PostgreSQL (more confirmed places than the capacity).

On SQLite the threads work on a database file, as Waymark does in production (WAL, IMMEDIATE
transactions, a busy timeout). pytest-django's in-memory test database uses shared-cache table locks,
which fail at once with "database table is locked" instead of waiting their turn as a file does.
"""

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection, connections

from waymark.network.factories_events import EventFactory, TicketTypeFactory, WorkshopFactory
from waymark.network.models import BookingStatus, Registration, RegistrationStatus, WorkshopBooking
from waymark.network.services.events import register

PEOPLE = 24
TICKET_PLACES = 8
WORKSHOP_PLACES = 5


def _register_together(event, ticket_type, workshop, sqlite_file: Path | None) -> list[BaseException]:
    barrier = threading.Barrier(PEOPLE, timeout=30)
    errors: list[BaseException] = []

    def attempt(number: int) -> None:
        try:
            if sqlite_file is not None:
                thread_connection = connections["default"]  # this thread's own connection, not yet open
                thread_connection.settings_dict = {**thread_connection.settings_dict, "NAME": str(sqlite_file)}
            barrier.wait()
            register(
                event=event,
                ticket_type=ticket_type,
                name=f"Person {number}",
                email=f"person{number}@example.org",
                workshops=[workshop],
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()  # each thread's own connection

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_confirm_exactly_the_capacity_and_queue_the_rest(tmp_path):
    event = EventFactory()
    ticket_type = TicketTypeFactory(event=event, name="Practitioners", capacity=TICKET_PLACES)
    workshop = WorkshopFactory(event=event, title="Culturally appropriate care", capacity=WORKSHOP_PLACES)
    sqlite_file = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        sqlite_file = tmp_path / "registrations.sqlite3"
        with closing(sqlite3.connect(sqlite_file)) as file_database:
            connection.connection.backup(file_database)

    errors = _register_together(event, ticket_type, workshop, sqlite_file)

    if sqlite_file is not None:  # bring the threads' work back to the test's own database
        with closing(sqlite3.connect(sqlite_file)) as file_database:
            file_database.backup(connection.connection)

    assert not errors, f"{connection.vendor}: {errors!r}"
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == PEOPLE
    assert registrations.filter(status=RegistrationStatus.CONFIRMED).count() == TICKET_PLACES
    waiting = registrations.filter(status=RegistrationStatus.WAITLISTED)
    assert sorted(waiting.values_list("waitlist_position", flat=True)) == list(range(1, PEOPLE - TICKET_PLACES + 1))

    bookings = WorkshopBooking.objects.filter(workshop=workshop)
    assert bookings.filter(status=BookingStatus.CONFIRMED).count() == WORKSHOP_PLACES
    queued = bookings.filter(status=BookingStatus.WAITLISTED)
    assert sorted(queued.values_list("waitlist_position", flat=True)) == list(
        range(1, TICKET_PLACES - WORKSHOP_PLACES + 1)
    )
    # Only people with a confirmed event place take or queue for a workshop place.
    assert not queued.exclude(registration__status=RegistrationStatus.CONFIRMED).exists()
    assert bookings.filter(status=BookingStatus.REQUESTED).count() == PEOPLE - TICKET_PLACES
