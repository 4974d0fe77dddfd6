"""A line manager reads the team's balance in the browser: from their own balance page to the team page, where
the chart stands beside the table of the team's hours per function, with the warning for the quarter one
function took over; then one worker's balance. No one's entries are on the team page. Every page checked with
axe-core."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.partnership.balances import quarter_label, quarter_start
from waymark.partnership.choices import CdwFunction
from waymark.partnership.factories import ActivityFactory, CdwTeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_reads_the_team_balance_chart(browse):
    manager = with_authenticator(make_persona(Role.STAFF, full_name="Morgan Okoye"))
    amina = make_persona(Role.STAFF, full_name="Amina Hassan")
    bola = make_persona(Role.STAFF, full_name="Bola Adeyemi")
    CdwTeamFactory(name="Riverside CDW team", manager=manager, workers=[amina, bola])
    this_quarter = quarter_start(datetime.date.today())
    last_quarter = quarter_start(this_quarter - datetime.timedelta(days=1))
    for function in CdwFunction:
        flags = {each.value: each == function for each in CdwFunction}
        ActivityFactory(worker=bola, date=last_quarter + datetime.timedelta(days=3), hours=Decimal("3"), **flags)
    ActivityFactory(
        worker=amina,
        date=this_quarter,
        hours=Decimal("6.5"),
        change_agent=False,
        access_facilitator=True,
        outcome="Went with a resident to her housing appeal",
    )
    ActivityFactory(worker=bola, date=this_quarter, hours=Decimal("1.5"), change_agent=True)

    sign_in(browse, manager)
    browse.goto("/partnership/activity/balance/")
    page = browse.page
    expect(page.get_by_role("heading", name="My balance across the four functions")).to_be_visible()
    page.get_by_role("link", name="Riverside CDW team").click()
    browse.check()

    expect(page.get_by_role("heading", name="Riverside CDW team", level=1)).to_be_visible()
    expect(page.locator("svg.waymark-chart")).to_be_visible()
    table = page.get_by_role("table", name="The team's hours per function, each quarter")
    expect(table).to_be_visible()
    current = table.get_by_role("row").filter(has_text=quarter_label(this_quarter))
    expect(current).to_contain_text("6.5 h")  # access facilitation, the team's sum
    expect(current).to_contain_text("8 h")  # all the team's hours this quarter
    expect(current).to_contain_text("Out of balance")
    expect(table.get_by_role("row").filter(has_text=quarter_label(last_quarter))).not_to_contain_text("Out of balance")
    expect(page.get_by_text("Access facilitator took 81% of the hours, more than 60%.")).to_be_visible()
    expect(page.get_by_text("Went with a resident to her housing appeal")).to_have_count(0)

    page.get_by_role("link", name="Amina Hassan's balance").click()
    browse.check()
    expect(page.get_by_role("heading", name="Amina Hassan's balance across the four functions")).to_be_visible()
    expect(page.get_by_text("No hours as change agent.")).to_be_visible()
