"""A community development worker logs an activity on a phone-sized screen (375 by 812 pixels): hours out of range and
no function ticked are refused on their fields with everything typed kept, then the activity is logged and
shows in their list with this quarter's hours. Nothing is wider than the screen. Every page checked with
axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.partnership.choices import CdwFunction
from waymark.partnership.factories import CommunityFactory
from waymark.partnership.models import Activity

pytestmark = pytest.mark.django_db(transaction=True)

FITS_THE_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


def test_a_worker_logs_an_activity_on_a_phone(browse):
    CommunityFactory(name="Somali")
    CommunityFactory(name="Polish")
    worker = with_authenticator(make_persona(Role.STAFF, full_name="Wanda Worker"))
    page = browse.page
    page.set_viewport_size({"width": 375, "height": 812})

    sign_in(browse, worker)
    browse.goto(reverse("partnership:activity_list"))
    expect(page.get_by_text("You have not logged any activity yet.")).to_be_visible()
    page.get_by_role("button", name="Log an activity").click()
    browse.check()
    assert page.evaluate(FITS_THE_SCREEN)

    page.get_by_label("Hours").fill("30")
    page.get_by_label("Type of activity").select_option(label="Community group meeting")
    page.get_by_label("Somali").check()
    page.get_by_label("Venue").fill("Eastside community centre")
    page.get_by_label("Outcome").fill("The women's group will run its own health day.")
    page.get_by_role("button", name="Log the activity").click()
    browse.check()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Hours must be between 0.25 and 24.")
    expect(summary).to_contain_text("Choose at least one of the four functions the activity served.")
    expect(page.locator("#id_hours_error")).to_contain_text("Hours must be between 0.25 and 24.")
    expect(page.locator("#id_functions_error")).to_contain_text("Choose at least one of the four functions")
    expect(page.get_by_label("Somali")).to_be_checked()
    expect(page.get_by_label("Venue")).to_have_value("Eastside community centre")
    assert page.evaluate(FITS_THE_SCREEN)

    page.get_by_label("Hours").fill("1.5")
    page.get_by_label("Community capacity-builder").check()
    page.get_by_label("Change agent").check()
    page.get_by_role("button", name="Log the activity").click()
    browse.check()
    assert page.url.endswith(reverse("partnership:activity_list"))
    expect(page.get_by_text("Your activity is logged.")).to_be_visible()
    expect(page.get_by_text("1.50 hours in 1 entry")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Community group meeting")
    expect(page.locator("table")).to_contain_text("Somali")
    assert page.evaluate(FITS_THE_SCREEN)

    activity = Activity.objects.get(worker=worker)
    assert activity.functions == [CdwFunction.CHANGE_AGENT, CdwFunction.CAPACITY_BUILDER]
    assert activity.venue == "Eastside community centre"
