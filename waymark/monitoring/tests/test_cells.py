"""Counting by cell and finding each person's earliest record, checked against plain Python."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waymark.monitoring import cells
from waymark.monitoring.cells import (
    SORT_FIELDS,
    count_cells,
    first_records,
    run_starts,
    same_person_and_measure,
    sort_records,
)


@pytest.mark.parametrize(
    ("dense_cells", "first_size"),
    [(cells.DENSE_CELLS, 7), (0, 7), (cells.DENSE_CELLS, 1 << 30)],
    ids=["table", "sorting", "64-bit cells"],
)
def test_count_cells_matches_a_counter(monkeypatch, dense_cells, first_size):
    monkeypatch.setattr(cells, "DENSE_CELLS", dense_cells)
    rng = np.random.default_rng(3)
    first, second, third = rng.integers(0, 7, 5000), rng.integers(0, 3, 5000), rng.integers(0, 19, 5000)

    (a, b, c), counts = count_cells([(first, first_size), (second, 3), (third, 19)])

    expected = Counter(zip(first.tolist(), second.tolist(), third.tolist(), strict=True))
    found = dict(zip(zip(a.tolist(), b.tolist(), c.tolist(), strict=True), counts.tolist(), strict=True))
    assert found == expected
    assert list(found) == sorted(found)  # cells come in order, the last field varying fastest


def _records(rng: np.random.Generator, count: int, sizes: dict[str, int]) -> dict[str, np.ndarray]:
    return {name: rng.integers(0, min(sizes[name], 50), count) for name in SORT_FIELDS}


@pytest.mark.parametrize("person_count", [1000, 1 << 40], ids=["packed", "lexsort"])
def test_sort_records_orders_by_person_measure_then_time(person_count):
    sizes = {"person": person_count, "measure": 7, "day": 366, "group": 17, "age": 19, "sex": 3, "area": 4}
    records = _records(np.random.default_rng(5), 3000, sizes)

    result = sort_records(records, sizes)

    rows = list(zip(*(records[name].tolist() for name in SORT_FIELDS), strict=True))
    assert list(zip(*(result[name].tolist() for name in SORT_FIELDS), strict=True)) == sorted(rows)


def _earliest_by_brute_force(rows: list[tuple[int, ...]], period_of_day: list[int], area_of: list[int]) -> Counter:
    """Each (person, measure, period, area)'s earliest record, counted by period, area, measure, group, age, sex."""
    earliest: dict[tuple[int, ...], tuple[int, ...]] = {}
    for person, measure, day, group, age, sex, area in rows:
        period, level_area = period_of_day[day], area_of[area]
        if period < 0 or level_area < 0:
            continue
        key = (person, measure, period, level_area)
        record = (day, group, age, sex)
        earliest[key] = min(earliest.get(key, record), record)
    return Counter((key[2], key[3], key[1], *record[1:]) for key, record in earliest.items())


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # person
            st.integers(0, 2),  # measure
            st.integers(0, 59),  # day
            st.integers(0, 3),  # group
            st.integers(0, 18),  # age
            st.integers(0, 2),  # sex
            st.integers(0, 4),  # area: 0 none, 1-4 four small areas
        ),
        min_size=1,
        max_size=120,
    )
)
def test_first_records_finds_each_persons_earliest_record_per_cell(rows):
    sizes = {"person": 6, "measure": 3, "day": 60, "group": 4, "age": 19, "sex": 3, "area": 5}
    columns = {name: np.array([row[i] for row in rows]) for i, name in enumerate(SORT_FIELDS)}
    records = sort_records(columns, sizes)
    same = same_person_and_measure(records)
    period_of_day = [day // 30 if day < 50 else -1 for day in range(60)]  # the last 10 days: a partial period
    area_of = [-1, 0, 0, 1, -1]  # areas 1 and 2 in one district, 3 in another, 4 in none
    period = np.array(period_of_day)[records["day"]]
    starts = run_starts(period, same)

    for level_area_of, area_count in ([0, 0, 0, 0, 0], 1), (area_of, 2):
        area = np.array(level_area_of)[records["area"]]
        first = first_records(starts, area, area_count) & (period >= 0) & (area >= 0)

        found = Counter(
            zip(
                period[first].tolist(),
                area[first].tolist(),
                records["measure"][first].tolist(),
                records["group"][first].tolist(),
                records["age"][first].tolist(),
                records["sex"][first].tolist(),
                strict=True,
            )
        )
        assert found == _earliest_by_brute_force(rows, period_of_day, level_area_of)
