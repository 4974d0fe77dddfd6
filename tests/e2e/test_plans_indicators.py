"""An analyst attaches a monitoring figure to a completed action in the browser: the form refuses a missing
target on its field, then the indicator's page shows the value with its interval, the trend and the suggested
rating with its rule, and the action's page shows it beside the lead's rating with the "not moved" warning.
Every page checked with axe-core."""

import datetime

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in, with_authenticator
from waymark.accounts.factories import make_persona
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring.codes import load_default_grouping
from waymark.monitoring.factories import (
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)
from waymark.plans.choices import ActionStatus, Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory
from waymark.plans.models import Indicator

pytestmark = pytest.mark.django_db(transaction=True)

POPULATION = {"13": 100_000, "7": 10_000}
DETAINED = {"A": 42, "M": 31}


def test_an_analyst_attaches_an_indicator_to_a_completed_action(browse):
    load_default_grouping(apps)  # the transactional test emptied the migration's grouping
    area = LocalAuthorityFactory(name="Riverside", code="E09000099")
    for code, count in POPULATION.items():
        PopulationFigureFactory(area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count)
    trust = ProviderFactory(name="Riverside Mental Health Trust")
    batch = ImportBatchFactory(provider=trust)
    for code, people in DETAINED.items():
        PeopleCountFactory(
            batch=batch,
            area=area,
            ethnic_group=ethnic_group(code),
            people=people,
            period_start=datetime.date(2024, 4, 1),
        )
    analyst = with_authenticator(make_persona(Role.ANALYST, organisation=trust, full_name="Ade Analyst"))
    plan = PlanFactory(owner=trust, title="Riverside PCREF plan 2025–2028")
    action = ActionFactory(
        objective=ObjectiveFactory(plan=plan, code="G", title="Leadership and governance"),
        code="G.1",
        title="Review every detention of a Black Caribbean patient at the board",
        status=ActionStatus.COMPLETE,
        rag=Rag.GREEN,
    )
    page = browse.page

    sign_in(browse, analyst)
    browse.goto(action.get_absolute_url())
    page.get_by_role("link", name="Attach an indicator").click()
    browse.check()
    page.get_by_label("Name (optional)").fill("Detention rate ratio, Caribbean against White British")
    page.get_by_label("Measure").select_option(label="Mental Health Act detention")
    page.get_by_label("Provider").select_option(str(trust.pk))
    page.get_by_label("Against the population of").select_option(str(area.pk))
    page.get_by_label("Group", exact=True).select_option("Caribbean")
    page.get_by_label("Compared with").select_option("White British")
    page.get_by_role("button", name="Save indicator").click()
    browse.check()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the target.")
    expect(page.get_by_label("Name (optional)")).to_have_value("Detention rate ratio, Caribbean against White British")

    page.get_by_label("Target", exact=True).fill("2")
    page.get_by_role("button", name="Save indicator").click()
    browse.check()
    indicator = Indicator.objects.get()
    assert page.url.endswith(indicator.get_absolute_url())
    expect(page.get_by_text("Indicator attached.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("7.38")
    expect(page.locator("main")).to_contain_text("Clear of the target on the wrong side")
    expect(page.locator("main")).to_contain_text("April 2024 to March 2025")

    page.get_by_role("link", name="G.1 Review every detention of a Black Caribbean patient at the board").first.click()
    browse.check()
    expect(page.locator("main")).to_contain_text("Complete, but the indicator has not moved")
    expect(page.locator("main")).to_contain_text("The lead's rating")
