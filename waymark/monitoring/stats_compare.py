"""Fair comparisons for small groups and short series: indirect standardisation, trends, the unknown band.

Framework-free like :mod:`waymark.monitoring.stats` (NumPy and SciPy only, no Django), whose
:class:`~waymark.monitoring.stats.Estimate`, intervals and input checks it reuses, so the pages, the API,
the exports and the benchmark call one implementation. Each statistic comes as a scalar function for one
figure and a vectorised one over many groups; both evaluate the same arithmetic.

- Indirect standardisation follows PHEindicatormethods' ``calculate_ISRatio`` and ``calculate_ISRate``
  (Office for Health Improvement and Disparities, R package, v2) and PHE, *Technical Guide: Confidence
  intervals* (2018), "Indirectly standardised ratios": observed over expected events, the expected ones
  from the reference's band-specific rates; Byar's interval from 10 observed events, exact Poisson below.
- The trend test is the chi-squared test for linear trend in proportions (Armitage P, Biometrics
  1955;11:375-386; Altman DG, *Practical Statistics for Medical Research*, 1991, §10.7.4), on the last
  five periods, as Fingertips' "recent trend" markers (Public health profiles, "Recent trends" method note).
- The unknown-ethnicity band bounds a figure by where the records of unknown ethnicity could belong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import erfc

from waymark.monitoring.stats import (
    BYAR,
    EXACT_BELOW,
    EXACT_POISSON,
    NO_POPULATION,
    Estimate,
    EstimateArray,
    _byar,
    _check_scalars,
    _exact_poisson,
    _floats,
    _labels,
    _optional,
    _poisson_limits,
    z_value,
)

ISR_BYAR = f"indirect standardisation, {BYAR}"
ISR_EXACT = f"indirect standardisation, {EXACT_POISSON}"
NO_EXPECTED_EVENTS = "no events expected from the reference rates"

INCREASING = "increasing"
DECREASING = "decreasing"
NO_SIGNIFICANT_CHANGE = "no significant change"
CANNOT_CALCULATE = "cannot be calculated"
TREND_PERIODS = 5
CHI_SQUARED_TREND = "chi-squared test for trend"


# --- Indirect standardisation ----------------------------------------------------------------------------


def _bands(
    counts: ArrayLike, populations: ArrayLike, ref_counts: ArrayLike, ref_populations: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Checked band arrays: local ones as rows (groups) x bands, the reference's broadcast to them."""
    local = np.atleast_2d(_floats("Counts", counts))
    population = np.atleast_2d(_floats("Populations", populations))
    reference = np.atleast_1d(_floats("Reference counts", ref_counts))
    reference_population = np.atleast_1d(_floats("Reference populations", ref_populations))
    if local.shape != population.shape:
        raise ValueError(f"Counts {local.shape} and populations {population.shape} must have the same bands.")
    if reference.shape != reference_population.shape:
        raise ValueError(
            f"Reference counts {reference.shape} and reference populations {reference_population.shape} "
            "must have the same bands."
        )
    if reference.shape[-1] != local.shape[-1]:
        raise ValueError(
            f"The reference has {reference.shape[-1]} bands and the local figures {local.shape[-1]}: "
            "they must have the same bands."
        )
    if np.any(local > population):
        raise ValueError("A count cannot be larger than its population.")
    if np.any(reference > reference_population):
        raise ValueError("A reference count cannot be larger than its reference population.")
    reference, reference_population = (
        np.broadcast_to(reference, local.shape),
        np.broadcast_to(reference_population, local.shape),
    )
    return local, population, reference, reference_population


def isr_ratios(
    counts: ArrayLike,
    populations: ArrayLike,
    ref_counts: ArrayLike,
    ref_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 1,
) -> EstimateArray:
    """Indirectly standardised ratios for many groups: rows are groups, columns are (age) bands.

    The reference may be one row of bands shared by every group, or one row per group. Expected events are
    ``sum(population_band * ref_count_band / ref_population_band)``; the ratio is observed over expected,
    times ``multiplier`` (1, or 100 for an SMR-style figure). Its limits are Byar's (10 events or more) or
    the exact Poisson limits of the observed count, divided by the expected count, as
    PHEindicatormethods' ``calculate_ISRatio``. A band with no reference population adds no expected events.
    """
    z = z_value(confidence)
    local, population, reference, reference_population = _bands(counts, populations, ref_counts, ref_populations)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference_rate = np.where(reference_population > 0, reference / reference_population, 0.0)
    observed = local.sum(axis=1)
    expected = np.einsum("ij,ij->i", population, reference_rate)
    no_population = population.sum(axis=1) == 0
    no_expected = ~no_population & (expected == 0)
    lower, upper = _poisson_limits(observed, confidence, z)
    unavailable = no_population | no_expected
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(unavailable, np.nan, multiplier / np.where(unavailable, 1.0, expected))
    reason = _labels(observed.shape, "", where=no_expected, text=NO_EXPECTED_EVENTS)
    reason[no_population] = NO_POPULATION
    return EstimateArray(
        value=observed * scale,
        lower=lower * scale,
        upper=upper * scale,
        method=_labels(observed.shape, ISR_BYAR, where=observed < EXACT_BELOW, text=ISR_EXACT),
        reason=reason,
    )


def isr_rates(
    counts: ArrayLike,
    populations: ArrayLike,
    ref_counts: ArrayLike,
    ref_populations: ArrayLike,
    per: float = 100_000,
    confidence: float = 0.95,
) -> EstimateArray:
    """Indirectly standardised rates for many groups: each ratio times the reference's crude rate per ``per``.

    As PHEindicatormethods' ``calculate_ISRate``; the interval is the ratio's, scaled the same way.
    """
    ratios = isr_ratios(counts, populations, ref_counts, ref_populations, confidence=confidence)  # checks them
    reference = np.atleast_2d(_floats("Reference counts", ref_counts))
    reference_population = np.atleast_2d(_floats("Reference populations", ref_populations))
    totals = reference_population.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference_rate = np.where(totals > 0, reference.sum(axis=1) / totals, np.nan) * per
    if reference_rate.shape[0] == 1:
        reference_rate = np.broadcast_to(reference_rate, ratios.value.shape)
    return EstimateArray(
        value=ratios.value * reference_rate,
        lower=ratios.lower * reference_rate,
        upper=ratios.upper * reference_rate,
        method=ratios.method,
        reason=ratios.reason,
    )


def isr_ratio(
    counts: Sequence[float],
    populations: Sequence[float],
    ref_counts: Sequence[float],
    ref_populations: Sequence[float],
    confidence: float = 0.95,
    multiplier: float = 1,
) -> Estimate:
    """One group's indirectly standardised ratio, band by band, in plain floats (see :func:`isr_ratios`).

    Reference: PHEindicatormethods ``calculate_ISRatio``; PHE, Technical Guide: Confidence intervals (2018),
    Appendices 1 and 2 (Byar, exact Poisson); Breslow NE, Day NE, Statistical Methods in Cancer Research
    vol. II (IARC, 1987), ch. 2.
    """
    z = z_value(confidence)
    observed, expected, population = _observed_expected(counts, populations, ref_counts, ref_populations)
    return _isr_from_totals(observed, expected, population, confidence, z, multiplier)


def isr_rate(
    counts: Sequence[float],
    populations: Sequence[float],
    ref_counts: Sequence[float],
    ref_populations: Sequence[float],
    per: float = 100_000,
    confidence: float = 0.95,
) -> Estimate:
    """One group's indirectly standardised rate per ``per`` (PHEindicatormethods ``calculate_ISRate``)."""
    ratio = isr_ratio(counts, populations, ref_counts, ref_populations, confidence)
    reference_total = sum(ref_populations)
    if ratio.value is None or reference_total == 0:
        return ratio
    scale = sum(ref_counts) / reference_total * per
    return Estimate(ratio.value * scale, _times(ratio.lower, scale), _times(ratio.upper, scale), ratio.method)


def _times(number: float | None, scale: float) -> float | None:
    return None if number is None else number * scale


def _observed_expected(
    counts: Sequence[float],
    populations: Sequence[float],
    ref_counts: Sequence[float],
    ref_populations: Sequence[float],
) -> tuple[float, float, float]:
    """Observed events, expected events and the population, after the same checks as :func:`_bands`."""
    if len(counts) != len(populations):
        raise ValueError(f"Counts ({len(counts)}) and populations ({len(populations)}) must have the same bands.")
    if len(ref_counts) != len(ref_populations):
        raise ValueError(
            f"Reference counts ({len(ref_counts)}) and reference populations ({len(ref_populations)}) "
            "must have the same bands."
        )
    if len(ref_counts) != len(counts):
        raise ValueError(
            f"The reference has {len(ref_counts)} bands and the local figures {len(counts)}: "
            "they must have the same bands."
        )
    _check_scalars(*counts, *populations, *ref_counts, *ref_populations)
    expected = 0.0
    for count, population, ref_count, ref_population in zip(
        counts, populations, ref_counts, ref_populations, strict=True
    ):
        if count > population:
            raise ValueError("A count cannot be larger than its population.")
        if ref_count > ref_population:
            raise ValueError("A reference count cannot be larger than its reference population.")
        if ref_population > 0:
            expected += population * ref_count / ref_population
    return float(sum(counts)), expected, float(sum(populations))


def _isr_from_totals(
    observed: float, expected: float, population: float, confidence: float, z: float, multiplier: float
) -> Estimate:
    method = ISR_EXACT if observed < EXACT_BELOW else ISR_BYAR
    if population == 0:
        return Estimate(None, None, None, method, NO_POPULATION)
    if expected == 0:
        return Estimate(None, None, None, method, NO_EXPECTED_EVENTS)
    if observed < EXACT_BELOW:
        low, high = _exact_poisson(observed, confidence)
        low = 0.0 if observed == 0 else float(low)
    else:
        low, high = _byar(observed, z)
    scale = multiplier / expected
    return Estimate(observed * scale, low * scale, float(high) * scale, method)


# --- Trend over the last five periods ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrendArray:
    """Each series' trend: its direction (one of the four labels), the chi-squared statistic and p-value."""

    direction: NDArray[np.object_]
    statistic: NDArray[np.float64]
    p_value: NDArray[np.float64]

    def at(self, index: int | tuple[int, ...]) -> Trend:
        return Trend(str(self.direction[index]), _optional(self.statistic[index]), _optional(self.p_value[index]))


@dataclass(frozen=True)
class Trend:
    direction: str
    statistic: float | None
    p_value: float | None
    method: str = CHI_SQUARED_TREND


def _chi_squared_1_tail(statistic: Any) -> Any:
    """P(X > statistic) for chi-squared on 1 degree of freedom: erfc(sqrt(x / 2)), the square of a standard
    normal; scipy's general chdtrc gives the same to 1e-13 at many times the cost."""
    return erfc((statistic / 2) ** 0.5)


def trends(counts: ArrayLike, denominators: ArrayLike, confidence: float = 0.95) -> TrendArray:
    """The trend in a rate or proportion over the last five periods, for many series (last axis = periods).

    Chi-squared test for linear trend, 1 degree of freedom, scores 1..5 for the periods:
    ``A = sum(r_i x_i) - R * sum(n_i x_i) / N``, ``B = p (1 - p) (sum(n_i x_i^2) - (sum(n_i x_i))^2 / N)``,
    ``X^2 = A^2 / B``, p = R / N; the sign of A gives the direction. For a rate the denominator is the
    population (events are few against it, so the binomial variance is the Poisson one).

    Caveats, to be shown with the marker: it looks for a straight-line change, so a rise then a fall can
    read as "no significant change"; it assumes equally spaced periods and independent events (people
    detained again in a later year are counted each year); it is for crude rates and proportions with
    their own counts and denominators, not for directly standardised rates or ratios; with large
    denominators a small, steady change is "significant" while not important; and five periods are a
    short series, so a marker is a prompt to look, not a finding. References: Armitage P, Biometrics
    1955;11:375-386; Altman DG, Practical Statistics for Medical Research (1991), §10.7.4; Fingertips,
    "Recent trends" (OHID Public health profiles).
    """
    alpha = 1 - confidence
    z_value(confidence)  # the same check on the level as every other function
    events = _floats("Counts", counts)
    totals = _floats("Denominators", denominators)
    events, totals = np.broadcast_arrays(events, totals)
    if events.ndim == 0 or events.shape[-1] < TREND_PERIODS:
        raise ValueError(f"A trend needs at least {TREND_PERIODS} periods.")
    if np.any(events > totals):
        raise ValueError("A count cannot be larger than its denominator.")
    r, n = events[..., -TREND_PERIODS:], totals[..., -TREND_PERIODS:]
    scores = np.arange(1, TREND_PERIODS + 1, dtype=np.float64)
    big_r, big_n = r.sum(axis=-1), n.sum(axis=-1)
    # einsum rather than @: products this thin gain nothing from BLAS threads, which cost on a busy machine.
    n_scores = np.einsum("...i,i->...", n, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = big_r / big_n
        a = np.einsum("...i,i->...", r, scores) - big_r * n_scores / big_n
        b = p * (1 - p) * (np.einsum("...i,i->...", n, scores**2) - n_scores**2 / big_n)
        statistic = a * a / b
    undefined = ~np.isfinite(statistic) | np.any(n == 0, axis=-1)
    statistic = np.where(undefined, np.nan, statistic)
    p_value = _chi_squared_1_tail(statistic)
    direction = np.full(statistic.shape, NO_SIGNIFICANT_CHANGE, dtype=object)
    significant = ~undefined & (p_value < alpha)
    direction[significant & (a > 0)] = INCREASING
    direction[significant & (a < 0)] = DECREASING
    direction[undefined] = CANNOT_CALCULATE
    return TrendArray(direction, statistic, p_value)


def trend(counts: Sequence[float], denominators: Sequence[float], confidence: float = 0.95) -> Trend:
    """One series' trend over its last five periods, in plain floats (see :func:`trends` for the method and
    its caveats)."""
    alpha = 1 - confidence
    z_value(confidence)
    if len(counts) != len(denominators):
        raise ValueError("Counts and denominators must cover the same periods.")
    if len(counts) < TREND_PERIODS:
        raise ValueError(f"A trend needs at least {TREND_PERIODS} periods.")
    _check_scalars(*counts, *denominators)
    if any(count > total for count, total in zip(counts, denominators, strict=True)):
        raise ValueError("A count cannot be larger than its denominator.")
    r, n = counts[-TREND_PERIODS:], denominators[-TREND_PERIODS:]
    big_r, big_n = float(sum(r)), float(sum(n))
    if big_n == 0 or any(total == 0 for total in n) or big_r in (0, big_n):
        return Trend(CANNOT_CALCULATE, None, None)
    p = big_r / big_n
    n_scores = sum(total * score for score, total in enumerate(n, start=1))
    a = sum(count * score for score, count in enumerate(r, start=1)) - big_r * n_scores / big_n
    b = p * (1 - p) * (sum(total * score * score for score, total in enumerate(n, start=1)) - n_scores**2 / big_n)
    statistic = a * a / b
    p_value = float(_chi_squared_1_tail(statistic))
    if p_value >= alpha:
        return Trend(NO_SIGNIFICANT_CHANGE, statistic, p_value)
    return Trend(INCREASING if a > 0 else DECREASING, statistic, p_value)


def ratio_trends(counts: ArrayLike, reference_counts: ArrayLike, confidence: float = 0.95) -> TrendArray:
    """The trend in each group's rate ratio to a reference group over the last five periods, for many series
    (last axis = periods), both groups' populations held fixed over the periods.

    Given the two groups' events in a period, the group's events are binomial with probability
    ``RR n / (RR n + m)`` (n, m the populations), which rises and falls with the rate ratio RR; so the
    chi-squared test for trend of :func:`trends`, on the group's events out of both groups' events, tests for a
    steady change in the ratio (the conditional test for two Poisson rates: Breslow NE, Day NE, *Statistical
    Methods in Cancer Research* vol. II, 1987, §2.3 and §3.3). The populations cancel, so the caveats of
    :func:`trends` apply, and a population change between the periods would move the ratio without being
    counted here.
    """
    events = _floats("Counts", counts)
    reference = _floats("Reference counts", reference_counts)
    events, reference = np.broadcast_arrays(events, reference)
    return trends(events, events + reference, confidence)


# --- The unknown-ethnicity band ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownBand:
    """Where a group's figure and its ratio would lie if the unknowns belonged to none (lower) or all to it
    (upper). Ratios are NaN where there is no reference rate."""

    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    ratio_lower: NDArray[np.float64]
    ratio_upper: NDArray[np.float64]

    def at(self, index: int | tuple[int, ...]) -> tuple[float | None, float | None, float | None, float | None]:
        return (
            _optional(self.lower[index]),
            _optional(self.upper[index]),
            _optional(self.ratio_lower[index]),
            _optional(self.ratio_upper[index]),
        )


def unknown_band(
    counts: ArrayLike,
    denominators: ArrayLike,
    unknown: ArrayLike,
    *,
    reference_count: float | None = None,
    reference_denominator: float | None = None,
    per: float = 1,
    proportion: bool = False,
) -> UnknownBand:
    """The range each group's rate (or proportion) and ratio could take if its unknowns were known.

    Lower: none of the ``unknown`` records belong to the group (the figure as shown). Upper: all of them do,
    ``(count + unknown) / denominator``. For a proportion the denominator already includes the unknown
    records (they are events of someone), so ``count + unknown`` may not exceed it; for a rate it is the
    group's population. The ratio to the reference group moves the same way, the reference's rate held
    (in the upper case the unknowns belong to this group, hence not to the reference). A sensitivity
    bound, not an interval: it says how much coding completeness could move the figure, as the "extreme
    case" analysis of missing data (Little RJA, Rubin DB, Statistical Analysis with Missing Data, 3rd ed.
    2019, §1.4; PHE, Ethnicity data quality and completeness guidance).
    """
    count, denominator, missing = np.broadcast_arrays(
        _floats("Counts", counts), _floats("Denominators", denominators), _floats("Unknown counts", unknown)
    )
    if np.any(count > denominator):
        raise ValueError("A count cannot be larger than its denominator.")
    if proportion and np.any(count + missing > denominator):
        raise ValueError("For a proportion the denominator includes the unknown records: it cannot be smaller.")
    with np.errstate(invalid="ignore", divide="ignore"):
        divisor = np.where(denominator > 0, denominator, np.nan)
        lower, upper = count / divisor * per, (count + missing) / divisor * per
        reference_rate = math.nan
        if reference_count is not None and reference_denominator is not None:
            if reference_count < 0 or reference_denominator < 0 or reference_count > reference_denominator:
                raise ValueError("The reference count must be between 0 and its denominator.")
            if reference_count > 0 and reference_denominator > 0:
                reference_rate = reference_count / reference_denominator * per
        return UnknownBand(lower, upper, lower / reference_rate, upper / reference_rate)
