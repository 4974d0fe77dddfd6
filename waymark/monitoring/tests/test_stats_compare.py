"""Indirect standardisation, trends and the unknown band against published values, and their properties.

Expected numbers are typed in from the sources named beside them, never produced by the code under test.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waymark.monitoring import stats_compare as sc

# --- Indirect standardisation: PHEindicatormethods' test sheets -----------------------------------------
# Source: PHEindicatormethods (OHID/UKHSA), tests/testthat/testdata_DSR_ISR.xlsx, sheets "refdata",
# "testdata_multiarea" and "testresults_ISR" (github.com/ukhsa-collaboration/PHEindicatormethods, commit
# 093fd28), used by tests/testthat/testISRatios.R and testISRates.R. The 10-14 count of "testdata_tiny" is
# missing (NA) in the sheet and counted as 0 there, as here. Bands 0-4, 5-9, ..., 85-89, 90+.
REF_COUNTS = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771,
              3089, 3490, 3595, 4745, 5514, 7125, 5694, 6210, 5757]  # fmt: skip
REF_POPULATIONS = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463,
                   60479, 49974, 44140, 40888, 37239, 30819, 18136, 15325, 13918]  # fmt: skip
POPULATIONS = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
AREAS = {
    "big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
    "small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
    "tiny": [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3],
}
# "testresults_ISR": ratio x 1, with lower/upper at 95 % and at 99.8 %.
PUBLISHED_RATIOS = {
    "big": (1.0707232939020275, 1.0017147712553987, 1.143233287249895, 0.9635155619614437, 1.1860070415876287),
    "small": (0.10886683770400503, 0.08765040101829405, 0.1336657632841891, 0.07695425528392111,
              0.14897920510466744),
    "tiny": (0.010767049882813684, 0.004923380825095776, 0.02043921455549973, 0.0029339306550682617,
             0.02710589651469021),
}  # fmt: skip
# "testresults_ISR": rate per 100,000, with lower/upper at 95 % and at 99.8 %.
PUBLISHED_RATES = {
    "big": (10011.137622091057, 9365.91600297888, 10689.097582910616, 9008.7578618655, 11089.02718538338),
    "small": (1017.8922051511577, 819.521002506463, 1249.75926013832, 719.5132903528245, 1392.9381508991678),
    "tiny": (100.6706576523123, 46.03303513307893, 191.10426659054028, 27.43190862554234, 253.4369635219236),
}
PUBLISHED_METHOD = {"big": sc.ISR_BYAR, "small": sc.ISR_BYAR, "tiny": sc.ISR_EXACT}  # "Byars" / "Exact"


@pytest.mark.parametrize("area", AREAS)
def test_isr_ratio_matches_phe_indicator_methods_at_95_and_99_8(area):
    value, low95, high95, low998, high998 = PUBLISHED_RATIOS[area]
    at_95 = sc.isr_ratio(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS)
    at_998 = sc.isr_ratio(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS, confidence=0.998)
    assert (at_95.value, at_95.lower, at_95.upper) == pytest.approx((value, low95, high95), rel=1e-9)
    assert (at_998.lower, at_998.upper) == pytest.approx((low998, high998), rel=1e-9)
    assert at_95.method == PUBLISHED_METHOD[area]
    # "indirectly standardised ratio x 100" rows of the same sheet: the multiplier scales all three.
    hundred = sc.isr_ratio(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS, multiplier=100)
    assert (hundred.value, hundred.lower, hundred.upper) == pytest.approx((100 * value, 100 * low95, 100 * high95))


@pytest.mark.parametrize("area", AREAS)
def test_isr_rate_matches_phe_indicator_methods_at_95_and_99_8(area):
    value, low95, high95, low998, high998 = PUBLISHED_RATES[area]
    at_95 = sc.isr_rate(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS)
    at_998 = sc.isr_rate(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS, confidence=0.998)
    assert (at_95.value, at_95.lower, at_95.upper) == pytest.approx((value, low95, high95), rel=1e-9)
    assert (at_998.lower, at_998.upper) == pytest.approx((low998, high998), rel=1e-9)
    per_1000 = sc.isr_rate(AREAS[area], POPULATIONS, REF_COUNTS, REF_POPULATIONS, per=1000)
    assert per_1000.value == pytest.approx(value / 100)  # the sheet's "per 1000" rows


def test_vectorised_isr_gives_every_group_the_published_values_at_once():
    ratios = sc.isr_ratios(list(AREAS.values()), [POPULATIONS] * 3, REF_COUNTS, REF_POPULATIONS)
    rates = sc.isr_rates(list(AREAS.values()), [POPULATIONS] * 3, REF_COUNTS, REF_POPULATIONS, confidence=0.998)
    np.testing.assert_allclose(ratios.value, [PUBLISHED_RATIOS[a][0] for a in AREAS], rtol=1e-9)
    np.testing.assert_allclose(rates.upper, [PUBLISHED_RATES[a][4] for a in AREAS], rtol=1e-9)
    assert list(ratios.method) == [PUBLISHED_METHOD[a] for a in AREAS]
    assert sc.isr_ratio(AREAS["tiny"], POPULATIONS, REF_COUNTS, REF_POPULATIONS) == ratios.estimate(2)


def test_isr_without_population_or_expected_events_says_why():
    nobody = sc.isr_ratio([0, 0], [0, 0], [5, 5], [100, 100])
    assert nobody.value is None and nobody.reason == sc.NO_POPULATION
    nothing_expected = sc.isr_ratio([1, 0], [10, 10], [0, 0], [100, 100])
    assert nothing_expected.value is None and nothing_expected.reason == sc.NO_EXPECTED_EVENTS
    none_observed = sc.isr_ratio([0, 0], [10, 10], [5, 5], [100, 100])
    assert none_observed.value == 0 and none_observed.lower == 0 and none_observed.upper > 0


@pytest.mark.parametrize(
    ("counts", "populations", "ref_counts", "ref_populations", "message"),
    [
        ([-1, 2], [10, 10], [1, 1], [10, 10], "cannot be negative"),
        ([1, 2], [10, -10], [1, 1], [10, 10], "cannot be negative"),
        ([11, 2], [10, 10], [1, 1], [10, 10], "larger than its population"),
        ([1, 2], [10, 10], [11, 1], [10, 10], "larger than its reference population"),
        ([1, 2], [10, 10, 10], [1, 1], [10, 10], "same bands"),
        ([1, 2], [10, 10], [1, 1, 1], [10, 10, 10], "same bands"),
        ([1, 2], [10, 10], [1, 1], [10], "same bands"),
    ],
)
def test_isr_refuses_bad_input_with_a_clear_message(counts, populations, ref_counts, ref_populations, message):
    with pytest.raises(ValueError, match=message):
        sc.isr_ratio(counts, populations, ref_counts, ref_populations)
    with pytest.raises(ValueError, match=message):
        sc.isr_rate(counts, populations, ref_counts, ref_populations)


bands = st.lists(
    st.tuples(st.integers(0, 500), st.integers(1, 5000), st.integers(0, 5000), st.integers(1, 50000)),
    min_size=1,
    max_size=6,
)


def _columns(rows):
    counts = [min(c, n) for c, n, _, _ in rows]
    populations = [n for _, n, _, _ in rows]
    ref_counts = [min(c, n) for _, _, c, n in rows]
    ref_populations = [n for _, _, _, n in rows]
    return counts, populations, ref_counts, ref_populations


@settings(max_examples=60)
@given(bands)
def test_isr_interval_contains_the_estimate_and_widens_with_confidence(rows):
    columns = _columns(rows)
    at_95, at_998 = sc.isr_ratio(*columns), sc.isr_ratio(*columns, confidence=0.998)
    if at_95.value is None:
        assert at_95.reason
        return
    assert at_95.lower <= at_95.value <= at_95.upper
    assert at_998.lower <= at_95.lower + 1e-12 and at_998.upper >= at_95.upper - 1e-12


@settings(max_examples=60)
@given(bands)
def test_the_isr_of_a_population_against_itself_is_one(rows):
    counts, populations, _, _ = _columns(rows)
    ratio = sc.isr_ratio(counts, populations, counts, populations)
    if sum(counts) == 0:
        assert ratio.value is None
    else:
        assert ratio.value == pytest.approx(1.0)
        rate = sc.isr_rate(counts, populations, counts, populations)
        assert rate.value == pytest.approx(sum(counts) / sum(populations) * 100_000)


# --- Trend: chi-squared test for trend over the last five periods -----------------------------------------


def _trend_by_weighted_regression(r, n):
    """The same test computed another way, as R's prop.trend.test does: the regression sum of squares of
    the proportions on the scores, weighted by n / (p (1 - p)) (Armitage 1955; R stats::prop.trend.test)."""
    r, n = np.asarray(r, float), np.asarray(n, float)
    x = np.arange(1, len(r) + 1, dtype=float)
    p = r.sum() / n.sum()
    w = n / (p * (1 - p))
    xm = (w * x).sum() / w.sum()
    ym = (w * r / n).sum() / w.sum()
    slope = (w * (x - xm) * (r / n - ym)).sum() / (w * (x - xm) ** 2).sum()
    return slope**2 * (w * (x - xm) ** 2).sum()


def test_trend_statistic_equals_the_weighted_regression_form():
    # Breast cancer cases by age at first birth, five ordered groups, the worked data of the chi-square test
    # for trend in binomial proportions in Rosner B, Fundamentals of Biostatistics (ch. 10).
    r, n = [320, 1206, 1011, 463, 220], [1742, 5638, 3904, 1555, 626]
    result = sc.trend(r, n)
    assert result.statistic == pytest.approx(_trend_by_weighted_regression(r, n), rel=1e-9)
    assert result.direction == sc.INCREASING and result.p_value < 0.001


def test_trend_reads_the_direction_and_uses_only_the_last_five_periods():
    population = [100_000] * 7
    assert sc.trend([10, 20, 30, 40, 50, 60, 70], population).direction == sc.INCREASING
    assert sc.trend([900, 900, 70, 60, 50, 40, 30], population).direction == sc.DECREASING
    assert sc.trend([5, 5, 40, 41, 39, 40, 40], population).direction == sc.NO_SIGNIFICANT_CHANGE
    assert sc.trend([0, 0, 0, 0, 0], [10] * 5).direction == sc.CANNOT_CALCULATE
    many = sc.trends([[10, 20, 30, 40, 50], [50, 40, 30, 20, 10], [0] * 5], [[1000] * 5] * 3)
    assert list(many.direction) == [sc.INCREASING, sc.DECREASING, sc.CANNOT_CALCULATE]
    assert many.at(0) == sc.trend([10, 20, 30, 40, 50], [1000] * 5)


def test_a_ratio_trend_follows_the_ratio_not_the_rates():
    # Both groups' rates double: each rate rises, the ratio between them stays where it was.
    group, reference = [20, 40, 60, 80, 100], [40, 80, 120, 160, 200]
    assert sc.trend(group, [100_000] * 5).direction == sc.INCREASING
    assert sc.ratio_trends(group, reference).direction[()] == sc.NO_SIGNIFICANT_CHANGE
    # The group's rate rises while the reference's holds: the ratio rises; the other way round, it falls.
    rising, steady = [20, 35, 50, 65, 80], [60, 60, 60, 60, 60]
    many = sc.ratio_trends([rising, steady, [0] * 5], [steady, rising, [0] * 5])
    assert list(many.direction) == [sc.INCREASING, sc.DECREASING, sc.CANNOT_CALCULATE]
    # It is the trend test on the group's share of both groups' events.
    assert many.at(0) == sc.trend(rising, [a + b for a, b in zip(rising, steady, strict=True)])


def test_a_ratio_trend_refuses_negative_counts():
    with pytest.raises(ValueError, match="Reference counts cannot be negative"):
        sc.ratio_trends([1, 2, 3, 4, 5], [1, 2, 3, 4, -5])


@pytest.mark.parametrize(
    ("counts", "denominators", "message"),
    [
        ([1, 2, 3, 4], [10, 10, 10, 10], "at least 5 periods"),
        ([1, 2, 3, 4, 5], [10, 10, 10, 10, 0], "larger than its denominator"),
        ([1, 2, 3, 4, -5], [10] * 5, "cannot be negative"),
        ([1, 2, 3, 4, 50], [10] * 5, "larger than its denominator"),
        ([1, 2, 3, 4, 5], [10] * 6, "same periods"),
    ],
)
def test_trend_refuses_bad_input(counts, denominators, message):
    with pytest.raises(ValueError, match=message):
        sc.trend(counts, denominators)


# --- The unknown-ethnicity band -----------------------------------------------------------------------------


def test_unknown_band_puts_the_unknowns_in_none_or_all_of_the_group():
    band = sc.unknown_band([5, 10], [100, 200], [3, 3], reference_count=10, reference_denominator=100, per=1000)
    np.testing.assert_allclose(band.lower, [50, 50])
    np.testing.assert_allclose(band.upper, [80, 65])
    np.testing.assert_allclose(band.ratio_lower, [0.5, 0.5])
    np.testing.assert_allclose(band.ratio_upper, [0.8, 0.65])
    no_reference = sc.unknown_band([1], [10], [1])
    assert math.isnan(no_reference.ratio_lower[0]) and no_reference.at(0)[:2] == (0.1, 0.2)


@pytest.mark.parametrize(
    ("counts", "denominators", "unknown", "kwargs", "message"),
    [
        ([-1], [10], [0], {}, "cannot be negative"),
        ([1], [10], [-1], {}, "cannot be negative"),
        ([11], [10], [0], {}, "larger than its denominator"),
        ([5], [10], [6], {"proportion": True}, "includes the unknown"),
        ([1, 2], [10, 10, 10], [0], {}, "shape|broadcast"),
        ([1], [10], [0], {"reference_count": 5, "reference_denominator": 4}, "reference count"),
    ],
)
def test_unknown_band_refuses_bad_input(counts, denominators, unknown, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sc.unknown_band(counts, denominators, unknown, **kwargs)


@settings(max_examples=60)
@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(1, 10_000))
def test_unknown_band_contains_the_figure_shown(count, unknown, extra):
    denominator = count + unknown + extra
    band = sc.unknown_band(count, denominator, unknown, proportion=True)
    assert band.lower <= count / denominator <= band.upper <= 1
