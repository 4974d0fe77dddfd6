"""Funnel-plot control limits and positions against PHEindicatormethods' published test data, and the
properties any funnel must have.

Expected numbers are typed in from the files named beside them (ukhsa-collaboration/PHEindicatormethods,
tests/testthat/, commit 093fd28 of 13 December 2024), never produced by the code under test.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waymark.monitoring import funnel

# testdata_funnel_prop_outputs.csv: limits in percent around the baseline 80.642448 %.
# (Population, Lower2s0025limit, Upper2s0025limit, Lower3s0001limit, Upper3s0001limit)
PROPORTION_BASELINE = 0.80642448
PROPORTION_LIMITS = [
    (10, 56.154344, 100, 42.03259, 100),
    (27, 65.739462, 95.545433, 57.145237, 100),
    (75, 71.700657, 89.584239, 66.544121, 94.740774),
    (211, 75.311383, 85.973512, 72.237075, 89.04782),
    (598, 77.475765, 83.809131, 75.649608, 85.635287),
    (1699, 78.763743, 82.521152, 77.680336, 83.60456),
    (4818, 79.526814, 81.758082, 78.883452, 82.401444),
    (13669, 79.980099, 81.304797, 79.598137, 81.686759),
    (38775, 80.249188, 81.035707, 80.022404, 81.262492),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


def test_proportion_limits_match_pheindicatormethods():
    rows = np.array(PROPORTION_LIMITS, dtype=float)
    limits = funnel.proportion_limits(rows[:, 0], PROPORTION_BASELINE)
    # The baseline is printed to 6 decimals of a percent, so agreement is to about 1e-6 of a percent.
    for got, column in [(limits.lower_95, 1), (limits.upper_95, 2), (limits.lower_998, 3), (limits.upper_998, 4)]:
        np.testing.assert_allclose(got * 100, rows[:, column], atol=2e-5)


# testdata_funnel_prop_inputs.csv: (numerator, denominator, significance) for some of its PCTs; the
# baseline above is the overall proportion of all 303 rows.
PROPORTION_POSITIONS = [
    (35078.4880, 41980, funnel.ABOVE_998),  # New Forest PCT
    (54063.9774, 71034, funnel.BELOW_998),  # Newham PCT
    (42343.3836, 50967, funnel.ABOVE_998),  # North Tyneside PCT
    (35982.2873, 44461, funnel.WITHIN),  # Watford and Three Rivers PCT
    (29709.0543, 36583, funnel.ABOVE_95),  # South Tyneside PCT
    (47372.6876, 66647, funnel.BELOW_998),  # Westminster PCT
    (38873.3924, 48236, funnel.WITHIN),  # North Somerset PCT
    (28537.4507, 35201, funnel.ABOVE_95),  # Witham, Braintree and Halstead Care Trust
    (50050.7443, 61921, funnel.WITHIN),  # South Gloucestershire PCT
    (24803.6256, 31824, funnel.BELOW_998),  # Norwich PCT
]


def test_proportion_positions_match_pheindicatormethods():
    numerators, denominators, expected = zip(*PROPORTION_POSITIONS, strict=True)
    got = funnel.proportion_positions(numerators, denominators, average=PROPORTION_BASELINE)
    assert list(got) == list(expected)


# testdata_funnel_rate_outputs.csv: DSR funnel per 100,000 over 3 years of data, baseline 116.1720835.
# (events, population for one year, limit) for each of the four limits; the population is for one year, so
# the limit is at three times it.
RATE_BASELINE = 116.1720835
RATE_LIMITS = {
    "lower_95": [(1, 1598.675694, 20.85059119), (13, 6378.58157, 67.93568893), (168, 56069.99215, 99.87517003)],
    "upper_95": [(1, 7.264481402, 4588.535848), (13, 1986.120239, 218.1808155), (610, 161411.8671, 125.9717374)],
    "lower_998": [(1, 2649.348525, 12.58170943), (25, 12807.45753, 65.06625781), (1158, 363558.4598, 106.172746)],
    "upper_998": [(13, 1323.055615, 327.5246547), (89, 17981.56205, 164.9838128), (1158, 302908.209, 127.4313434)],
}


@pytest.mark.parametrize("limit", sorted(RATE_LIMITS))
def test_rate_limits_match_pheindicatormethods(limit):
    rows = np.array(RATE_LIMITS[limit], dtype=float)
    limits = funnel.rate_limits(rows[:, 1] * 3, RATE_BASELINE)
    # The package finds each point by bisection to 1e-7; the limits agree to about one part in a million.
    np.testing.assert_allclose(getattr(limits, limit), rows[:, 2], rtol=1e-5)


# testdata_funnel_rate_dsr_inputs.csv: (count, population, significance of the crude rate per 100,000),
# all 40 rows, so the overall rate is the package's weighted average.
RATE_POSITIONS = [
    (2419, 264102, funnel.ABOVE_998), (2337, 259711, funnel.ABOVE_998), (2291, 289247, funnel.ABOVE_998),
    (2242, 265029, funnel.ABOVE_998), (2218, 284649, funnel.ABOVE_998), (2159, 293578, funnel.ABOVE_998),
    (2130, 286718, funnel.ABOVE_998), (2111, 307381, funnel.WITHIN), (2105, 274145, funnel.ABOVE_998),
    (2083, 297424, funnel.ABOVE_95), (2078, 272628, funnel.ABOVE_998), (2062, 269656, funnel.ABOVE_998),
    (2061, 294692, funnel.ABOVE_95), (2033, 277710, funnel.ABOVE_998), (2033, 259213, funnel.ABOVE_998),
    (2010, 285516, funnel.ABOVE_95), (2004, 269449, funnel.ABOVE_998), (2002, 290888, funnel.WITHIN),
    (1977, 287112, funnel.WITHIN), (1944, 286492, funnel.WITHIN), (1932, 287012, funnel.WITHIN),
    (1922, 291277, funnel.WITHIN), (1912, 289859, funnel.WITHIN), (1881, 289653, funnel.WITHIN),
    (1844, 282519, funnel.WITHIN), (1835, 274220, funnel.WITHIN), (1833, 280271, funnel.WITHIN),
    (1825, 284206, funnel.WITHIN), (1816, 274508, funnel.WITHIN), (1809, 288384, funnel.BELOW_95),
    (1798, 287072, funnel.BELOW_95), (1754, 282744, funnel.BELOW_998), (1746, 289208, funnel.BELOW_998),
    (1709, 287736, funnel.BELOW_998), (1694, 296175, funnel.BELOW_998), (1688, 303255, funnel.BELOW_998),
    (1649, 285959, funnel.BELOW_998), (1553, 274661, funnel.BELOW_998), (1332, 281425, funnel.BELOW_998),
    (0, 297820, funnel.BELOW_998),
]  # fmt: skip


def test_rate_positions_match_pheindicatormethods():
    counts, populations, expected = zip(*RATE_POSITIONS, strict=True)
    assert list(funnel.rate_positions(counts, populations)) == list(expected)


def test_small_counts_use_the_exact_interval():
    # 0 events in 10,000 people where 100 per 100,000 (10 events) are expected: the exact 99.8% upper limit
    # of 0 events is -ln(0.001) = 6.91 events (Garwood 1936), below 10, so the unit is below 99.8 %.
    assert list(funnel.rate_positions([0, 10], [10_000, 10_000], average=100.0)) == [funnel.BELOW_998, funnel.WITHIN]


# Bad input


@pytest.mark.parametrize(
    ("numerators", "denominators", "message"),
    [
        ([-1, 2], [10, 10], "negative"),
        ([1, 2], [10, 0], "greater than 0"),
        ([1, 2], [10], "same shape"),
        ([11, 2], [10, 10], "larger than its denominator"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(numerators, denominators, message):
    with pytest.raises(ValueError, match=message):
        funnel.proportion_positions(numerators, denominators)


def test_bad_averages_are_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        funnel.proportion_limits([10], 1.5)
    with pytest.raises(ValueError, match="0 or more"):
        funnel.rate_limits([10], -1.0)


# Properties, at sizes from 10 to 10 million

sizes = st.floats(min_value=10, max_value=10_000_000)
averages = st.floats(min_value=0.001, max_value=0.999)


@settings(max_examples=60)
@given(st.lists(sizes, min_size=1, max_size=20), averages)
def test_proportion_limits_nest_around_the_average(ns, average):
    limits = funnel.proportion_limits(ns, average)
    assert np.all(limits.lower_998 <= limits.lower_95 + 1e-12)
    assert np.all(limits.lower_95 <= average + 1e-12)
    assert np.all(average <= limits.upper_95 + 1e-12)
    assert np.all(limits.upper_95 <= limits.upper_998 + 1e-12)
    assert np.all((limits.lower_998 >= 0) & (limits.upper_998 <= 1))


@settings(max_examples=60)
@given(st.floats(min_value=0.1, max_value=5000))
def test_rate_limits_nest_around_the_average(average):
    ns = funnel.axis_denominators(10, 10_000_000)
    limits = funnel.rate_limits(ns, average)
    assert np.all(limits.lower_998 <= limits.lower_95 + 1e-9)
    assert np.all(limits.lower_95 <= average + 1e-9)
    assert np.all(average <= limits.upper_95 + 1e-9)
    assert np.all(limits.upper_95 <= limits.upper_998 + 1e-9)


@pytest.mark.parametrize("kind", ["proportion", "rate"])
def test_the_funnel_narrows_from_10_to_10_million(kind):
    ns = funnel.axis_denominators(10, 10_000_000)
    limits = funnel.proportion_limits(ns, 0.3) if kind == "proportion" else funnel.rate_limits(ns, 300.0)
    width_95 = limits.upper_95 - limits.lower_95
    width_998 = limits.upper_998 - limits.lower_998
    assert np.all(np.diff(width_95) <= 1e-9) and np.all(np.diff(width_998) <= 1e-9)
    assert width_95[-1] < width_95[0] / 100  # at 10 million the funnel is nearly closed
    assert np.all(np.isfinite(width_95)) and np.all(np.isfinite(width_998))


@settings(max_examples=60)
@given(st.integers(1, 100_000), st.data())
def test_the_overall_value_of_one_unit_is_within_its_own_funnel(denominator, data):
    numerator = data.draw(st.integers(0, denominator))
    assert list(funnel.proportion_positions([numerator], [denominator])) == [funnel.WITHIN]
    assert list(funnel.rate_positions([numerator], [denominator])) == [funnel.WITHIN]


def test_rate_limits_over_a_table_are_each_units_own_limits():
    """Units sharing a population (one area on several measures) get the limits each would get alone, in
    the table's own shape and order."""
    populations = np.array([[50_000, 1_200, 50_000], [7, 1_200, 3_000_000]], dtype=float)
    limits = funnel.rate_limits(populations, 250.0)
    for name in ("lower_95", "upper_95", "lower_998", "upper_998"):
        whole = getattr(limits, name)
        assert whole.shape == populations.shape
        alone = [[getattr(funnel.rate_limits([n], 250.0), name)[0] for n in row] for row in populations]
        assert whole.tolist() == alone
