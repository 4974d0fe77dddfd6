"""The statistics against published values, and the properties any interval must have.

Expected numbers are typed in from the sources named beside them, never produced by the code under test.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waymark.monitoring import stats

# --- Normal quantiles --------------------------------------------------------------------------------


def test_confidence_levels_use_the_exact_normal_quantile():
    # Standard normal table values (e.g. Lindley & Scott, New Cambridge Statistical Tables, 2nd ed.,
    # Table 5): 97.5th percentile 1.9600 (1.959964), 99.9th percentile 3.0902 (3.090232). PHE's Technical
    # Guide: Confidence intervals uses 95% and 99.8% limits.
    assert stats.z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert stats.z_value(0.998) == pytest.approx(3.090232, abs=1e-6)


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5])
def test_a_confidence_level_outside_zero_to_one_is_refused(confidence):
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.proportion(1, 2, confidence=confidence)


# --- Wilson score interval for proportions -----------------------------------------------------------

# Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven methods.
# Stat Med 1998;17:857-872, Table II, method 3 (score method without continuity correction), 95% limits.
NEWCOMBE_TABLE_II = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("numerator", "denominator", "lower", "upper"), NEWCOMBE_TABLE_II)
def test_proportion_matches_newcombes_published_wilson_intervals(numerator, denominator, lower, upper):
    estimate = stats.proportion(numerator, denominator)
    assert estimate.method == "Wilson score"
    assert estimate.value == pytest.approx(numerator / denominator)
    assert estimate.lower == pytest.approx(lower, abs=5e-5)
    assert estimate.upper == pytest.approx(upper, abs=5e-5)


def test_vectorised_proportions_match_the_same_published_intervals():
    numerators, denominators, lowers, uppers = map(np.array, zip(*NEWCOMBE_TABLE_II, strict=True))
    estimates = stats.proportions(numerators, denominators)
    np.testing.assert_allclose(estimates.lower, lowers, atol=5e-5)
    np.testing.assert_allclose(estimates.upper, uppers, atol=5e-5)


def test_a_proportion_of_nothing_has_no_value_and_says_why():
    estimate = stats.proportion(0, 0)
    assert estimate.value is None and estimate.lower is None and estimate.upper is None
    assert estimate.reason == stats.NO_DENOMINATOR
    array = stats.proportions([0, 3], [0, 4])
    assert math.isnan(array.value[0]) and array.reason[0] == stats.NO_DENOMINATOR
    assert array.value[1] == 0.75 and array.reason[1] == ""


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 10), (5, -1), (11, 10)])
def test_impossible_proportions_are_refused(numerator, denominator):
    with pytest.raises(ValueError):
        stats.proportion(numerator, denominator)
    with pytest.raises(ValueError):
        stats.proportions([numerator], [denominator])


# --- Crude rates: exact Poisson below 10 events, Byar's method from 10 --------------------------------

# Exact (Garwood 1936) 95% confidence limits for an observed Poisson count, as tabulated in standard
# tables (e.g. Geigy Scientific Tables, "Confidence limits for the Poisson distribution"; Breslow NE,
# Day NE, Statistical Methods in Cancer Research vol. II, IARC 1987, Appendix).
EXACT_POISSON_95 = [
    (0, 0.0, 3.689),
    (1, 0.0253, 5.572),
    (2, 0.2422, 7.225),
    (3, 0.6187, 8.767),
    (5, 1.6235, 11.668),
    (9, 4.1154, 17.085),
]

# The same exact limits for counts of 10 and more, against which PHE states that "Byar's method is within
# 0.2% of the exact value for numerators of 10 or more" at 95% (PHE, Technical Guide: Confidence
# intervals, 2018, Appendix 1).
EXACT_POISSON_95_LARGE = [
    (10, 4.795, 18.390),
    (20, 12.217, 30.889),
    (50, 37.111, 65.919),
    (100, 81.364, 121.627),
]


@pytest.mark.parametrize(("count", "lower", "upper"), EXACT_POISSON_95)
def test_small_counts_use_the_exact_poisson_interval(count, lower, upper):
    # Per 1 person, so the rate's limits are the count's limits.
    estimate = stats.crude_rate(count, 1, per=1)
    assert estimate.method == "exact Poisson"
    assert estimate.lower == pytest.approx(lower, abs=5e-4)
    assert estimate.upper == pytest.approx(upper, abs=5e-4)


@pytest.mark.parametrize(("count", "lower", "upper"), EXACT_POISSON_95_LARGE)
def test_counts_of_ten_or_more_use_byars_method_within_0_2_percent_of_exact(count, lower, upper):
    estimate = stats.crude_rate(count, 1, per=1)
    assert estimate.method == "Byar"
    assert estimate.lower == pytest.approx(lower, rel=0.002)
    assert estimate.upper == pytest.approx(upper, rel=0.002)


def test_a_crude_rate_scales_the_count_limits_by_the_population():
    # 9 events in 20,000 people: the exact limits for 9 (4.1154 to 17.085, table above) per 100,000.
    estimate = stats.crude_rate(9, 20_000)
    assert estimate.value == pytest.approx(45.0)
    assert estimate.lower == pytest.approx(4.1154 * 5, abs=5e-3)
    assert estimate.upper == pytest.approx(17.085 * 5, abs=5e-3)


def test_vectorised_crude_rates_pick_the_method_per_cell():
    counts = np.array([row[0] for row in EXACT_POISSON_95 + EXACT_POISSON_95_LARGE])
    lowers = np.array([row[1] for row in EXACT_POISSON_95 + EXACT_POISSON_95_LARGE])
    estimates = stats.crude_rates(counts, np.ones_like(counts), per=1)
    np.testing.assert_allclose(estimates.lower, lowers, rtol=0.002, atol=5e-4)
    assert list(estimates.method) == ["exact Poisson"] * 6 + ["Byar"] * 4
    assert stats.crude_rates(5, 1, per=1).estimate(()) == stats.crude_rate(5, 1, per=1)


def test_a_rate_with_no_population_has_no_value_and_says_why():
    assert stats.crude_rate(3, 0).value is None
    assert stats.crude_rate(3, 0).reason == stats.NO_POPULATION
    estimates = stats.crude_rates([3, 3], [0, 1000])
    assert np.isnan(estimates.value[0]) and np.isnan(estimates.upper[0])
    assert list(estimates.reason) == [stats.NO_POPULATION, ""]


def test_negative_counts_and_populations_are_refused():
    with pytest.raises(ValueError, match="negative"):
        stats.crude_rate(-1, 100)
    with pytest.raises(ValueError, match="negative"):
        stats.crude_rates([1, -1], [100, 100])
    with pytest.raises(ValueError, match="finite"):
        stats.crude_rates([1, np.nan], [100, 100])


# --- Rate ratios -------------------------------------------------------------------------------------


def test_rate_ratio_worked_example():
    # Boice JD, Monson RR, J Natl Cancer Inst 1977;59:823-832 (the teaching example in Rothman's
    # epidemiology textbooks): breast cancer after repeated fluoroscopy, 41 cases in 28,010 person-years
    # exposed against 15 in 19,017 unexposed: rate ratio 1.86. Log-normal limits worked by hand from
    # SE(ln RR) = sqrt(1/41 + 1/15) = 0.30177; 95%: 1.8558 x exp(-/+ 1.959964 x 0.30177) = 1.0272 to 3.3526.
    estimate = stats.rate_ratio(41, 28_010, 15, 19_017)
    assert estimate.method == "log-normal"
    assert estimate.value == pytest.approx(1.86, abs=0.005)
    assert estimate.lower == pytest.approx(1.0272, abs=1e-4)
    assert estimate.upper == pytest.approx(3.3526, abs=1e-4)
    assert estimate.excludes(1.0)


def test_rate_ratios_without_events_say_why():
    assert stats.rate_ratio(5, 100, 0, 100).value is None
    assert stats.rate_ratio(5, 100, 0, 100).reason == stats.NO_REFERENCE_EVENTS
    no_events = stats.rate_ratio(0, 100, 5, 100)
    assert no_events.value == 0.0 and no_events.lower is None and no_events.reason == stats.NO_EVENTS
    assert stats.rate_ratio(5, 0, 5, 100).reason == stats.NO_POPULATION
    array = stats.rate_ratios([5, 0, 5, 41], [100, 100, 0, 28_010], [0, 5, 5, 15], [100, 100, 100, 19_017])
    assert list(array.reason) == [stats.NO_REFERENCE_EVENTS, stats.NO_EVENTS, stats.NO_POPULATION, ""]
    assert array.value[1] == 0.0 and np.isnan(array.lower[1])
    assert list(array.excludes()) == [False, False, False, True]


def test_rate_ratios_broadcast_against_one_reference_group():
    counts = np.array([[41, 20], [15, 15]])
    populations = np.array([[28_010, 19_017], [19_017, 19_017]])
    ratios = stats.rate_ratios(counts, populations, counts[:, :1], populations[:, :1])
    assert ratios.value[0, 0] == pytest.approx(1.0)
    assert ratios.value[0, 1] == pytest.approx((20 / 19_017) / (41 / 28_010))


# --- Directly standardised rates ----------------------------------------------------------------------


def test_esp2013_has_the_published_weights():
    # Eurostat, Revision of the European Standard Population (2013 edition), Table 5.1: 19 bands summing
    # to 100,000, from 5,000 at 0-4 to 1,000 at 90+.
    assert len(stats.ESP2013) == 19
    assert sum(stats.ESP2013) == 100_000
    assert stats.ESP2013[0] == 5000 and stats.ESP2013[9] == 7000 and stats.ESP2013[-1] == 1000
    assert stats.ESP2013_BANDS[0] == "0-4" and stats.ESP2013_BANDS[-1] == "90+"


def test_a_dsr_of_equal_age_specific_rates_is_that_rate():
    # Direct standardisation weights the age-specific rates, so equal rates standardise to themselves
    # (APHO Technical Briefing 3, "Age-standardised rates").
    populations = [1000 + 100 * band for band in range(19)]
    counts = [population // 100 for population in populations]
    estimate = stats.dsr(counts, populations)
    assert estimate.method == "Dobson"
    assert estimate.value == pytest.approx(1000.0)
    assert estimate.lower < 1000 < estimate.upper


def test_with_one_age_band_dobsons_interval_is_byars_interval():
    # Dobson et al. (Stat Med 1991;10:457-462) scale the interval of the total count: with one band the
    # DSR is the crude rate and its interval Byar's interval for the count.
    for count in (10, 57, 400):
        standardised = stats.dsr([count], [30_000], standard=[1])
        crude = stats.crude_rate(count, 30_000)
        assert standardised.value == pytest.approx(crude.value)
        assert standardised.lower == pytest.approx(crude.lower)
        assert standardised.upper == pytest.approx(crude.upper)


def test_an_85_plus_top_band_merges_the_85_89_and_90_plus_weights():
    populations = [2000] * 17 + [600, 400]
    counts = [5] * 17 + [30, 20]  # the same rate (5%) in 85-89 and 90+
    nineteen = stats.dsr(counts, populations)
    eighteen = stats.dsr([*counts[:17], 50], [*populations[:17], 1000])
    assert eighteen.value == pytest.approx(nineteen.value)


def test_a_dsr_needs_at_least_ten_events():
    # PHE, Technical Guide: Confidence intervals (2018), directory of methods; Morris JK et al., Popul
    # Health Metr 2018;16:9: "DSRs should not be given when the total observed number of events is less
    # than 10".
    too_few = stats.dsr([1] * 9 + [0] * 10, [1000] * 19)
    assert too_few.value is None and too_few.reason == stats.TOO_FEW_FOR_DSR
    assert stats.dsr([1] * 10 + [0] * 9, [1000] * 19).value is not None


def test_dsr_reasons_and_refusals():
    assert stats.dsr([0] * 19, [0] * 19).reason == stats.NO_POPULATION
    assert stats.dsr([20] + [0] * 18, [0] + [10] * 18).reason == stats.EVENTS_WITHOUT_POPULATION
    with pytest.raises(ValueError, match="age bands"):
        stats.dsr([1] * 10, [100] * 10)
    with pytest.raises(ValueError, match="same shape"):
        stats.dsrs([[1] * 19], [[1] * 18])


# --- Properties ---------------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=5000)
populations = st.integers(min_value=1, max_value=2_000_000)
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998])


def _assert_contains(estimate):
    assert estimate.lower <= estimate.value <= estimate.upper


def _assert_nested(narrow, wide):
    assert wide.lower <= narrow.lower + 1e-12
    assert wide.upper >= narrow.upper - 1e-12


@given(st.data(), levels)
def test_proportion_intervals_contain_the_estimate_and_widen_with_confidence(data, confidence):
    denominator = data.draw(st.integers(min_value=1, max_value=100_000))
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    estimate = stats.proportion(numerator, denominator, confidence)
    _assert_contains(estimate)
    assert estimate.lower >= 0 and estimate.upper <= 1
    _assert_nested(estimate, stats.proportion(numerator, denominator, 0.999))
    if numerator == 0:
        assert estimate.lower == 0 and estimate.upper > 0


@given(counts, populations, levels)
def test_rate_intervals_contain_the_estimate_and_widen_with_confidence(count, population, confidence):
    estimate = stats.crude_rate(count, population, confidence=confidence)
    _assert_contains(estimate)
    _assert_nested(estimate, stats.crude_rate(count, population, confidence=0.999))
    if count == 0:
        assert estimate.value == 0 and estimate.lower == 0 and estimate.upper > 0


@given(st.integers(1, 5000), populations, st.integers(1, 5000), populations, levels)
def test_rate_ratio_intervals_contain_the_estimate_widen_and_invert(count_a, pop_a, count_b, pop_b, confidence):
    estimate = stats.rate_ratio(count_a, pop_a, count_b, pop_b, confidence)
    _assert_contains(estimate)
    _assert_nested(estimate, stats.rate_ratio(count_a, pop_a, count_b, pop_b, 0.999))
    inverse = stats.rate_ratio(count_b, pop_b, count_a, pop_a, confidence)
    assert inverse.value == pytest.approx(1 / estimate.value)
    assert inverse.lower == pytest.approx(1 / estimate.upper)


@settings(max_examples=60)
@given(
    st.lists(st.integers(0, 300), min_size=19, max_size=19).filter(lambda c: sum(c) >= 10),
    st.lists(st.integers(300, 50_000), min_size=19, max_size=19),
    levels,
)
def test_dsr_intervals_contain_the_estimate_and_widen_with_confidence(counts_by_age, pops_by_age, confidence):
    estimate = stats.dsr(counts_by_age, pops_by_age, confidence=confidence)
    _assert_contains(estimate)
    _assert_nested(estimate, stats.dsr(counts_by_age, pops_by_age, confidence=0.999))


@settings(max_examples=40)
@given(
    st.lists(st.tuples(counts, st.integers(0, 100_000), counts, st.integers(0, 100_000)), min_size=1, max_size=30),
    levels,
)
def test_vectorised_functions_agree_with_the_scalar_ones(rows, confidence):
    count_a, pop_a, count_b, pop_b = (np.array(column) for column in zip(*rows, strict=True))
    rates = stats.crude_rates(count_a, pop_a, confidence=confidence)
    ratios = stats.rate_ratios(count_a, pop_a, count_b, pop_b, confidence)
    shares = stats.proportions(np.minimum(count_a, pop_a), pop_a, confidence)
    for i, (a, pa, b, pb) in enumerate(rows):
        assert rates.estimate(i) == _approx(stats.crude_rate(a, pa, confidence=confidence))
        assert ratios.estimate(i) == _approx(stats.rate_ratio(a, pa, b, pb, confidence))
        assert shares.estimate(i) == _approx(stats.proportion(min(a, pa), pa, confidence))


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 40), min_size=18, max_size=18),
            st.lists(st.integers(0, 9000), min_size=18, max_size=18),
        ),
        min_size=1,
        max_size=12,
    ),
    levels,
)
def test_vectorised_dsrs_agree_with_the_scalar_ones(rows, confidence):
    counts_by_age, populations_by_age = (np.array(column) for column in zip(*rows, strict=True))
    standardised = stats.dsrs(counts_by_age, populations_by_age, confidence=confidence)
    for i, (counts_row, populations_row) in enumerate(rows):
        assert standardised.estimate(i) == _approx(stats.dsr(counts_row, populations_row, confidence=confidence))


def _approx(estimate):
    """An Estimate whose numbers compare approximately (vectorised and scalar float paths differ slightly)."""
    return stats.Estimate(
        *(None if number is None else pytest.approx(number, rel=1e-9, abs=1e-12) for number in
          (estimate.value, estimate.lower, estimate.upper)),
        method=estimate.method,
        reason=estimate.reason,
    )  # fmt: skip
