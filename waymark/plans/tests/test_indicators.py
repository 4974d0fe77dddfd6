"""Indicators: a monitoring figure on an action or objective, read through the dashboard's own functions."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.accounts.models import User
from waymark.core.models import Area, Organisation
from waymark.core.reference_data import ONS_2021
from waymark.core.roles import Role
from waymark.monitoring import dashboards
from waymark.monitoring.choices import Measure
from waymark.monitoring.factories import (
    ImportBatchFactory,
    LocalAuthorityFactory,
    PeopleCountFactory,
    PopulationBatchFactory,
    PopulationFigureFactory,
    ProviderFactory,
    ethnic_group,
)
from waymark.monitoring.models import AnalysisGrouping, PeopleCount
from waymark.monitoring.services import publishing
from waymark.plans import indicator_values
from waymark.plans.choices import ActionStatus, Direction, Rag, Statistic
from waymark.plans.factories import ActionFactory, ObjectiveFactory
from waymark.plans.indicator_values import DashboardMemo, TargetPosition
from waymark.plans.models import Action, Indicator
from waymark.plans.services.indicators import attach_indicator, change_indicator, remove_indicator

pytestmark = pytest.mark.django_db

# ONS 2021 code → population; NHS code → people detained, by financial year.
POPULATION = {"13": 100_000, "7": 10_000, "6": 8_000, "3": 20_000}
DETAINED = {
    2023: {"A": 40, "M": 90, "N": 3, "H": 12},
    2024: {"A": 42, "M": 31, "N": 3, "H": 12},
}
GROUP, REFERENCE = "Caribbean", "White British"


@dataclass
class Figures:
    provider: Organisation
    other_provider: Organisation
    area: Area
    grouping: AnalysisGrouping
    analyst: User
    other_analyst: User
    staff: User
    admin: User


@pytest.fixture
def figures() -> Figures:
    area = LocalAuthorityFactory(name="Riverside")
    population_batch = PopulationBatchFactory()
    for code, count in POPULATION.items():
        PopulationFigureFactory(
            batch=population_batch, area=area, ethnic_group=ethnic_group(code, ONS_2021), count=count
        )
    provider = ProviderFactory(name="Riverside Mental Health Trust")
    for year, detained in DETAINED.items():
        batch = ImportBatchFactory(provider=provider)
        for code, people in detained.items():
            PeopleCountFactory(
                batch=batch,
                area=area,
                ethnic_group=ethnic_group(code),
                people=people,
                measure=Measure.MHA_DETENTION,
                period_start=datetime.date(year, 4, 1),
            )
    other_provider = ProviderFactory(name="Hillside Partnership Trust")
    PeopleCountFactory(batch=ImportBatchFactory(provider=other_provider), area=area)
    return Figures(
        provider=provider,
        other_provider=other_provider,
        area=area,
        grouping=dashboards.default_grouping(),
        analyst=make_persona(Role.ANALYST, provider),
        other_analyst=make_persona(Role.ANALYST, other_provider),
        staff=make_persona(Role.STAFF),
        admin=make_persona(Role.ADMIN),
    )


def _data(figures: Figures, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Detention rate ratio, Caribbean against White British",
        "measure": Measure.MHA_DETENTION,
        "provider": figures.provider,
        "area": figures.area,
        "grouping": figures.grouping,
        "group": GROUP,
        "reference_group": REFERENCE,
        "statistic": Statistic.RATIO_TO_REFERENCE,
        "target": 2.0,
        "direction": Direction.AT_MOST,
        "baseline_year": 2023,
    }
    data.update(changes)
    return data


def _attach(figures: Figures, action: Action | None = None, **changes: object) -> Indicator:
    return attach_indicator(actor=figures.analyst, action=action or ActionFactory(), data=_data(figures, **changes))


def _dashboard_row(figures: Figures, year: int, *, protected: bool, group: str = GROUP):
    dashboard = dashboards.provider_dashboard(
        provider=figures.provider,
        area=figures.area,
        year=year,
        protected=protected,
        grouping=figures.grouping,
        reference_group=REFERENCE,
    )
    table = next(table for table in dashboard.tables if table.measure == Measure.MHA_DETENTION)
    return next(row for row in table.rows if row.group == group)


# --- The value is the dashboard's figure -------------------------------------------------------------------


@pytest.mark.parametrize("statistic", list(Statistic))
def test_an_actions_indicator_equals_the_dashboards_figure_for_the_same_cell(figures, statistic):
    indicator = _attach(figures, statistic=statistic)
    value = indicator_values.indicator_value(indicator, figures.analyst)
    assert not value.protected
    assert [row.year for row in value.trend] == [2023, 2024]
    for row in value.trend:
        assert row.value == getattr(_dashboard_row(figures, row.year, protected=False), statistic)
    assert value.latest is not None and value.latest.year == 2024 and value.latest.value.value is not None


def test_a_viewer_without_monitoring_access_sees_disclosure_controlled_values(figures):
    indicator = _attach(figures)
    seen = indicator_values.indicator_value(indicator, figures.staff)
    assert seen.protected
    expected = _dashboard_row(figures, 2024, protected=True)
    assert seen.latest is not None and seen.latest.value == expected.ratio_to_reference
    assert seen.latest.value != _dashboard_row(figures, 2024, protected=False).ratio_to_reference


def test_a_suppressed_small_count_gives_no_value_to_a_viewer_without_access(figures):
    indicator = _attach(figures, group="African")  # 3 people detained: suppressed when published
    analyst_sees = indicator_values.indicator_value(indicator, figures.analyst)
    staff_sees = indicator_values.indicator_value(indicator, figures.staff)
    assert analyst_sees.has_value and analyst_sees.latest.count == 3  # type: ignore[union-attr]
    assert not staff_sees.has_value
    assert staff_sees.latest is not None and staff_sees.latest.suppressed and staff_sees.latest.count is None
    assert staff_sees.suggested_rag == Rag.NOT_RATED and staff_sees.position == TargetPosition.NO_VALUE


# --- Where the interval lies, the suggested RAG and the unmoved flag ---------------------------------------
# Caribbean against White British: 22.5 (about 15 to 33) in 2023, 7.4 (about 4.6 to 11.8) in 2024.


@pytest.mark.parametrize(
    ("target", "direction", "baseline_year", "position", "rag"),
    [
        (15.0, Direction.AT_MOST, 2023, TargetPosition.GOOD, Rag.GREEN),  # clear on the good side
        (8.0, Direction.AT_MOST, 2023, TargetPosition.STRADDLES, Rag.AMBER),  # the interval straddles 8
        (2.0, Direction.AT_MOST, 2023, TargetPosition.BAD, Rag.AMBER),  # off target, but down from 22.5
        (2.0, Direction.AT_MOST, 2024, TargetPosition.BAD, Rag.RED),  # off target, nothing to improve on
        (2.0, Direction.AT_LEAST, 2023, TargetPosition.GOOD, Rag.GREEN),
        (15.0, Direction.AT_LEAST, 2023, TargetPosition.BAD, Rag.RED),  # off target and getting further off
    ],
)
def test_the_suggested_rag_follows_the_written_rule(figures, target, direction, baseline_year, position, rag):
    action = ActionFactory(rag=Rag.GREEN, rag_reason="")
    indicator = _attach(figures, action, target=target, direction=direction, baseline_year=baseline_year)
    value = indicator_values.indicator_value(indicator, figures.analyst)
    assert (value.position, value.suggested_rag) == (position, rag)
    action.refresh_from_db()
    assert action.rag == Rag.GREEN  # the lead's rating is never overwritten


@pytest.mark.parametrize(
    ("status", "baseline_year", "flagged"),
    [
        (ActionStatus.COMPLETE, 2024, True),  # the latest interval overlaps the baseline's (the same year)
        (ActionStatus.COMPLETE, 2023, False),  # 22.5 (15 to 33) down to 7.4 (4.6 to 11.8): it moved
        (ActionStatus.IN_PROGRESS, 2024, False),  # not complete: nothing to flag
    ],
)
def test_a_complete_action_whose_indicator_has_not_moved_is_flagged(figures, status, baseline_year, flagged):
    action = ActionFactory(status=status)
    indicator = _attach(figures, action, baseline_year=baseline_year)
    assert indicator_values.indicator_value(indicator, figures.analyst).unmoved_complete is flagged


def test_an_objectives_indicator_has_a_value_and_no_unmoved_flag(figures):
    indicator = attach_indicator(actor=figures.analyst, objective=ObjectiveFactory(), data=_data(figures))
    value = indicator_values.indicator_value(indicator, figures.analyst)
    assert value.has_value and not value.unmoved_complete


def test_many_indicators_share_each_dashboard_once_per_request(figures):
    action = ActionFactory()
    for group in ("Caribbean", "African", "Indian"):
        for target in (1.0, 2.0):
            _attach(figures, action, group=group, target=target)
    memo = DashboardMemo()
    values = indicator_values.indicator_values(
        Indicator.objects.select_related("provider", "area", "grouping", "action"), figures.staff, memo=memo
    )
    assert len(values) == 6
    assert memo.computed == 2  # one dashboard per financial year, not one per indicator


# --- Refusals ----------------------------------------------------------------------------------------------


def test_an_analyst_without_access_to_the_provider_is_refused_on_the_provider(figures):
    with pytest.raises(ValidationError) as refused:
        attach_indicator(actor=figures.other_analyst, action=ActionFactory(), data=_data(figures))
    assert list(refused.value.message_dict) == ["provider"]
    assert "Riverside Mental Health Trust" in refused.value.message_dict["provider"][0]
    assert not Indicator.objects.exists()


def test_changing_the_target_of_a_figure_the_actor_may_not_see_is_refused_on_the_provider(figures):
    indicator = _attach(figures)
    with pytest.raises(ValidationError) as refused:
        change_indicator(actor=figures.other_analyst, indicator=indicator, data={"target": 1.0})
    assert list(refused.value.message_dict) == ["provider"]
    indicator.refresh_from_db()
    assert indicator.target == 2.0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"group": "Martian"}, "group"),
        ({"reference_group": "Nobody"}, "reference_group"),
        ({"reference_group": GROUP}, "reference_group"),  # a group against itself
        ({"baseline_year": 2019}, "baseline_year"),
        ({"target": -1.0}, "target"),
        ({"target": 0.0}, "target"),
    ],
)
def test_a_cell_the_figures_cannot_answer_is_refused_on_its_field(figures, changes, field):
    with pytest.raises(ValidationError) as refused:
        _attach(figures, **changes)
    assert list(refused.value.message_dict) == [field]


def test_an_area_without_population_figures_is_refused_on_the_area(figures):
    with pytest.raises(ValidationError) as refused:
        _attach(figures, area=LocalAuthorityFactory(name="Nowhere"))
    assert list(refused.value.message_dict) == ["area"]
    assert "Nowhere" in refused.value.message_dict["area"][0]


@pytest.mark.parametrize("persona", ["staff"])
def test_only_analysts_and_administrators_attach_indicators(figures, persona):
    with pytest.raises(PermissionDenied):
        attach_indicator(actor=getattr(figures, persona), action=ActionFactory(), data=_data(figures))


def test_an_analyst_changes_and_removes_an_indicator_with_history(figures):
    indicator = _attach(figures)
    change_indicator(actor=figures.analyst, indicator=indicator, data={"target": 1.5})
    assert indicator.history.latest().history_user == figures.analyst
    remove_indicator(actor=figures.admin, indicator=indicator)
    assert not Indicator.objects.exists()


# --- Public values: published snapshots only ---------------------------------------------------------------


def test_the_public_value_comes_from_the_latest_published_snapshot_only(figures):
    indicator = _attach(figures, action=ActionFactory(), group="Indian")
    assert indicator_values.public_indicator_value(indicator) is None  # nothing published yet
    snapshot = publishing.publish_snapshot(
        actor=None,
        provider=figures.provider,
        area=figures.area,
        year=2024,
        title="Detentions 2024/25",
        methods_note="How they were made.",
        check_access=False,
    )
    published_row = next(
        row
        for table in dashboards.snapshot_tables(snapshot)
        if table.measure == Measure.MHA_DETENTION
        for row in table.rows
        if row.group == "Indian"
    )
    before = indicator_values.public_indicator_value(indicator)
    assert before is not None and before.snapshot == snapshot and before.protected
    assert [row.year for row in before.trend] == [2024]  # 2023 was never published
    assert before.latest is not None and before.latest.value == published_row.ratio_to_reference

    # A live change (a re-import) moves the live value but never the published one.
    PeopleCount.objects.filter(provider=figures.provider, ethnic_group=ethnic_group("H")).update(people=500)
    after = indicator_values.public_indicator_value(indicator)
    live = indicator_values.indicator_value(indicator, figures.analyst)
    assert after is not None and after.latest == before.latest
    assert live.latest is not None and live.latest.value != before.latest.value


def test_no_public_value_for_another_area_or_reference(figures):
    publishing.publish_snapshot(
        actor=None,
        provider=figures.provider,
        area=figures.area,
        year=2024,
        title="Detentions 2024/25",
        methods_note="How they were made.",
        check_access=False,
    )
    against_indian = _attach(figures, reference_group="Indian")
    assert indicator_values.public_indicator_value(against_indian) is None  # published against White British
    against_others = _attach(figures, reference_group="Indian", statistic=Statistic.RATIO_TO_OTHERS)
    assert indicator_values.public_indicator_value(against_others) is not None


# --- Pages -------------------------------------------------------------------------------------------------


def _form(figures: Figures, **changes: object) -> dict[str, object]:
    data = _data(figures, **changes)
    return {key: getattr(value, "pk", value) for key, value in data.items()}


def test_an_analyst_attaches_an_indicator_and_the_action_shows_it(client, figures):
    action = ActionFactory(status=ActionStatus.COMPLETE, rag=Rag.GREEN)
    verified_login(client, figures.analyst)
    response = client.post(
        reverse("plans:indicator_attach_action", args=[action.uuid]), _form(figures, baseline_year=2024)
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302 and response.url == indicator.get_absolute_url()
    assert indicator.action == action and indicator.created_by == figures.analyst

    html = client.get(action.get_absolute_url()).content.decode()
    assert "Detention rate ratio, Caribbean against White British" in html
    assert "7.38" in html and "(4.6" in html  # 31/10,000 against 42/100,000, with its interval
    assert "Clear of the target on the wrong side" in html
    assert "Complete, but the indicator has not moved" in html
    assert "How Waymark suggests a rating from an indicator" in html

    detail = client.get(indicator.get_absolute_url()).content.decode()
    assert "April 2023 to March 2024" in detail and "April 2024 to March 2025" in detail  # the trend
    assert "red when it lies entirely on the wrong side" in detail  # the rule, written out
    assert "Nothing is published for this provider and area yet" in detail


def test_a_refused_provider_is_shown_on_the_field_and_nothing_typed_is_lost(client, figures):
    verified_login(client, figures.other_analyst)
    response = client.post(
        reverse("plans:indicator_attach_action", args=[ActionFactory().uuid]),
        _form(figures, title="Our detention ratio"),
    )
    assert response.status_code == 400
    assert "provider" in response.context["form"].errors
    assert "Our detention ratio" in response.content.decode()
    assert not Indicator.objects.exists()


def test_an_analyst_changes_the_target_and_removes_the_indicator_through_the_pages(client, figures):
    indicator = _attach(figures)
    verified_login(client, figures.analyst)
    response = client.post(reverse("plans:indicator_edit", args=[indicator.uuid]), _form(figures, target=9.0))
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == 9.0
    response = client.post(reverse("plans:indicator_remove", args=[indicator.uuid]))
    assert response.status_code == 302 and response.url == indicator.action.get_absolute_url()  # type: ignore[union-attr]
    assert not Indicator.objects.exists()


def test_staff_see_disclosure_controlled_values_on_the_pages(client, figures):
    indicator = _attach(figures, group="African")
    verified_login(client, figures.staff)
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "You are seeing disclosure-controlled values" in html
    assert "Suppressed" in html and "No suggestion" in html


def test_the_plan_page_shows_its_objectives_indicators_computing_each_dashboard_once(client, figures):
    objective = ObjectiveFactory()
    for group in ("Caribbean", "African", "Indian"):
        attach_indicator(actor=figures.analyst, objective=objective, data=_data(figures, group=group))
    verified_login(client, figures.analyst)
    response = client.get(objective.plan.get_absolute_url())
    html = response.content.decode()
    assert "Indicators of the objectives" in html
    assert "Clear of the target on the wrong side" in html  # Caribbean, 7.4 against a target of 2
    assert html.count("The interval straddles the target") == 2  # African and Indian: wide intervals
    assert response.wsgi_request._waymark_indicator_memo.computed == 2  # type: ignore[attr-defined]
