"""The demo team's year tells the same story whatever day the demo is loaded on: one worker's last two quarters tip
into casework, nobody else's do, and one worker had a winter without service development."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings

from waymark.partnership import demo
from waymark.partnership.choices import CdwFunction


def _balance(entries: list[dict]) -> dict[datetime.date, dict[CdwFunction, Decimal]]:
    """Each quarter's share of hours per function, hours serving several functions shared equally."""
    hours: dict[datetime.date, dict[CdwFunction, Decimal]] = defaultdict(lambda: dict.fromkeys(CdwFunction, Decimal(0)))
    for entry in entries:
        for function in entry["functions"]:
            hours[demo.quarter_start(entry["date"])][function] += entry["hours"] / len(entry["functions"])
    return {
        quarter: {function: spent / sum(by_function.values()) for function, spent in by_function.items()}
        for quarter, by_function in sorted(hours.items())
    }


def _over(balance: dict) -> list[datetime.date]:
    limit = Decimal(settings.CDW_FUNCTION_SHARE_WARNING) / 100
    return [quarter for quarter, shares in balance.items() if max(shares.values()) > limit]


# Every quarter's first days, weekends and a few ordinary days, across two years.
DAYS = sorted(
    {datetime.date(2027, 1, 1) + datetime.timedelta(days=offset) for offset in range(0, 730, 9)}
    | {datetime.date(year, month, day) for year in (2027, 2028) for month in (1, 4, 7, 10) for day in (1, 2, 3, 4, 5)}
)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_story_holds_whatever_the_day(today):
    rng = random.Random(f"{today}")
    years = {
        username: demo._year(rng, SimpleNamespace(username=username), story, today)
        for username, _name, story in [
            ("demo-cdw-amira", "", "drifts"),
            ("demo-cdw-jo", "", "balanced"),
            ("demo-cdw-dev", "", "mapping"),
        ]
    }
    for username, entries in years.items():
        assert max(entry["date"] for entry in entries) == today
        assert all(Decimal("0.25") <= entry["hours"] <= 24 and entry["functions"] for entry in entries)
        assert all(entry["hours"] % Decimal("0.25") == 0 for entry in entries)
        balance = _balance(entries)
        assert len(balance) == 5, username  # four quarters behind and this one
        if username == "demo-cdw-amira":
            assert _over(balance) == list(balance)[-2:]
            assert all(balance[quarter][CdwFunction.ACCESS_FACILITATOR] > Decimal("0.6") for quarter in _over(balance))
        else:
            assert _over(balance) == [], username
    dev = _balance(years["demo-cdw-dev"])
    assert [quarter for quarter, shares in dev.items() if not shares[CdwFunction.SERVICE_DEVELOPER]] == [
        demo.quarter_start(today, back=3)
    ]
    jo = _balance(years["demo-cdw-jo"])
    assert all(all(shares.values()) for shares in jo.values())  # no function left out in any quarter
