"""A member of the public registers for a full event and lands on the waiting list; when someone cancels,
they get the place. Staff run the door and read the evaluation. Every page checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.network import survey_results
from waymark.network.factories_events import (
    EventFactory,
    QuestionFactory,
    QuestionOptionFactory,
    StallFactory,
    SurveyFactory,
    TicketTypeFactory,
    WorkshopFactory,
)
from waymark.network.models import QuestionKind, Registration, RegistrationStatus, SurveyInvitation
from waymark.network.services import events as services_events
from waymark.network.services import surveys as services_surveys

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_registers_for_a_full_event_and_lands_on_the_waiting_list(browse, live_server, settings):
    settings.SITE_URL = live_server.url
    event = EventFactory(title="Race Equality Network launch", venue="Riverside Community Hall")
    leaders = TicketTypeFactory(event=event, name="Directors and NHS leaders", capacity=1, order=1)
    TicketTypeFactory(event=event, name="Practitioners", capacity=70, order=2)
    WorkshopFactory(event=event, title="Culturally appropriate talking therapies", slot="Morning", capacity=20)
    WorkshopFactory(event=event, title="Faith communities and crisis care", slot="Afternoon", capacity=20)
    holder = services_events.register(event=event, ticket_type=leaders, name="Kemi Adeyemi", email="kemi@example.org")
    page = browse.page

    browse.goto("/network/events/upcoming/")
    expect(page.get_by_role("row", name=re.compile("Race Equality Network launch"))).to_contain_text(
        "Registration open"
    )
    page.get_by_role("link", name="Race Equality Network launch").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Race Equality Network launch")
    page.get_by_label("Directors and NHS leaders (full: you will join the waiting list)").check()
    page.get_by_label("Full name").fill("Tariq Hussain")
    page.get_by_label("E-mail address").fill("tariq@example.org")
    page.get_by_label("Organisation (optional)").fill("Riverside Mental Health Trust")
    page.get_by_label(re.compile("Culturally appropriate talking therapies")).check()
    page.get_by_label("Access needs (optional)").fill("Step-free access, please")
    page.get_by_role("button", name="Register").click()
    browse.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waiting list")
    expect(page.locator("#waitlist-position")).to_have_text(
        "You are number 1 on the waiting list for Directors and NHS leaders places."
    )
    expect(page.get_by_text("Held until the event place is confirmed", exact=False)).to_be_visible()
    registration = Registration.objects.get(email="tariq@example.org")
    assert registration.status == RegistrationStatus.WAITLISTED

    # Someone with a place cancels: the person on the waiting list gets it, and their page says so.
    services_events.cancel_registration(registration=holder)
    page.reload()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your place is confirmed")


def test_staff_check_people_in_print_badges_and_read_the_evaluation(browse):
    event = EventFactory(title="Race Equality Network launch")
    tickets = TicketTypeFactory(event=event, name="Practitioners", capacity=70)
    workshop = WorkshopFactory(event=event, title="Peer support", slot="Morning")
    StallFactory(event=event, table="Table 1")
    for name in ("Asha Patel", "Dev Shah", "Grace Mensah"):
        services_events.register(
            event=event,
            ticket_type=tickets,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            workshops=[workshop],
        )
    survey = SurveyFactory(title="Launch evaluation", event=event, status="open")
    useful = QuestionFactory(survey=survey, text="How useful was the day?", kind=QuestionKind.SCALE)
    again = QuestionFactory(survey=survey, text="Would you come again?", kind=QuestionKind.SINGLE)
    yes, _maybe = (QuestionOptionFactory(question=again, label=label) for label in ("Yes", "Maybe"))
    for number in range(3):
        invitation = SurveyInvitation.objects.create(survey=survey, email=f"r{number}@example.org")
        services_surveys.submit_response(invitation=invitation, answers={useful.pk: 4 + number % 2, again.pk: yes.pk})
    page = browse.page
    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))

    browse.goto("/network/events/")
    page.get_by_role("link", name="Race Equality Network launch").click()
    browse.check()
    page.get_by_role("link", name="Check people in").click()
    browse.check()
    page.get_by_label("Find a person by name, e-mail or organisation").fill("dev")
    page.get_by_role("button", name="Find").click()
    browse.check()
    page.get_by_role("button", name="Check in Dev Shah").click()
    browse.check()
    expect(page.get_by_text("Dev Shah is checked in.")).to_be_visible()
    page.get_by_role("link", name="Race Equality Network launch").click()
    browse.check()
    page.get_by_role("link", name="Print name badges").click()
    browse.check()
    expect(page.locator(".waymark-badge")).to_have_count(3)
    page.emulate_media(media="print")
    page.emulate_media(media="screen")

    browse.goto(f"/network/surveys/{survey.uuid}/results/")
    expect(page.get_by_text("3 responses")).to_be_visible()
    expect(page.locator("svg.waymark-chart")).to_have_count(2)

    # The other staff pages, and what a respondent sees, all pass axe-core too.
    for path in (
        f"/network/surveys/{survey.uuid}/",
        f"/network/surveys/{survey.uuid}/send/",
        f"/network/surveys/{survey.uuid}/questions/new/",
        "/network/surveys/",
        "/network/events/new/",
        f"/network/events/{event.uuid}/registrations/",
        f"/network/events/{event.uuid}/attendance/",
        f"/network/events/{event.uuid}/sign-in-sheet/",
    ):
        browse.goto(path)
    survey.results_public = True
    survey.save()
    browse.goto(f"/network/surveys/{survey.uuid}/published-results/")
    expect(page.get_by_text("Fewer than 8 people have answered so far.")).to_be_visible()
    invitation = SurveyInvitation.objects.create(survey=survey, email="new@example.org")
    browse.goto(f"/network/surveys/answer/{survey_results.invitation_token(invitation)}/")
    page.get_by_label("5").check()
    page.get_by_role("button", name="Send my answers").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")


def test_a_question_hint_with_markup_is_read_as_typed_on_the_public_survey(browse):
    """The hint is staff-typed: markup in it is shown as text, and nothing in it runs (the policy would report it)."""
    survey = SurveyFactory(title="Launch evaluation", status="open")
    QuestionFactory(
        survey=survey,
        text="Anything else?",
        kind=QuestionKind.TEXT,
        hint="Say <b>anything</b> <img src=x onerror=alert(1)>",
    )
    invitation = SurveyInvitation.objects.create(survey=survey, email="person@example.org")
    page = browse.page

    browse.goto(f"/network/surveys/answer/{survey_results.invitation_token(invitation)}/")

    expect(page.get_by_text("Say <b>anything</b> <img src=x onerror=alert(1)>")).to_be_visible()
    assert page.locator(".nhsuk-hint img, .nhsuk-hint b").count() == 0
