"""The balance chart: one bar per function per quarter, the warning line at the set share, and nothing a screen
reader would read twice (the table beside it carries the figures)."""

import datetime
import re
from decimal import Decimal

from waymark.partnership.balances import FUNCTIONS, FunctionHours, QuarterBalance
from waymark.partnership.charts import BAR_AREA, balance_chart


def _quarter(start: datetime.date, *hours: str) -> QuarterBalance:
    values = [Decimal(value) for value in hours]
    total = sum(values, Decimal(0))
    functions = tuple(
        FunctionHours(function, value, value * 100 / total) for function, value in zip(FUNCTIONS, values, strict=True)
    )
    return QuarterBalance(start, functions, total)


def test_the_chart_draws_each_functions_share_per_quarter_and_the_warning_line():
    quarters = [
        _quarter(datetime.date(2026, 4, 1), "6", "2", "2", "0"),
        _quarter(datetime.date(2026, 1, 1), "1", "1", "1", "1"),
    ]
    svg = str(balance_chart(quarters, 60))
    assert 'aria-hidden="true"' in svg and 'role="presentation"' in svg
    assert "April to June 2026" in svg and "January to March 2026" in svg
    widths = [int(width) for width in re.findall(r'<rect x="0" y="\d+" width="(\d+)"', svg)]
    assert (
        widths == [round(BAR_AREA * 0.6), round(BAR_AREA * 0.2), round(BAR_AREA * 0.2), 0] + [round(BAR_AREA / 4)] * 4
    )
    assert svg.count(f'x1="{round(BAR_AREA * 0.6)}"') == 2  # the warning line, once per quarter
    assert "Warning above 60% of the hours" in svg
