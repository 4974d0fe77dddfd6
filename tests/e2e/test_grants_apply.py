"""An applicant fills in a grant application step by step, sees the word count as they type, goes over a
limit and loses nothing, adds a file, checks and sends; a grants officer enters one taken on paper. Every page
checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import fill_date, sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, Channel
from waymark.grants.factories import ProgrammeFactory
from waymark.grants.models import Application

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_applicant_saves_each_step_and_sends(browse, tmp_path):
    page = browse.page
    programme = ProgrammeFactory(code="seed-e2e", title="Community seed fund")
    browse.goto(f"/grants/apply/en-gb/{programme.code}/start/")
    page.get_by_label("Your name").fill("Applicant")
    page.get_by_label("Your e-mail address").fill("applicant@example.org")
    page.get_by_role("button", name="Start my application").click()
    browse.check()
    expect(page).to_have_url(re.compile(r"/grants/apply/en-gb/draft/.+/group/$"))

    page.get_by_label("Name of your group").fill("Riverside Wellbeing Circle")
    page.get_by_label("Unincorporated community group").check()
    page.get_by_label("Your group's postcode").fill("ZZ1 1AA")
    page.get_by_role("button", name="Save and continue").click()
    browse.check()

    today = timezone.localdate()
    page.get_by_label("A short title for your project").fill("Tea and talk")
    page.get_by_label("What will you do? A few lines").fill("We meet every week.")
    page.get_by_label("How much are you asking for (£)?").fill("1500")
    fill_date(page, "When will it start?", today + datetime.timedelta(days=40))
    fill_date(page, "When will it end?", today + datetime.timedelta(days=300))
    page.get_by_role("button", name="Save and continue").click()
    browse.check()

    need = page.get_by_label("What need will the money meet?")
    need.fill(" ".join(["word"] * 160))
    expect(page.locator("[data-word-count-for=id_answer_need] [data-words]")).to_have_text("160")
    page.get_by_label("What difference will it make?").fill("Fewer people alone.")
    page.get_by_role("button", name="Save and continue").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("at most 150")
    expect(page.get_by_label("What difference will it make?")).to_have_value("Fewer people alone.")
    need.fill("People wait months for help in their own language.")
    page.get_by_role("button", name="Save and continue").click()
    browse.check()

    page.get_by_role("button", name="Save and continue").click()  # communities: optional
    browse.check()
    budget = tmp_path / "budget.pdf"
    budget.write_bytes(b"%PDF-1.4 budget")
    page.get_by_label("What is the file?").fill("Our budget")
    page.get_by_label("Choose the file").set_input_files(str(budget))
    page.get_by_role("button", name="Add the file").click()
    browse.check()
    expect(page.locator(".nhsuk-summary-list__key")).to_have_text("Our budget")
    page.get_by_role("button", name="Continue").click()
    browse.check()

    expect(page.get_by_text("People wait months for help in their own language.")).to_be_visible()
    page.get_by_label("The information in this application is true, to the best of my knowledge").check()
    page.get_by_role("button", name="Send my application").click()
    browse.check()
    expect(page.get_by_text("Received: being considered")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.attachments.count() == 1


def test_a_grants_officer_enters_an_application_taken_on_paper(browse):
    page = browse.page
    programme = ProgrammeFactory(title="Community seed fund")
    officer = with_authenticator(make_persona(Role.STAFF))
    sign_in(browse, officer)
    browse.goto(f"/grants/programmes/{programme.uuid}/applications/enter/")
    page.get_by_label("On paper").check()
    page.get_by_label("Name of your group").fill("Saturday School")
    page.get_by_label("Unincorporated community group").check()
    page.get_by_label("Your name").fill("Teacher")
    page.get_by_label("Your e-mail address").fill("teacher@example.org")
    page.get_by_label("A short title for your project").fill("Homework club")
    page.get_by_label("What will you do? A few lines").fill("After school, twice a week.")
    page.get_by_label("How much are you asking for (£)?").fill("3000")
    today = timezone.localdate()
    fill_date(page, "When will it start?", today + datetime.timedelta(days=20))
    fill_date(page, "When will it end?", today + datetime.timedelta(days=200))
    page.get_by_label("What need will the money meet?").fill("Children fall behind.")
    page.get_by_label("What difference will it make?").fill("They catch up.")
    page.get_by_role("button", name="Save and send the application").click()
    browse.check()
    application = Application.objects.get()
    assert (application.channel, application.entered_by) == (Channel.PAPER, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Homework club")
