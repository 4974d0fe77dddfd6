"""Disclosure control: small counts hidden, the rest rounded, and hidden counts that cannot be worked out.

The last tests play the attacker: from what a table publishes (rounded cells and totals, suppressed
cells marked) they use linear programming to find the range each hidden small count could take, and
require that range never to lie within 1-7.
"""

import numpy as np
import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from waymark.core.disclosure import (
    SECONDARY,
    SMALL_COUNT,
    DisclosureRules,
    ProtectedTable,
    PublishedCount,
    protect_counts,
    protect_table,
)

RULES = DisclosureRules(suppress_up_to=7, round_to=5)


def shown(published: PublishedCount):
    return "*" if published.suppressed else published.value


def test_rules_come_from_settings():
    assert DisclosureRules.from_settings() == DisclosureRules(7, 5)
    with override_settings(WAYMARK_DISCLOSURE={"SUPPRESS_UP_TO": 9, "ROUND_TO": 10}):
        assert DisclosureRules.from_settings() == DisclosureRules(9, 10)
        cells, total = protect_counts({"a": 9, "b": 10, "c": 26})
    assert [shown(cell) for cell in cells.values()] == ["*", "*", 30]
    assert total.value == 50  # 45 rounds half up


@pytest.mark.parametrize(("suppress_up_to", "round_to"), [(-1, 5), (7, 0), (7, 20)])
def test_rules_that_would_mislead_are_refused(suppress_up_to, round_to):
    with pytest.raises(ValueError):
        DisclosureRules(suppress_up_to, round_to)


def test_small_counts_are_hidden_zeros_shown_and_the_rest_rounded_to_five():
    cells, total = protect_counts({"none": 0, "eight": 8, "twelve": 12, "thirteen": 13, "big": 1002}, RULES)
    assert [shown(cell) for cell in cells.values()] == [0, 10, 10, 15, 1000]
    assert total == PublishedCount(1035, False, "")


def test_a_lone_small_count_takes_the_next_smallest_count_with_it():
    # Shown alone, 3 could be read off the total: 153 - 100 - 50.
    cells, total = protect_counts({"a": 3, "b": 50, "c": 100, "none": 0}, RULES)
    assert cells["a"] == PublishedCount(None, True, SMALL_COUNT)
    assert cells["b"] == PublishedCount(None, True, SECONDARY)
    assert shown(cells["c"]) == 100 and shown(cells["none"]) == 0
    assert total.value == 155


def test_without_rounding_two_small_counts_are_not_enough():
    # With exact totals, 3 + 4 = 7 would show that both are small; a third count must go.
    cells, _ = protect_counts({"a": 3, "b": 4, "c": 100}, DisclosureRules(7, 1))
    assert [cell.reason for cell in cells.values()] == [SMALL_COUNT, SMALL_COUNT, SECONDARY]


def test_a_small_total_is_hidden_too():
    table = protect_table([[2, 0], [0, 0]], RULES)
    assert table.cells[0][0].reason == SMALL_COUNT
    assert table.row_totals[0].reason == SMALL_COUNT
    assert table.column_totals[0].reason == SMALL_COUNT
    assert table.grand_total.reason == SMALL_COUNT
    assert shown(table.cells[1][1]) == 0


def test_a_table_without_small_counts_is_only_rounded():
    table = protect_table([[10, 22], [0, 48]], RULES)
    assert [[shown(cell) for cell in row] for row in table.cells] == [[10, 20], [0, 50]]
    assert [cell.value for cell in table.row_totals] == [30, 50]
    assert [cell.value for cell in table.column_totals] == [10, 70]
    assert table.grand_total.value == 80


def test_a_table_is_solved_once_and_again_only_when_its_counts_or_the_rules_change(monkeypatch):
    from waymark.core import disclosure

    runs = []

    def counted(*args, **kwargs):
        runs.append(1)
        return linprog(*args, **kwargs)

    monkeypatch.setattr(disclosure, "linprog", counted)
    table = [[3, 40, 25], [12, 30, 18]]

    first = protect_table(table, RULES)
    solved = len(runs)
    assert solved > 0
    assert protect_table(table, RULES) == first
    assert len(runs) == solved

    protect_table([[3, 40, 25], [12, 30, 19]], RULES)
    assert len(runs) > solved
    solved = len(runs)
    protect_table(table, DisclosureRules(suppress_up_to=3, round_to=5))
    assert len(runs) > solved


@pytest.mark.parametrize("rows", [[[1, 2], [3]], [[-1, 9]], [[1.5, 9]]])
def test_tables_that_are_not_counts_are_refused(rows):
    with pytest.raises(ValueError):
        protect_table(rows, RULES)


def test_empty_tables_publish_zero():
    assert protect_table([], RULES).grand_total == PublishedCount(0, False, "")
    assert protect_counts({}, RULES) == ({}, PublishedCount(0, False, ""))


# --- The linear-programming attack ---------------------------------------------------------------------

# True counts that a published value can come from, as (below, above) the published value, for rounding
# to the nearest 1, 5 or 10 with halves rounded up.
ROUNDING_SLACK = {1: (0, 0), 5: (2, 2), 10: (5, 4)}


def attack(table, rules):
    """For each hidden small count, the (lowest, highest) value linear programming allows, with its truth.

    The attacker knows the table adds up, that a published value came from a count within the rounding
    slack and above the suppression limit, that a published 0 is a true zero, and that hidden counts are
    at least 1. Variables are the inner cells; totals are sums of them.
    """
    rows, columns = len(table.cells), len(table.column_totals)
    below, above = ROUNDING_SLACK[rules.round_to]
    floor = rules.suppress_up_to + 1

    def unit(i, j):
        vector = np.zeros(rows * columns)
        vector[i * columns + j] = 1
        return vector

    figures = [(table.cells[i][j], unit(i, j)) for i in range(rows) for j in range(columns)]
    figures += [(table.row_totals[i], sum(unit(i, j) for j in range(columns))) for i in range(rows)]
    figures += [(table.column_totals[j], sum(unit(i, j) for i in range(rows))) for j in range(columns)]
    figures.append((table.grand_total, np.ones(rows * columns)))
    upper_rows, upper_bounds = [], []
    for published, vector in figures:
        if published.suppressed:
            low, high = 1, None
        elif published.value == 0:
            low, high = 0, 0
        else:
            low, high = max(published.value - below, floor), published.value + above
        upper_rows.append(-vector)
        upper_bounds.append(-low)
        if high is not None:
            upper_rows.append(vector)
            upper_bounds.append(high)
    ranges = []
    for published, vector in figures:
        if published.reason != SMALL_COUNT:
            continue
        ends = []
        for sign in (1, -1):
            result = linprog(sign * vector, A_ub=np.array(upper_rows), b_ub=upper_bounds, bounds=(0, None))
            assert result.status in (0, 3), result.message
            ends.append(np.inf if result.status == 3 else sign * result.fun)
        ranges.append((ends[0], ends[1], vector))
    return ranges


def assert_attack_fails(rows, rules):
    table = protect_table(rows, rules)
    truth = np.array(rows, dtype=float).ravel()
    for lowest, highest, vector in attack(table, rules):
        assert lowest - 1e-6 <= vector @ truth <= highest + 1e-6, "the attack model must allow the truth"
        assert not (lowest >= 1 - 1e-6 and highest <= rules.suppress_up_to + 1e-6), (
            f"a hidden count was pinned to {lowest:.2f}-{highest:.2f} in {rows}"
        )


def test_the_attack_recovers_a_count_that_only_primary_suppression_hides():
    """The attack is real: with only the 3 hidden in 3 + 48 = 51, it is pinned to 1-4 (50 - 48 at most 52 - 48)."""
    hidden, forty_eight, fifty = (
        PublishedCount(None, True, SMALL_COUNT),
        PublishedCount(50, False),
        PublishedCount(50, False),
    )
    naive = ProtectedTable([[hidden, forty_eight]], [fifty], [hidden, forty_eight], fifty)
    lowest, highest, _ = attack(naive, RULES)[0]
    assert (lowest, highest) == pytest.approx((1, 4))
    assert not protect_table([[3, 48]], RULES).cells[0][1].value, "the real thing hides the 48 as well"


small_or_large = st.one_of(st.just(0), st.integers(1, 7), st.integers(1, 7), st.integers(8, 30), st.integers(31, 400))
tables = st.integers(1, 5).flatmap(
    lambda columns: st.lists(st.lists(small_or_large, min_size=columns, max_size=columns), min_size=1, max_size=5)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_small_count_can_be_pinned_down_by_linear_programming(rows):
    assert_attack_fails(rows, RULES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.sampled_from([DisclosureRules(7, 1), DisclosureRules(7, 10), DisclosureRules(3, 5)]))
def test_the_attack_fails_under_other_rules_too(rows, rules):
    assert_attack_fails(rows, rules)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_published_counts_are_rounded_near_the_truth_and_never_small(rows):
    table = protect_table(rows, RULES)
    published = [(cell, rows[i][j]) for i, row in enumerate(table.cells) for j, cell in enumerate(row)]
    published += [(cell, sum(rows[i])) for i, cell in enumerate(table.row_totals)]
    published += [(cell, sum(row[j] for row in rows)) for j, cell in enumerate(table.column_totals)]
    published.append((table.grand_total, sum(map(sum, rows))))
    for cell, truth in published:
        if 1 <= truth <= 7:
            assert cell.suppressed and cell.reason == SMALL_COUNT and cell.value is None
        elif cell.suppressed:
            assert cell.reason == SECONDARY and cell.value is None and truth > 0
        else:
            assert cell.value % 5 == 0 and abs(cell.value - truth) <= 2 and (cell.value == 0) == (truth == 0)
