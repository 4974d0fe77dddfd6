"""An event's registration state reads the same on the staff page, the public page and the public list of
upcoming events: never "open" without a ticket type to register for."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.network.factories_events import EventFactory, TicketTypeFactory
from waymark.network.models import EventStatus

pytestmark = pytest.mark.django_db

STATES = ("Registration open", "Registration closed", "Event cancelled")


def states_on(client, name, event):
    page = client.get(reverse(f"network:{name}", args=[event.uuid])).content.decode()
    return [state for state in STATES if f">{state}<" in page]


@pytest.fixture
def staff_client(client):
    verified_login(client, make_persona(Role.STAFF))
    return client


@pytest.mark.parametrize(
    ("tickets", "status", "registration_open", "expected"),
    [
        (False, EventStatus.PUBLISHED, True, "Registration closed"),  # switched on, but nothing to register for
        (True, EventStatus.PUBLISHED, True, "Registration open"),
        (True, EventStatus.PUBLISHED, False, "Registration closed"),
        (True, EventStatus.CANCELLED, True, "Event cancelled"),
    ],
)
def test_staff_and_public_pages_say_the_same(client, staff_client, tickets, status, registration_open, expected):
    event = EventFactory(status=status, registration_open=registration_open)
    if tickets:
        TicketTypeFactory(event=event)
    assert states_on(staff_client, "event_detail", event) == [expected]
    staff_client.logout()
    assert states_on(client, "event_register", event) == [expected]
    public = client.get(reverse("network:event_register", args=[event.uuid])).content.decode()
    assert ('name="ticket_type"' in public) == (expected == "Registration open")


def test_the_public_list_shows_upcoming_events_soonest_first_with_their_state(client, django_assert_max_num_queries):
    now = timezone.now()
    later = EventFactory(title="Carers café", starts_at=now + datetime.timedelta(days=40))
    TicketTypeFactory(event=later)
    sooner = EventFactory(title="Network launch", starts_at=now + datetime.timedelta(days=5))
    EventFactory(title="Draft day", status=EventStatus.DRAFT)
    EventFactory(
        title="Last year's forum",
        starts_at=now - datetime.timedelta(days=300),
        ends_at=now - datetime.timedelta(days=300) + datetime.timedelta(hours=3),
    )
    for number in range(5):
        TicketTypeFactory(
            event=EventFactory(title=f"Workshop day {number}", starts_at=now + datetime.timedelta(days=60))
        )

    with django_assert_max_num_queries(8):
        response = client.get(reverse("network:event_upcoming"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Draft day" not in page and "Last year" not in page
    assert page.index("Network launch") < page.index("Carers café") < page.index("Workshop day 0")
    rows = page.split("Network launch", 1)[1].split("Carers café")
    assert ">Registration closed<" in rows[0]  # no ticket type yet
    assert ">Registration open<" in rows[1].split("Workshop day 0")[0]
    assert reverse("network:event_register", args=[sooner.uuid]) in page


def test_the_staff_list_shows_the_same_state_without_a_query_per_row(staff_client, django_assert_max_num_queries):
    bare = EventFactory(title="Bare launch")
    for number in range(6):
        TicketTypeFactory(event=EventFactory(title=f"Ready day {number}"))
    with django_assert_max_num_queries(12):
        page = staff_client.get(reverse("network:event_list")).content.decode()
    row_of_bare = page.split("Bare launch", 1)[1].split("</tr>", 1)[0]
    assert ">Registration closed<" in row_of_bare
    assert page.count(">Registration open<") == 6
    assert reverse("network:event_upcoming") in page
    assert bare.registration_state() == "closed"
