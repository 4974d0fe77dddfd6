"""Disproportionality tables: the numbers every page, export, API response and snapshot shows."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waymark.core.disclosure import DisclosureRules
from waymark.monitoring import stats
from waymark.monitoring.indicators import Flag, IndicatorTable, build_table, full_group_label, rate_chart

GROUPS = ["White British", "Caribbean", "African", "Indian"]
COUNTS = {"White British": 40, "Caribbean": 30, "African": 3, "Indian": 12}
POPULATIONS = {"White British": 100_000, "Caribbean": 10_000, "African": 8_000, "Indian": 20_000}


def _table(protected: bool, **options) -> IndicatorTable:
    return build_table(
        measure="mha_detention",
        measure_label="Mental Health Act detention",
        grouping_name="16 NHS ethnic categories, mapping version 1",
        groups=GROUPS,
        counts=COUNTS,
        populations=POPULATIONS,
        protected=protected,
        **options,
    )


def _row(table: IndicatorTable, group: str):
    return next(row for row in table.rows if row.group == group)


def test_full_figures_give_each_group_its_rate_and_ratios():
    table = _table(protected=False)
    caribbean = _row(table, "Caribbean")
    assert caribbean.count == 30
    assert caribbean.rate.value == pytest.approx(300.0)
    assert caribbean.rate.value == pytest.approx(stats.crude_rate(30, 10_000).value)
    # 300 per 100,000 against White British 40 per 100,000.
    assert caribbean.ratio_to_reference.value == pytest.approx(7.5)
    expected = stats.rate_ratio(30, 10_000, 40, 100_000)
    assert (caribbean.ratio_to_reference.lower, caribbean.ratio_to_reference.upper) == pytest.approx(
        (expected.lower, expected.upper)
    )
    # Against everyone else: 55 people in 128,000.
    assert caribbean.ratio_to_others.value == pytest.approx((30 / 10_000) / (55 / 128_000))
    assert caribbean.flag_reference == Flag.HIGHER
    assert _row(table, "Indian").flag_reference == Flag.NONE  # its interval spans 1
    assert _row(table, "White British").is_reference
    assert _row(table, "White British").ratio_to_reference.value is None
    assert table.total_count == 85 and table.total_population == 138_000
    assert table.grouping_name.startswith("16 NHS ethnic categories")


def test_protected_figures_suppress_small_counts_and_show_no_rate_for_them():
    table = _table(protected=True)
    african = _row(table, "African")
    assert african.suppressed and african.count is None
    assert african.rate.value is None and african.rate.lower is None
    assert african.ratio_to_reference.value is None and african.ratio_to_others.value is None
    published = [row.count for row in table.rows if not row.suppressed]
    assert all(count % 5 == 0 for count in published)
    # At least one more cell is hidden, or the suppressed 3 could be worked out from the total.
    assert sum(row.suppressed for row in table.rows) >= 2 or table.total_count is None
    assert table.notes and "suppressed" in table.notes[0]


def test_protected_rates_come_from_the_published_counts():
    table = _table(protected=True)
    white = _row(table, "White British")
    assert white.count == 40
    assert white.rate.value == pytest.approx(40 * 100_000 / white.population)


def test_a_chosen_reference_group_and_confidence_level_are_used():
    wide = _table(protected=False, reference_group="Indian", confidence=0.998)
    narrow = _table(protected=False, reference_group="Indian", confidence=0.95)
    caribbean_wide = _row(wide, "Caribbean").ratio_to_reference
    caribbean_narrow = _row(narrow, "Caribbean").ratio_to_reference
    assert caribbean_wide.value == pytest.approx(5.0)  # 300 against Indian 60 per 100,000
    assert caribbean_wide.lower < caribbean_narrow.lower and caribbean_wide.upper > caribbean_narrow.upper
    assert wide.confidence_percent == "99.8%"


def test_a_reference_group_with_no_rate_leaves_the_ratios_empty_with_a_reason():
    table = build_table(
        measure="cto",
        measure_label="CTO",
        grouping_name="g",
        groups=GROUPS,
        counts={"Caribbean": 12},
        populations={"Caribbean": 10_000},
        protected=False,
    )
    assert all(row.ratio_to_reference.value is None for row in table.rows)
    assert _row(table, "Caribbean").ratio_to_reference.reason


def test_a_table_survives_the_round_trip_through_a_snapshot():
    table = _table(protected=True)
    assert IndicatorTable.from_dict(table.to_dict()) == table


def test_the_chart_draws_only_groups_with_a_rate_inside_its_width():
    table = _table(protected=True)
    chart = rate_chart(table)
    assert chart is not None
    drawn = {bar.label for bar in chart.bars}
    assert "African" not in drawn and "African" in chart.omitted
    for bar in chart.bars:
        assert chart.plot_left <= bar.lower_x <= bar.x <= bar.upper_x <= chart.width


@given(
    counts=st.lists(st.integers(min_value=0, max_value=400), min_size=4, max_size=4),
    populations=st.lists(st.integers(min_value=0, max_value=50_000), min_size=4, max_size=4),
)
def test_no_suppressed_count_ever_shows_a_rate(counts, populations):
    table = build_table(
        measure="m",
        measure_label="m",
        grouping_name="g",
        groups=GROUPS,
        counts=dict(zip(GROUPS, counts, strict=True)),
        populations=dict(zip(GROUPS, populations, strict=True)),
        protected=True,
        rules=DisclosureRules(suppress_up_to=7, round_to=5),
    )
    for row in table.rows:
        if row.suppressed:
            assert row.count is None
            assert row.rate.value is None and row.ratio_to_reference.value is None
            assert row.ratio_to_others.value is None
        if row.rate.value is not None and row.rate.lower is not None:
            assert row.rate.lower <= row.rate.value <= row.rate.upper
            assert not math.isnan(row.rate.value)


def test_age_standardised_rates_come_with_full_figures_only():
    bands = 18
    caribbean_counts = [0] * bands
    caribbean_counts[5], caribbean_counts[6] = 14, 16  # 25-29 and 30-34
    populations = [1_000] * bands
    counts_by_age = {"Caribbean": caribbean_counts, "African": [1] + [0] * (bands - 1)}
    full = _table(
        protected=False,
        counts_by_age=counts_by_age,
        populations_by_age=dict.fromkeys(GROUPS, populations),
    )
    expected = stats.dsr(caribbean_counts, populations)
    caribbean = _row(full, "Caribbean").age_standardised
    assert (caribbean.value, caribbean.lower, caribbean.upper) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )
    assert _row(full, "African").age_standardised.value is None  # 1 person: too few to standardise
    assert _row(full, "African").age_standardised.reason

    protected = _table(
        protected=True,
        counts_by_age=counts_by_age,
        populations_by_age=dict.fromkeys(GROUPS, populations),
    )
    assert all(row.age_standardised.value is None for row in protected.rows)
    assert any("Age-standardised" in note for note in protected.notes)


BROAD = {"White British": "White", "Caribbean": "Black or Black British", "African": "Black or Black British"}


def test_each_row_is_labelled_with_its_broad_group_and_keeps_its_own_name_for_lookups():
    table = _table(protected=False, broad_groups=BROAD)

    assert [row.label for row in table.rows] == [
        "White British",  # already begins with its broad group
        "Black or Black British: Caribbean",
        "Black or Black British: African",
        "Indian",  # no broad group known: its own name
    ]
    assert _row(table, "Caribbean").is_reference is False and table.reference_group == "White British"
    assert full_group_label("White and Black Caribbean", "Mixed") == "Mixed: White and Black Caribbean"


def test_the_chart_draws_the_broad_group_above_the_name_and_a_frozen_table_still_reads():
    table = _table(protected=False, broad_groups=BROAD)
    bars = {bar.label: bar.broad_group for bar in rate_chart(table).bars}
    assert bars["Caribbean"] == "Black or Black British" and bars["White British"] == ""

    frozen = table.to_dict()
    for row in frozen["rows"]:
        del row["broad_group"]  # a snapshot published before broad groups were kept
    assert IndicatorTable.from_dict(frozen).rows[1].label == "Caribbean"


def test_the_quality_chart_starts_its_scale_high_enough_that_92_and_95_percent_look_different():
    from waymark.monitoring.views import quality_axis_floor

    assert quality_axis_floor([0.92, 0.97]) == 80
    assert quality_axis_floor([0.62, 0.97]) == 55  # a poor month still fits on the chart
    assert quality_axis_floor([0.01]) == 0
