"""The network's list pages filter through the FilterSets the API uses, so a page and its endpoint list the same
rows for the same filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.models import Sector
from waymark.core.roles import Role
from waymark.network.factories_events import EventFactory, TicketTypeFactory
from waymark.network.factories_meetings import (
    ActionFactory,
    ContactFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)
from waymark.network.models import ActionStatus
from waymark.network.services import events as services_events

pytestmark = pytest.mark.django_db

API = "/api/v1/network/"


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def _api_names(client, endpoint: str, params: dict, key: str) -> set[str]:
    response = client.get(f"{API}{endpoint}/", params)
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


@pytest.fixture
def contacts():
    housing = Sector.objects.create(slug="test-housing", name="Test housing")
    network = NetworkFactory(name="Riverside forum")
    asha = ContactFactory(name="Asha Patel", email="asha@example.org", sector=housing)
    ben = ContactFactory(name="Ben Okafor", email="ben@riverside.example")
    cara = ContactFactory(name="Cara Jones", email="cara@example.org")
    MembershipFactory(network=network, contact=asha)
    MembershipFactory(network=network, contact=cara, left=timezone.localdate() - datetime.timedelta(days=1))
    return {"network": network, "housing": housing, "names": {"Asha Patel", "Ben Okafor", "Cara Jones"}, "ben": ben}


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"Asha Patel", "Ben Okafor", "Cara Jones"}),
        ({"q": "riverside"}, {"Ben Okafor"}),
        ({"sector": "test-housing"}, {"Asha Patel"}),
        ({"network": "NETWORK"}, {"Asha Patel"}),
    ],
)
def test_the_contact_page_and_the_api_filter_alike(client, staff, contacts, params, shown):
    params = {name: contacts["network"].pk if value == "NETWORK" else value for name, value in params.items()}
    page = client.get(reverse("network:contact_list"), params).content.decode()
    assert _api_names(client, "contacts", params, "name") == shown
    for name in contacts["names"]:
        assert (name in page) == (name in shown), name


def test_the_contact_filters_offer_any_and_answer_htmx_with_the_results_alone(client, staff, contacts):
    page = client.get(reverse("network:contact_list")).content.decode()
    assert ">Any</option>" in page and "---------" not in page
    assert 'value="test-housing"' in page and "Riverside forum" in page
    partial = client.get(reverse("network:contact_list"), {"q": "asha"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<h1" not in html and 'id="contact-count" hx-swap-oob="innerHTML">1 contact<' in html
    assert "Asha Patel" in html and "Ben Okafor" not in html


def test_the_member_page_lists_current_members_as_the_api_does_and_past_ones_on_request(client, staff, contacts):
    network = contacts["network"]
    url = reverse("network:member_list", args=[network.slug])
    current = client.get(url).content.decode()
    assert "Asha Patel" in current and "Cara Jones" not in current
    assert _api_names(client, "memberships", {"network": network.pk, "current": "true"}, "contact_name") == {
        "Asha Patel"
    }
    everyone = client.get(url, {"past": "1"}).content.decode()
    assert "Asha Patel" in everyone and "Cara Jones" in everyone


def test_the_meetings_page_and_the_api_split_upcoming_and_past_alike(client, staff):
    network = NetworkFactory()
    now = timezone.now()
    MeetingFactory(network=network, title="Spring meeting", start=now - datetime.timedelta(days=30))
    MeetingFactory(network=network, title="Summer meeting", start=now + datetime.timedelta(days=30))
    url = reverse("network:network_meetings", args=[network.slug])
    for when, shown, hidden in (("upcoming", "Summer", "Spring"), ("past", "Spring", "Summer")):
        page = client.get(url, {"when": when} if when == "past" else {}).content.decode()
        assert f"{shown} meeting" in page and f"{hidden} meeting" not in page
        assert _api_names(client, "meetings", {"network": network.pk, "when": when}, "title") == {f"{shown} meeting"}


def test_the_actions_page_and_the_api_filter_by_status_alike(client, staff):
    meeting = MeetingFactory()
    ActionFactory(meeting=meeting, description="Book the hall")
    ActionFactory(meeting=meeting, description="Send the leaflet", status=ActionStatus.DONE)
    url = reverse("network:network_actions", args=[meeting.network.slug])
    network = meeting.network.pk
    for params, shown, hidden in (({}, "Book", "Send"), ({"status": "done"}, "Send", "Book")):
        page = client.get(url, params).content.decode()
        assert shown in page and hidden not in page
    assert _api_names(client, "actions", {"network": network, "status": "open"}, "description") == {"Book the hall"}
    assert "Book the hall" in client.get(url, {"status": "lost"}).content.decode()  # an unknown status shows open


def test_the_registration_page_its_download_and_the_api_filter_by_status_alike(client, staff):
    event = EventFactory()
    ticket = TicketTypeFactory(event=event, capacity=1)
    services_events.register(event=event, ticket_type=ticket, name="Dee Singh", email="dee@example.org")
    services_events.register(event=event, ticket_type=ticket, name="Eli Brown", email="eli@example.org")
    url = reverse("network:event_registration_list", args=[event.uuid])
    page = client.get(url, {"status": "waitlisted"}).content.decode()
    assert "Eli Brown" in page and "Dee Singh" not in page
    assert "Dee Singh" in client.get(url, {"status": "lost"}).content.decode()  # an unknown status shows everyone
    download = b"".join(client.get(url, {"status": "waitlisted", "format": "csv"}).streaming_content).decode()
    assert "Eli Brown" in download and "Dee Singh" not in download
    assert _api_names(client, "registrations", {"event": event.uuid, "status": "waitlisted"}, "name") == {"Eli Brown"}
