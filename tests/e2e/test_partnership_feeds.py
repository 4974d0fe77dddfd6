"""The public finds an open consultation and a reported one ("we asked, you said, we did"); a community
development worker reads how often each community has been asked and copies the calendar address. Every page
checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.factories import LocalAuthorityFactory, PopulationFigureFactory, ethnic_group
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _calendar() -> None:
    today = timezone.localdate()
    african = CommunityFactory(name="Somali")
    african.ethnic_groups.set([ethnic_group("6", ONS_2021)])
    bangladeshi = CommunityFactory(name="Bangladeshi")
    bangladeshi.ethnic_groups.set([ethnic_group("3", ONS_2021)])
    area = LocalAuthorityFactory(name="Riverside")
    PopulationFigureFactory(area=area, ethnic_group=ethnic_group("6", ONS_2021), count=8_000)
    PopulationFigureFactory(area=area, ethnic_group=ethnic_group("3", ONS_2021), count=20_000)
    theme = ThemeFactory(name="Crisis care", slug="t-crisis")
    ConsultationFactory(
        title="Crisis care: what would help?",
        status=ConsultationStatus.OPEN,
        published=True,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21),
        public_link="https://example.org/take-part",
        communities=[african],
        themes=[theme],
    )
    ConsultationFactory(
        title="Talking therapies in Bengali",
        status=ConsultationStatus.REPORTED,
        published=True,
        starts_on=today - datetime.timedelta(days=120),
        ends_on=today - datetime.timedelta(days=90),
        purpose="How could talking therapies work better for Bangladeshi families?",
        report_summary="You said sessions in Bengali were hard to find. We now offer them at two surgeries.",
        reported_on=today - datetime.timedelta(days=30),
        communities=[bangladeshi],
        themes=[theme],
    )
    ConsultationFactory(title="Still being planned", communities=[african], themes=[theme])


def test_the_public_reads_open_and_reported_consultations(browse):
    _calendar()
    page = browse.page

    browse.goto("/")
    page.get_by_role("link", name="Consultations", exact=True).first.click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    expect(page.get_by_role("link", name="Still being planned")).to_have_count(0)

    page.get_by_role("link", name="Talking therapies in Bengali").click()
    browse.check()
    expect(page.get_by_role("heading", name="We asked")).to_be_visible()
    expect(page.get_by_text("We now offer them at two surgeries.")).to_be_visible()

    page.go_back()
    page.get_by_role("link", name="Crisis care: what would help?").click()
    browse.check()
    expect(page.get_by_role("button", name="Take part")).to_have_attribute("href", "https://example.org/take-part")


def test_a_worker_reads_the_fatigue_figure_and_copies_the_calendar_address(browse):
    _calendar()
    worker = with_authenticator(make_persona(Role.STAFF))
    page = browse.page

    sign_in(browse, worker)
    browse.goto("/partnership/consultations/")
    browse.check()
    page.get_by_role("link", name="How often each community has been asked (fatigue figure)").click()
    browse.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("How often each community is asked")
    somali = page.get_by_role("row", name="Somali")
    expect(somali).to_contain_text(re.compile(r"8,?000"))
    expect(somali).to_contain_text("0.13")  # one consultation for 8,000 people

    browse.goto("/partnership/consultations/subscribe/")
    browse.check()
    expect(page.get_by_label("Your private calendar address (do not share it)")).to_have_value(
        re.compile(r"/partnership/consultations/calendar\.ics\?token=")
    )
