"""The balance across the four functions: hours shared equally among the functions an activity served, quarters
from January, April, July and October, and the warning above the set share or when a function has no hours."""

import datetime
from decimal import Decimal

import pytest

from waymark.accounts.factories import make_persona
from waymark.core.roles import Role
from waymark.partnership import balances
from waymark.partnership.choices import CdwFunction
from waymark.partnership.factories import ActivityFactory, CdwTeamFactory

pytestmark = pytest.mark.django_db

SPRING = datetime.date(2026, 5, 12)  # in the quarter April to June 2026


def _log(worker, hours, *functions, day=SPRING):
    flags = {function.value: function in functions for function in CdwFunction}
    return ActivityFactory(worker=worker, date=day, hours=Decimal(hours), **flags)


def _hours(quarter):
    return {item.function: item.hours for item in quarter.functions}


def _all_four(worker, day=SPRING):
    for function in CdwFunction:
        _log(worker, "1", function, day=day)


def test_hours_serving_several_functions_are_shared_equally():
    worker = make_persona(Role.STAFF)
    _log(worker, "3", CdwFunction.CHANGE_AGENT, CdwFunction.CAPACITY_BUILDER)
    _log(worker, "1", CdwFunction.ACCESS_FACILITATOR, CdwFunction.SERVICE_DEVELOPER, CdwFunction.CHANGE_AGENT)
    [quarter] = balances.worker_balance(worker)
    hours = _hours(quarter)
    assert hours[CdwFunction.CAPACITY_BUILDER] == Decimal("1.5")
    assert hours[CdwFunction.CHANGE_AGENT] == Decimal("1.5") + Decimal(1) / 3
    assert hours[CdwFunction.ACCESS_FACILITATOR] == Decimal(1) / 3
    assert quarter.total == Decimal(4)  # the hours worked, whatever the mix


def test_quarters_start_in_january_april_july_and_october_newest_first():
    worker = make_persona(Role.STAFF)
    _all_four(worker, day=datetime.date(2026, 3, 31))
    _all_four(worker, day=datetime.date(2026, 4, 1))
    _all_four(worker, day=datetime.date(2025, 12, 31))
    quarters = balances.worker_balance(worker)
    assert [quarter.start for quarter in quarters] == [
        datetime.date(2026, 4, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2025, 10, 1),
    ]
    assert quarters[0].label == "April to June 2026"
    assert quarters[2].end == datetime.date(2025, 12, 31)
    assert balances.quarter_start(datetime.date(2026, 9, 30)) == datetime.date(2026, 7, 1)


def test_a_balanced_quarter_gives_no_warning():
    worker = make_persona(Role.STAFF)
    _all_four(worker)
    [quarter] = balances.worker_balance(worker)
    assert quarter.warnings == ()


@pytest.mark.parametrize(("casework", "warned"), [("6", False), ("6.25", True)])
def test_the_warning_fires_above_the_set_share_not_at_it(settings, casework, warned):
    """Six hours of ten is exactly 60 %: no warning; 6.25 of 10.25 is just over."""
    settings.CDW_FUNCTION_SHARE_WARNING = 60
    worker = make_persona(Role.STAFF)
    _log(worker, casework, CdwFunction.ACCESS_FACILITATOR)
    for function in (CdwFunction.CHANGE_AGENT, CdwFunction.SERVICE_DEVELOPER, CdwFunction.CAPACITY_BUILDER):
        _log(worker, "1.25" if function == CdwFunction.CHANGE_AGENT else "1.375", function)
    [quarter] = balances.worker_balance(worker)
    said = [warning for warning in quarter.warnings if "Access facilitator" in warning]
    assert bool(said) is warned
    if warned:
        assert said == ["Access facilitator took 61% of the hours, more than 60%."]


def test_the_share_comes_from_the_setting(settings):
    settings.CDW_FUNCTION_SHARE_WARNING = 30
    worker = make_persona(Role.STAFF)
    _all_four(worker)
    _log(worker, "1", CdwFunction.CHANGE_AGENT)  # 2 of 5 hours: 40 %
    [quarter] = balances.worker_balance(worker)
    assert quarter.warnings == ("Change agent took 40% of the hours, more than 30%.",)


def test_a_function_without_hours_in_a_quarter_is_warned_of():
    worker = make_persona(Role.STAFF)
    _log(worker, "2", CdwFunction.CHANGE_AGENT)
    _log(worker, "2", CdwFunction.SERVICE_DEVELOPER)
    _log(worker, "2", CdwFunction.CAPACITY_BUILDER)
    [quarter] = balances.worker_balance(worker)
    assert quarter.warnings == ("No hours as access facilitator.",)


def test_a_team_balance_adds_up_its_current_workers_hours_only():
    manager = make_persona(Role.STAFF)
    first, second, elsewhere = (make_persona(Role.STAFF) for _ in range(3))
    team = CdwTeamFactory(manager=manager, workers=[first, second])
    _log(first, "2", CdwFunction.CHANGE_AGENT)
    _log(second, "3", CdwFunction.CHANGE_AGENT, CdwFunction.ACCESS_FACILITATOR)
    _log(elsewhere, "7", CdwFunction.SERVICE_DEVELOPER)
    _log(manager, "5", CdwFunction.SERVICE_DEVELOPER)
    [quarter] = balances.team_balance(team)
    assert quarter.total == Decimal(5)
    assert _hours(quarter)[CdwFunction.CHANGE_AGENT] == Decimal("3.5")
    assert _hours(quarter)[CdwFunction.SERVICE_DEVELOPER] == 0


def test_a_worker_without_activity_has_no_quarters():
    assert balances.worker_balance(make_persona(Role.STAFF)) == []


def test_line_manages_names_the_manager_of_the_workers_team():
    manager, worker, other = (make_persona(Role.STAFF) for _ in range(3))
    CdwTeamFactory(manager=manager, workers=[worker])
    assert balances.line_manages(manager, worker)
    assert not balances.line_manages(other, worker)
    assert not balances.line_manages(worker, manager)
