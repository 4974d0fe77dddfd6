"""Screening and assessment in the browser: a grants officer screens an application and gives two people seats;
one declares a conflict and is refused the application; the other scores a draft, then submits; the officer
reads the spread. Every page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import UserFactory, make_persona
from waymark.core.roles import Role
from waymark.grants.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_assessor_with_a_conflict_is_refused(browse):
    application = ApplicationFactory(
        organisation_name="Riverside wellbeing circle",
        project_title="Peer support in the park",
        answers={"need": "People wait months for talking therapy.", "difference": "Fewer people alone."},
    )
    conflicted = UserFactory(email="conflicted@example.org", first_name="Conflicted", last_name="Assessor")
    clear = UserFactory(email="clear@example.org", first_name="Clear", last_name="Assessor")
    page = browse.page

    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))
    browse.goto(application.get_absolute_url())
    page.get_by_role("button", name="Screen the application").click()
    browse.check()
    page.get_by_label("Eligible: goes to assessment").check()
    page.get_by_label("Reason").fill("Within the amount and the area; a community group.")
    page.get_by_role("button", name="Save").click()
    browse.check()
    for email in ("conflicted@example.org", "clear@example.org"):
        page.get_by_role("button", name="Give an assessor a seat").click()
        browse.check()
        page.get_by_label("Assessor's e-mail address").fill(email)
        page.get_by_role("button", name="Give the seat").click()
        browse.check()
    expect(page.get_by_text("Not yet declared")).to_have_count(2)

    sign_in(browse, conflicted)
    browse.goto("/grants/assessments/")
    browse.check()
    page.get_by_role("link", name=f"Declare your interests {application.reference}").click()
    browse.check()
    expect(page.get_by_text("Riverside wellbeing circle")).to_be_visible()
    expect(page.get_by_text("People wait months for talking therapy.")).to_have_count(0)
    page.get_by_label("Yes: I have a conflict of interest").check()
    page.get_by_label("What the interest is").fill("I am a trustee of the group.")
    page.get_by_role("button", name="Declare").click()
    browse.check()
    expect(page.get_by_text("None: you declared a conflict")).to_be_visible()
    browse.goto(f"/grants/assessments/{application.assessments.get(assessor=conflicted).uuid}/")
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this application")
    expect(page.get_by_text("People wait months for talking therapy.")).to_have_count(0)
    browse.goto(application.get_absolute_url())
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")

    sign_in(browse, clear)
    browse.goto("/grants/assessments/")
    browse.check()
    page.get_by_role("link", name=f"Declare your interests {application.reference}").click()
    browse.check()
    page.get_by_label("No: I have no interest to declare").check()
    page.get_by_role("button", name="Declare").click()
    browse.check()
    expect(page.get_by_text("People wait months for talking therapy.")).to_be_visible()
    page.get_by_label("Score for Need (weight 2)").select_option("4")
    page.get_by_label("Why this score").first.fill("A long wait, well evidenced.")
    page.get_by_role("button", name="Save as draft").click()
    browse.check()
    expect(page.get_by_text("Your scores are saved as a draft.")).to_be_visible()
    page.get_by_label("Score for Led by the community (weight 1)").select_option("na")
    page.get_by_label("Your recommendation").select_option("fund")
    page.get_by_role("button", name="Submit my scores").click()
    browse.check()
    expect(page.get_by_text("Your scores are submitted.")).to_be_visible()
    expect(page.get_by_text("Weighted score so far: 4.00 out of 5.")).to_be_visible()

    sign_in(browse, with_authenticator(make_persona(Role.STAFF)))
    browse.goto(application.get_absolute_url())
    browse.check()
    expect(page.get_by_text("Conflict: I am a trustee of the group.")).to_be_visible()
    expect(page.get_by_text("Mean of submitted scores: 4.00 out of 5 (from 4.00 to 4.00).")).to_be_visible()
    browse.goto(f"/grants/programmes/{application.programme.uuid}/moderation/")
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation: the spread of scores")
