"""The network API: each endpoint under its page's permission and ``visible_to``, filtered by the FilterSet the
pages share, paged, in a number of queries that does not grow with the rows; contacts' personal data only for
staff, and survey results exact only for those who may read the results page, published ones through
disclosure control."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.models import Sector
from waymark.core.roles import Role
from waymark.network import survey_results
from waymark.network.factories_events import (
    EventFactory,
    QuestionFactory,
    QuestionOptionFactory,
    SurveyFactory,
    TicketTypeFactory,
)
from waymark.network.factories_meetings import (
    ActionFactory,
    ContactFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
)
from waymark.network.models import (
    ActionStatus,
    EventStatus,
    MembershipRole,
    Minutes,
    MinutesStatus,
    QuestionKind,
    SurveyInvitation,
    SurveyStatus,
)
from waymark.network.services import events as services_events
from waymark.network.services import surveys as services_surveys

pytestmark = pytest.mark.django_db

API = "/api/v1/network/"


def _days(number: int) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=number)


@pytest.fixture
def world():
    """Two networks, one run by the member persona's organisation, each with people, meetings, minutes and
    actions; a published and a draft event with registrations; a survey with published results and one
    without."""
    member_organisation = OrganisationFactory(name="Riverside Voice")
    users = {
        "member": make_persona(Role.MEMBER, member_organisation),
        "staff": make_persona(Role.STAFF),
        "analyst": make_persona(Role.ANALYST),
        "responder": make_persona(Role.RESPONDER),
        "admin": make_persona(Role.ADMIN),
        "no_role": make_persona(None),
    }
    housing = Sector.objects.create(slug="test-housing", name="Test housing")
    ours = NetworkFactory(name="Riverside forum", slug="riverside", organisation=member_organisation)
    theirs = NetworkFactory(name="Hillside forum", slug="hillside")
    asha = ContactFactory(name="Asha Patel", email="asha@example.org", sector=housing)
    ben = ContactFactory(name="Ben Okafor", email="ben@example.org")
    cara = ContactFactory(name="Cara Jones", email="cara@example.org")
    MembershipFactory(network=ours, contact=asha, role=MembershipRole.CHAIR)
    MembershipFactory(network=ours, contact=ben, left=timezone.localdate() - datetime.timedelta(days=10))
    MembershipFactory(network=theirs, contact=cara)
    past = MeetingFactory(network=ours, title="Spring meeting", start=_days(-40), end=_days(-40) + _hours(2))
    upcoming = MeetingFactory(network=ours, title="Summer meeting", start=_days(20), end=_days(20) + _hours(2))
    elsewhere = MeetingFactory(network=theirs, title="Hillside meeting", start=_days(-30), end=_days(-30) + _hours(2))
    Minutes.objects.create(meeting=past, text="Spring minutes", status=MinutesStatus.PUBLISHED, published_at=_days(-20))
    Minutes.objects.create(meeting=upcoming, text="Summer notes, circulated", status=MinutesStatus.CIRCULATED)
    Minutes.objects.create(
        meeting=elsewhere, text="Hillside minutes", status=MinutesStatus.PUBLISHED, published_at=_days(-10)
    )
    ActionFactory(meeting=past, owner=asha, description="Book the hall", due_date=_days(-3).date())
    ActionFactory(meeting=past, owner=ben, description="Send the leaflet", status=ActionStatus.DONE)
    ActionFactory(meeting=upcoming, owner=asha, description="Invite the council", due_date=_days(30).date())
    ActionFactory(meeting=elsewhere, owner=cara, description="Hillside survey")
    launch = EventFactory(title="Launch day", network=ours)
    draft = EventFactory(title="Autumn fair", status=EventStatus.DRAFT, registration_open=False)
    ticket = TicketTypeFactory(event=launch, name="Practitioners", capacity=1)
    services_events.register(event=launch, ticket_type=ticket, name="Dee Singh", email="dee@example.org")
    services_events.register(event=launch, ticket_type=ticket, name="Eli Brown", email="eli@example.org")
    TicketTypeFactory(event=draft)
    published = _answered_survey("Launch evaluation", results_public=True, network=ours, event=launch)
    private = SurveyFactory(title="Staff pulse", status=SurveyStatus.DRAFT)
    return {
        "users": users,
        "ours": ours,
        "theirs": theirs,
        "asha": asha,
        "past": past,
        "upcoming": upcoming,
        "launch": launch,
        "published": published,
        "private": private,
        "housing": housing,
    }


def _hours(number: int) -> datetime.timedelta:
    return datetime.timedelta(hours=number)


def _answered_survey(title: str, **fields):
    """A survey that 12 people answered: a choice question (9, 3, 0) and a written one."""
    survey = SurveyFactory(title=title, status=SurveyStatus.OPEN, **fields)
    choice = QuestionFactory(survey=survey, text="Which workshop?", kind=QuestionKind.SINGLE)
    faith, housing = (QuestionOptionFactory(question=choice, label=label) for label in ("Faith", "Housing"))
    QuestionOptionFactory(question=choice, label="Youth")
    written = QuestionFactory(survey=survey, text="Anything else?", kind=QuestionKind.TEXT)
    for number in range(12):
        invitation = SurveyInvitation.objects.create(survey=survey, email=f"person{number}@example.org")
        answers = {choice.pk: (faith if number < 9 else housing).pk}
        if number == 0:
            answers[written.pk] = "The interpreter was late, said Asha"
        services_surveys.submit_response(invitation=invitation, answers=answers)
    return survey


def _signed_in(client, world, persona: str):
    if persona != "anonymous":
        verified_login(client, world["users"][persona])
    return client


def _listed(client, endpoint: str, params: dict | None = None, key: str = "uuid") -> set[str]:
    response = client.get(f"{API}{endpoint}/", params or {})
    assert response.status_code == 200, response.content
    return {str(row[key]) for row in response.json()["results"]}


# --- Filters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "key", "params", "expected"),
    [
        ("networks", "name", {}, {"Riverside forum", "Hillside forum"}),
        ("networks", "name", {"q": "hill"}, {"Hillside forum"}),
        ("networks", "name", {"organisation": "OURS_ORG"}, {"Riverside forum"}),
        ("memberships", "contact_name", {"network": "OURS"}, {"Asha Patel", "Ben Okafor"}),
        ("memberships", "contact_name", {"network": "OURS", "current": "true"}, {"Asha Patel"}),
        ("memberships", "contact_name", {"current": "false"}, {"Ben Okafor"}),
        ("memberships", "contact_name", {"role": "chair"}, {"Asha Patel"}),
        ("memberships", "contact_name", {"contact": "ASHA"}, {"Asha Patel"}),
        ("contacts", "name", {"q": "BEN@"}, {"Ben Okafor"}),
        ("contacts", "name", {"sector": "test-housing"}, {"Asha Patel"}),
        ("contacts", "name", {"network": "OURS"}, {"Asha Patel"}),  # current members only, as on the page
        ("meetings", "title", {"network": "OURS"}, {"Spring meeting", "Summer meeting"}),
        ("meetings", "title", {"when": "upcoming"}, {"Summer meeting"}),
        ("meetings", "title", {"when": "past", "network": "OURS"}, {"Spring meeting"}),
        ("meetings", "title", {"start_from": "DAY_MINUS_35"}, {"Summer meeting", "Hillside meeting"}),
        ("minutes", "meeting_title", {}, {"Spring meeting", "Hillside meeting"}),
        ("minutes", "meeting_title", {"network": "OURS"}, {"Spring meeting"}),
        ("actions", "description", {"status": "done"}, {"Send the leaflet"}),
        ("actions", "description", {"overdue": "true"}, {"Book the hall"}),
        ("actions", "description", {"network": "OURS", "overdue": "false", "status": "open"}, {"Invite the council"}),
        ("actions", "description", {"meeting": "PAST"}, {"Book the hall", "Send the leaflet"}),
        ("events", "title", {}, {"Launch day", "Autumn fair"}),
        ("events", "title", {"status": "draft"}, {"Autumn fair"}),
        ("events", "title", {"registration_open": "true", "q": "launch"}, {"Launch day"}),
        ("events", "title", {"network": "OURS"}, {"Launch day"}),
        ("registrations", "name", {"event": "LAUNCH"}, {"Dee Singh", "Eli Brown"}),
        ("registrations", "name", {"status": "waitlisted"}, {"Eli Brown"}),
        ("registrations", "name", {"q": "dee@"}, {"Dee Singh"}),
        ("registrations", "name", {"checked_in": "true"}, set()),
        ("surveys", "title", {}, {"Launch evaluation", "Staff pulse"}),
        ("surveys", "title", {"results_public": "true"}, {"Launch evaluation"}),
        ("surveys", "title", {"status": "draft"}, {"Staff pulse"}),
        ("surveys", "title", {"event": "LAUNCH"}, {"Launch evaluation"}),
    ],
)
def test_filters(client, world, endpoint, key, params, expected):
    swap = {
        "OURS": world["ours"].pk,
        "OURS_ORG": str(world["ours"].organisation.uuid),
        "ASHA": str(world["asha"].uuid),
        "PAST": str(world["past"].uuid),
        "LAUNCH": str(world["launch"].uuid),
        "DAY_MINUS_35": _days(-35).date().isoformat(),
    }
    params = {name: swap.get(value, value) for name, value in params.items()}
    assert _listed(_signed_in(client, world, "staff"), endpoint, params, key) == expected


def test_a_filter_naming_something_the_caller_cannot_see_is_refused(client, world):
    _signed_in(client, world, "member")
    response = client.get(f"{API}meetings/", {"network": world["theirs"].pk})
    assert response.status_code == 400 and "network" in response.json()["errors"]
    assert client.get(f"{API}meetings/", {"when": "someday"}).status_code == 400


def test_meetings_come_as_the_meetings_page_orders_them(client, world):
    _signed_in(client, world, "staff")
    MeetingFactory(network=world["ours"], title="Winter meeting", start=_days(-100), end=_days(-100) + _hours(1))
    past = client.get(f"{API}meetings/", {"when": "past", "network": world["ours"].pk}).json()["results"]
    assert [row["title"] for row in past] == ["Spring meeting", "Winter meeting"]


# --- Who sees what ----------------------------------------------------------------------------------------

LISTS = ["networks", "memberships", "contacts", "meetings", "minutes", "actions", "events", "registrations", "surveys"]
# The status each persona gets from each list, as from its page: anonymous, no_role, member, staff, responder,
# analyst, admin.
STATUSES = {
    "networks": (401, 403, 200, 200, 403, 403, 200),
    "memberships": (401, 403, 403, 200, 403, 403, 200),
    "contacts": (401, 403, 403, 200, 403, 403, 200),
    "meetings": (401, 403, 200, 200, 403, 403, 200),
    "minutes": (401, 403, 200, 200, 403, 403, 200),
    "actions": (401, 403, 200, 200, 403, 403, 200),
    "events": (401, 403, 403, 200, 403, 403, 200),
    "registrations": (401, 403, 403, 200, 403, 403, 200),
    "surveys": (401, 403, 403, 200, 403, 200, 200),
}
PERSONAS = ("anonymous", "no_role", "member", "staff", "responder", "analyst", "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_list_answers_each_persona_as_its_page_does(client, world, persona):
    _signed_in(client, world, persona)
    got = {endpoint: client.get(f"{API}{endpoint}/").status_code for endpoint in LISTS}
    assert got == {endpoint: STATUSES[endpoint][PERSONAS.index(persona)] for endpoint in LISTS}


def test_a_member_sees_their_own_networks_meetings_and_actions_as_the_pages_show_them(client, world):
    _signed_in(client, world, "member")
    ours, theirs = world["ours"], world["theirs"]
    assert _listed(client, "networks", key="slug") == {"riverside"}
    assert _listed(client, "meetings", key="title") == {"Spring meeting", "Summer meeting"}
    assert _listed(client, "actions", {"status": "open"}, key="description") == {"Book the hall", "Invite the council"}
    # Published minutes only, of their own network: not the circulated ones, nor another network's.
    assert _listed(client, "minutes", key="meeting_title") == {"Spring meeting"}
    actions_page = client.get(reverse("network:network_actions", args=[ours.slug])).content.decode()
    assert "Book the hall" in actions_page and "Invite the council" in actions_page
    meetings_page = client.get(reverse("network:network_meetings", args=[ours.slug])).content.decode()
    assert "Summer meeting" in meetings_page
    # Another network's records are not found, as their pages are not.
    assert client.get(reverse("network:network_detail", args=[theirs.slug])).status_code == 404
    assert client.get(f"{API}networks/{theirs.slug}/").status_code == 404
    hillside = theirs.meetings.get()
    assert client.get(f"{API}meetings/{hillside.uuid}/").status_code == 404
    assert client.get(f"{API}minutes/{hillside.uuid}/").status_code == 404
    assert client.get(f"{API}minutes/{world['upcoming'].uuid}/").status_code == 404  # circulated, not published
    minutes = client.get(f"{API}minutes/{world['past'].uuid}/").json()
    assert minutes["text"] == "Spring minutes" and minutes["network"]["slug"] == "riverside"


def test_contacts_personal_data_reaches_staff_only(client, world):
    staff = _signed_in(client, world, "staff")
    asha = staff.get(f"{API}contacts/{world['asha'].uuid}/").json()
    assert asha["email"] == "asha@example.org" and asha["sector"] == "test-housing"
    assert asha["lawful_basis"] == "consent" and asha["may_be_emailed"] is True
    client.logout()
    member = _signed_in(client, world, "member")
    assert member.get(f"{API}contacts/{world['asha'].uuid}/").status_code == 403
    assert member.get(f"{API}memberships/").status_code == 403
    # An action names its owner as the actions page does, and nothing more about them.
    actions = member.get(f"{API}actions/").content.decode()
    assert "Asha Patel" in actions
    assert "asha@example.org" not in actions and str(world["asha"].uuid) not in actions
    for endpoint in ("networks", "meetings", "minutes"):
        assert "@example.org" not in member.get(f"{API}{endpoint}/").content.decode()


def test_registrations_are_for_event_staff(client, world):
    _signed_in(client, world, "staff")
    rows = client.get(f"{API}registrations/", {"event": world["launch"].uuid}).json()["results"]
    assert {(row["name"], row["status"], row["waitlist_position"]) for row in rows} == {
        ("Dee Singh", "confirmed", None),
        ("Eli Brown", "waitlisted", 1),
    }
    event = client.get(f"{API}events/{world['launch'].uuid}/").json()
    assert (event["confirmed"], event["waitlisted"]) == (1, 1)
    assert event["ticket_types"][0]["name"] == "Practitioners"


# --- Survey results -----------------------------------------------------------------------------------------


def test_staff_and_analysts_read_exact_results_with_written_answers(client, world):
    survey = world["published"]
    for persona in ("staff", "analyst"):
        _signed_in(client, world, persona)
        data = client.get(f"{API}surveys/{survey.uuid}/results/").json()
        assert data["responses"] == 12
        choice, written = data["questions"]
        assert choice["answers"] == [
            {"answer": "Faith", "count": 9},
            {"answer": "Housing", "count": 3},
            {"answer": "Youth", "count": 0},
        ]
        assert written["written_answers"] == ["The interpreter was late, said Asha"]
        client.logout()


def test_published_results_are_disclosure_controlled_for_everyone_and_leave_written_answers_out(client, world):
    survey = world["published"]
    data = client.get(f"{API}surveys/{survey.uuid}/published-results/").json()
    expected_total = survey_results.published_total(12)
    assert data["responses"] == {
        "value": expected_total.value,
        "suppressed": expected_total.suppressed,
        "reason": expected_total.reason,
    }
    choice, written = data["questions"]
    counts = {row["answer"]: row["count"] for row in choice["answers"]}
    assert counts["Housing"] == {"value": None, "suppressed": True, "reason": "small count"}
    assert counts["Faith"]["value"] != 9 and counts["Youth"]["value"] in (0, None)  # rounded or hidden, never exact
    assert written["answers"] == [] and "written_answers" not in written
    assert "interpreter" not in str(data)
    # The same figures as the public results page.
    _total, results = survey_results.survey_results(survey, public=True)
    assert [row["count"]["value"] for row in choice["answers"]] == [row.published.value for row in results[0].rows]
    page = client.get(reverse("network:survey_public_results", args=[survey.uuid])).content.decode()
    assert "fewer than 8" in page and "interpreter" not in page


def test_results_stay_hidden_from_those_the_pages_hide_them_from(client, world):
    published, private = world["published"], world["private"]
    assert client.get(f"{API}surveys/{published.uuid}/results/").status_code == 401
    assert client.get(f"{API}surveys/{private.uuid}/published-results/").status_code == 404
    _signed_in(client, world, "member")
    assert client.get(f"{API}surveys/{published.uuid}/results/").status_code == 403
    assert client.get(f"{API}surveys/{published.uuid}/").status_code == 403
    assert client.get(f"{API}surveys/{published.uuid}/published-results/").status_code == 200


# --- Paging and queries -------------------------------------------------------------------------------------


def test_lists_are_paged(client, world):
    _signed_in(client, world, "staff")
    for number in range(5):
        ContactFactory(name=f"Paged contact {number}")
    first = client.get(f"{API}contacts/", {"q": "paged", "page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and "page=2" in first["next"]
    last = client.get(f"{API}contacts/", {"q": "paged", "page_size": 2, "page": 3}).json()
    assert [row["name"] for row in last["results"]] == ["Paged contact 4"] and last["next"] is None
    assert client.get(f"{API}contacts/", {"q": "paged", "page_size": 2, "page": 4}).status_code == 404


def _more_rows(world) -> None:
    """Five more of everything each list shows, each with its own related records."""
    for number in range(5):
        network = NetworkFactory(organisation=world["ours"].organisation)
        contact = ContactFactory(sector=world["housing"])
        contact.interests.set([])
        MembershipFactory(network=network, contact=contact)
        meeting = MeetingFactory(network=network)
        Minutes.objects.create(meeting=meeting, text="Done", status=MinutesStatus.PUBLISHED, published_at=_days(-1))
        ActionFactory(meeting=meeting, owner=contact)
        event = EventFactory(network=network)
        ticket = TicketTypeFactory(event=event)
        services_events.register(event=event, ticket_type=ticket, name=f"Person {number}", email=f"p{number}@x.org")
        survey = SurveyFactory(network=network, event=event)
        QuestionOptionFactory(question=QuestionFactory(survey=survey))


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session, the throttle's cache row and the content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["staff", "member"])
def test_the_lists_cost_the_same_queries_for_more_rows(client, world, persona):
    _signed_in(client, world, persona)
    endpoints = [endpoint for endpoint in LISTS if STATUSES[endpoint][PERSONAS.index(persona)] == 200]
    few = {endpoint: _queries(client, f"{API}{endpoint}/") for endpoint in endpoints}
    _more_rows(world)
    more = {endpoint: _queries(client, f"{API}{endpoint}/") for endpoint in endpoints}
    assert more == few
    assert max(few.values()) <= 12
