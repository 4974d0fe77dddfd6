"""A long plan read a part at a time: the plan page and the public report show each objective's first ten
actions with a link to all of them, which then come fifty to a page; the roll-ups and the PDF count every
action."""

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.roles import Role
from waymark.plans.choices import Rag
from waymark.plans.factories import ActionFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_plan():
    plan = PlanFactory()
    crowded = ObjectiveFactory(plan=plan, code="1", title="Crowded objective")
    for number in range(1, 56):
        # the last action is the only red one: it must still colour the objective's roll-up
        ActionFactory(
            objective=crowded,
            code=f"1.{number:02d}",
            title=f"Crowded action {number:02d}",
            rag=Rag.RED if number == 55 else Rag.GREEN,
            rag_reason="Behind" if number == 55 else "",
        )
    short = ObjectiveFactory(plan=plan, code="2", title="Short objective")
    ActionFactory(objective=short, code="2.01", title="Short action 01")
    return plan


def _titles(html: str, prefix: str) -> list[str]:
    return sorted({part.split("<")[0].strip() for part in html.split(prefix)[1:]})


@pytest.mark.parametrize("persona", ["staff", "public"])
def test_each_objective_shows_its_first_ten_actions_and_links_to_all(client, long_plan, persona):
    if persona == "staff":
        verified_login(client, make_persona(Role.STAFF))
        url = long_plan.get_absolute_url()
    else:
        url = reverse("plans:public_report", args=[long_plan.uuid])
    html = client.get(url).content.decode()
    assert _titles(html, "Crowded action ") == [f"{number:02d}" for number in range(1, 11)]
    assert "Short action 01" in html
    assert "See all 55 actions of objective 1" in html
    assert "actions of objective 2" not in html
    assert "Red" in html  # the roll-up still counts the eleventh to fifty-fifth actions

    alone = client.get(url, {"objective": "1"}).content.decode()
    assert _titles(alone, "Crowded action ") == [f"{number:02d}" for number in range(1, 51)]
    assert "Short action 01" not in alone
    second = client.get(url, {"objective": "1", "page": "2"}).content.decode()
    assert _titles(second, "Crowded action ") == [f"{number:02d}" for number in range(51, 56)]
    # an objective the plan does not have shows the whole plan again
    assert "Short action 01" in client.get(url, {"objective": "99"}).content.decode()


def test_the_pdf_report_has_every_action(client, long_plan):
    from waymark.plans.public_reports import public_plans, public_report

    report = public_report(public_plans().get(pk=long_plan.pk))
    assert len(report.objectives[0].actions) == 55
    assert report.objectives[0].hidden == 0
