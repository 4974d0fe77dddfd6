"""Published-grade statistics for ethnic monitoring: proportions, crude rates, rate ratios and DSRs.

Framework-free (NumPy and SciPy only, no Django) so the pages, the API, the publishing snapshot and the
benchmark all call the same code. Methods follow the Office for Health Improvement and Disparities
(formerly Public Health England) guidance used for Fingertips:

- PHE, *Technical Guide: Confidence intervals* (Public Health Data Science, 25 May 2018), and
- APHO, *Technical Briefing 3: Commonly used public health statistics and their confidence intervals*
  (Eayres, 2008), with the Fingertips "Public health technical guidance" pages that replace them.

Each function comes twice: a scalar one returning an :class:`Estimate` (for one figure on a page) and
a vectorised one over NumPy arrays returning an :class:`EstimateArray` (for whole tables, see
``bench/monitoring_indicators.py``). Both evaluate the same formula helpers below, so they agree.

Errors in the input (negative counts, a numerator above its denominator, a confidence level outside
0-1) raise ``ValueError``; figures that simply cannot be given (no population, too few events for a
standardised rate) come back with ``value`` ``None`` (NaN in arrays) and a ``reason`` saying why.
Confidence levels may be any level between 0 and 1 (0.95 and 0.998 are the usual ones); the normal
quantile is computed exactly (``scipy.special.ndtri``), never the rounded 1.96.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaincinv, ndtri

WILSON = "Wilson score"
BYAR = "Byar"
EXACT_POISSON = "exact Poisson"
LOG_NORMAL = "log-normal"
DOBSON = "Dobson"

NO_DENOMINATOR = "no denominator"
NO_POPULATION = "no population"
NO_EVENTS = "no events in this group, so no interval"
NO_REFERENCE_EVENTS = "no events in the comparison group"
TOO_FEW_FOR_DSR = "fewer than 10 events, too few for a standardised rate"
EVENTS_WITHOUT_POPULATION = "events in an age band with no population"

# Below this many events crude rates use the exact Poisson interval and DSRs are not given (PHE Technical
# Guide: Confidence intervals, "Directory of methods"; Morris et al., Popul Health Metr 2018;16:9).
EXACT_BELOW = 10

# 2013 European Standard Population, per 100,000, bands 0-4, 5-9, ..., 85-89, 90+.
# Source: Eurostat, "Revision of the European Standard Population: Report of Eurostat's task force",
# 2013 edition (Methodologies and Working papers, KS-RA-13-028), Table 5.1; adopted by ONS in 2014.
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip
ESP2013_BANDS: tuple[str, ...] = (*(f"{start}-{start + 4}" for start in range(0, 90, 5)), "90+")


@dataclass(frozen=True)
class Estimate:
    """One statistic with its confidence interval, the method used, and why there is no value if none."""

    value: float | None
    lower: float | None
    upper: float | None
    method: str
    reason: str = ""

    def excludes(self, reference: float = 1.0) -> bool:
        """True when the whole interval lies on one side of ``reference`` (for ratios: a real difference)."""
        if self.lower is None or self.upper is None:
            return False
        return self.lower > reference or self.upper < reference


@dataclass(frozen=True)
class EstimateArray:
    """A table of statistics: arrays of the same shape, NaN where there is no value and ``reason`` says why."""

    value: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    method: NDArray[np.object_]
    reason: NDArray[np.object_]

    def estimate(self, index: Any) -> Estimate:
        """One cell as an :class:`Estimate`, for code that shows a figure at a time."""
        return Estimate(
            value=_optional(self.value[index]),
            lower=_optional(self.lower[index]),
            upper=_optional(self.upper[index]),
            method=str(self.method[index]),
            reason=str(self.reason[index]),
        )

    def excludes(self, reference: float = 1.0) -> NDArray[np.bool_]:
        """Where the interval lies wholly above or below ``reference`` (False where there is none)."""
        with np.errstate(invalid="ignore"):
            return (self.lower > reference) | (self.upper < reference)


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level, e.g. 1.959964 for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"Confidence must be between 0 and 1, not {confidence!r}.")
    return float(ndtri(0.5 + confidence / 2))


# Formula helpers: plain arithmetic (``** 0.5`` rather than ``np.sqrt``) so that the same code runs on
# Python floats, quickly, for the scalar functions and on NumPy arrays for the vectorised ones.


def _wilson(observed: Any, total: Any, z: float) -> tuple[Any, Any]:
    """Wilson score limits (PHE Technical Guide: Confidence intervals, Appendix 3; Wilson 1927).

    In exact arithmetic the lower limit is 0 when ``observed`` is 0 and the upper is 1 when it equals
    ``total``; callers pin those ends, which floating point misses by a hair.
    """
    p = observed / total
    spread = z * (z * z + 4 * observed * (1 - p)) ** 0.5
    denominator = 2 * (total + z * z)
    return (2 * observed + z * z - spread) / denominator, (2 * observed + z * z + spread) / denominator


def _byar(observed: Any, z: float) -> tuple[Any, Any]:
    """Byar's limits for a Poisson count (Breslow and Day 1987; PHE Technical Guide, Appendix 1)."""
    above = observed + 1
    lower = observed * (1 - 1 / (9 * observed) - z / (3 * observed**0.5)) ** 3
    upper = above * (1 - 1 / (9 * above) + z / (3 * above**0.5)) ** 3
    return lower, upper


def _exact_poisson(observed: Any, confidence: float) -> tuple[Any, Any]:
    """Exact Poisson limits via the chi-squared link, chi2(2O)/2 (PHE Technical Guide, Appendix 2).

    ``gammaincinv(k, q)`` equals ``chi2.ppf(q, 2k) / 2``. It gives NaN for the lower limit of a zero
    count, which is 0; callers put the 0 in.
    """
    alpha = 1 - confidence
    return gammaincinv(observed, alpha / 2), gammaincinv(observed + 1, 1 - alpha / 2)


def _poisson_limits(observed: Any, confidence: float, z: float) -> tuple[Any, Any]:
    """Limits for arrays of counts: exact below 10 events, Byar's approximation from 10 up."""
    small = observed < EXACT_BELOW
    lower, upper = (np.array(limit, dtype=np.float64) for limit in _byar(np.where(small, EXACT_BELOW, observed), z))
    # The exact limits cost far more than Byar's, so they are computed once per distinct small count.
    distinct, positions = np.unique(observed[small], return_inverse=True)
    exact_lower, exact_upper = _exact_poisson(distinct, confidence)
    exact_lower = np.where(distinct > 0, exact_lower, 0.0)
    lower[small], upper[small] = exact_lower[positions], exact_upper[positions]
    return lower, upper


def _optional(number: Any) -> float | None:
    number = float(number)
    return None if math.isnan(number) else number


def _check_counts(name: str, values: NDArray[np.float64]) -> None:
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite numbers.")
    if np.any(values < 0):
        raise ValueError(f"{name} cannot be negative.")


def _check_scalars(*numbers: float) -> None:
    for number in numbers:
        if not math.isfinite(number):
            raise ValueError("Counts and populations must be finite numbers.")
        if number < 0:
            raise ValueError("Counts and populations cannot be negative.")


def _floats(name: str, values: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(values)
    if np.issubdtype(array.dtype, np.integer):  # whole numbers are finite: only the sign needs checking
        if np.any(array < 0):
            raise ValueError(f"{name} cannot be negative.")
        return array.astype(np.float64)
    array = array.astype(np.float64, copy=False)
    _check_counts(name, array)
    return array


def _labels(
    shape: tuple[int, ...], default: str, where: NDArray[np.bool_] | None = None, text: str = ""
) -> NDArray[np.object_]:
    """An array of strings (object dtype, cheap to fill): ``default``, with ``text`` where ``where`` is set."""
    labels = np.full(shape, default, dtype=object)
    if where is not None:
        labels[where] = text
    return labels


# Proportions


def proportion(numerator: float, denominator: float, confidence: float = 0.95) -> Estimate:
    """A proportion with its Wilson score interval.

    Reference: PHE, Technical Guide: Confidence intervals (2018), Appendix 3 "Wilson Score method";
    Wilson EB, J Am Stat Assoc 1927;22:209-212; Newcombe RG, Stat Med 1998;17:857-872 (method 3).
    """
    z = z_value(confidence)
    _check_scalars(numerator, denominator)
    if numerator > denominator:
        raise ValueError(f"The numerator ({numerator}) cannot be larger than the denominator ({denominator}).")
    if denominator == 0:
        return Estimate(None, None, None, WILSON, NO_DENOMINATOR)
    lower, upper = _wilson(float(numerator), float(denominator), z)
    lower = 0.0 if numerator == 0 else lower
    upper = 1.0 if numerator == denominator else upper
    return Estimate(numerator / denominator, lower, upper, WILSON)


def proportions(numerators: ArrayLike, denominators: ArrayLike, confidence: float = 0.95) -> EstimateArray:
    """:func:`proportion` over whole arrays (broadcast together)."""
    z = z_value(confidence)
    num, den = np.broadcast_arrays(_floats("Numerators", numerators), _floats("Denominators", denominators))
    if np.any(num > den):
        raise ValueError("A numerator cannot be larger than its denominator.")
    missing = den == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = _wilson(num, den, z)
        value = num / den
    nan = np.nan
    return EstimateArray(
        value=np.where(missing, nan, value),
        lower=np.where(missing, nan, np.where(num == 0, 0.0, lower)),
        upper=np.where(missing, nan, np.where(num == den, 1.0, upper)),
        method=_labels(num.shape, WILSON),
        reason=_labels(num.shape, "", where=missing, text=NO_DENOMINATOR),
    )


# Crude rates


def crude_rate(count: float, population: float, per: float = 100_000, confidence: float = 0.95) -> Estimate:
    """Events per ``per`` people, with Byar's interval, or the exact Poisson interval below 10 events.

    Reference: PHE, Technical Guide: Confidence intervals (2018), Appendices 1 and 2; Fingertips public
    health technical guidance, "Rates"; Breslow NE, Day NE, Statistical Methods in Cancer Research
    vol. II (IARC, 1987), p. 69.
    """
    z = z_value(confidence)
    _check_scalars(count, population)
    if population == 0:
        return Estimate(None, None, None, EXACT_POISSON if count < EXACT_BELOW else BYAR, NO_POPULATION)
    if count < EXACT_BELOW:
        low, high = _exact_poisson(float(count), confidence)
        low = 0.0 if count == 0 else low
        method = EXACT_POISSON
    else:
        low, high = _byar(float(count), z)
        method = BYAR
    scale = per / population
    return Estimate(count * scale, float(low) * scale, float(high) * scale, method)


def crude_rates(
    counts: ArrayLike, populations: ArrayLike, per: float = 100_000, confidence: float = 0.95
) -> EstimateArray:
    """:func:`crude_rate` over whole arrays (broadcast together)."""
    z = z_value(confidence)
    count, population = np.broadcast_arrays(_floats("Counts", counts), _floats("Populations", populations))
    missing = population == 0
    low, high = _poisson_limits(count, confidence, z)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(missing, np.nan, per / population)
    return EstimateArray(
        value=count * scale,
        lower=low * scale,
        upper=high * scale,
        method=_labels(count.shape, BYAR, where=count < EXACT_BELOW, text=EXACT_POISSON),
        reason=_labels(count.shape, "", where=missing, text=NO_POPULATION),
    )


# Rate ratios


def rate_ratio(
    count_a: float, population_a: float, count_b: float, population_b: float, confidence: float = 0.95
) -> Estimate:
    """The rate in group A over the rate in group B, with a log-normal interval.

    SE(ln RR) = sqrt(1/a + 1/b). Reference: Rothman KJ, Greenland S, Lash TL, Modern Epidemiology,
    3rd ed. (2008), ch. 14, "Rate ratio"; Kirkwood BR, Sterne JAC, Essential Medical Statistics, 2nd ed.
    (2003), §23.3. With no events in A the ratio is 0 and has no interval; with none in B it has no value.
    """
    z = z_value(confidence)
    _check_scalars(count_a, population_a, count_b, population_b)
    if population_a == 0 or population_b == 0:
        return Estimate(None, None, None, LOG_NORMAL, NO_POPULATION)
    if count_b == 0:
        return Estimate(None, None, None, LOG_NORMAL, NO_REFERENCE_EVENTS)
    ratio = (count_a / population_a) / (count_b / population_b)
    if count_a == 0:
        return Estimate(0.0, None, None, LOG_NORMAL, NO_EVENTS)
    spread = math.exp(z * math.sqrt(1 / count_a + 1 / count_b))
    return Estimate(ratio, ratio / spread, ratio * spread, LOG_NORMAL)


def rate_ratios(
    count_a: ArrayLike, population_a: ArrayLike, count_b: ArrayLike, population_b: ArrayLike, confidence: float = 0.95
) -> EstimateArray:
    """:func:`rate_ratio` over whole arrays (broadcast together: a reference group may be one column)."""
    z = z_value(confidence)
    a, pa, b, pb = np.broadcast_arrays(
        _floats("Counts", count_a), _floats("Populations", population_a),
        _floats("Counts", count_b), _floats("Populations", population_b),
    )  # fmt: skip
    no_population = (pa == 0) | (pb == 0)
    no_reference = ~no_population & (b == 0)
    no_events = ~no_population & ~no_reference & (a == 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(no_population | no_reference, np.nan, (a / pa) / (b / pb))
        spread = np.exp(z * np.sqrt(1 / a + 1 / b))
        interval = ~(no_population | no_reference | no_events)
        lower, upper = np.where(interval, ratio / spread, np.nan), np.where(interval, ratio * spread, np.nan)
    reason = np.full(a.shape, "", dtype=object)
    reason[no_population] = NO_POPULATION
    reason[no_reference] = NO_REFERENCE_EVENTS
    reason[no_events] = NO_EVENTS
    return EstimateArray(
        value=np.where(no_events, 0.0, ratio),
        lower=lower,
        upper=upper,
        method=_labels(a.shape, LOG_NORMAL),
        reason=reason,
    )


# Directly standardised rates


def _standard_weights(bands: int, standard: Sequence[float]) -> NDArray[np.float64]:
    """The standard's weights for ``bands`` age bands: all of them, or with the top two merged (85+)."""
    weights = np.asarray(standard, dtype=np.float64)
    if bands == len(weights):
        return weights
    if bands == len(weights) - 1:
        return np.concatenate([weights[:-2], [weights[-2] + weights[-1]]])
    raise ValueError(
        f"Got {bands} age bands; the standard population has {len(weights)} "
        f"({len(weights) - 1} are accepted by merging its top two bands)."
    )


def dsr(
    counts_by_age: Sequence[float],
    populations_by_age: Sequence[float],
    standard: Sequence[float] = ESP2013,
    per: float = 100_000,
    confidence: float = 0.95,
) -> Estimate:
    """A directly age-standardised rate with Dobson's interval, using the 2013 European Standard Population.

    Bands are 0-4, 5-9, ..., 85-89, 90+ (19); 18 bands ending 85+ are accepted, the standard's 85-89 and
    90+ weights merged. No value is given below 10 events in total. Dobson's limits use Byar's limits for
    the total count. References: Dobson AJ et al., Stat Med 1991;10:457-462; PHE, Technical Guide:
    Confidence intervals (2018), Appendix 4; Fingertips public health technical guidance, "Directly
    standardised rates"; Eurostat (2013) for ESP2013.
    """
    z = z_value(confidence)
    if len(counts_by_age) != len(populations_by_age):
        raise ValueError(
            f"Counts ({len(counts_by_age)}) and populations ({len(populations_by_age)}) must have the same shape."
        )
    _check_scalars(*counts_by_age, *populations_by_age)
    weights = _standard_weights(len(counts_by_age), standard).tolist()
    weight_sum = sum(weights)
    bands = list(zip(counts_by_age, populations_by_age, weights, strict=True))
    total = sum(counts_by_age)
    if sum(populations_by_age) == 0:
        return Estimate(None, None, None, DOBSON, NO_POPULATION)
    if any(population == 0 and count > 0 for count, population, _ in bands):
        return Estimate(None, None, None, DOBSON, EVENTS_WITHOUT_POPULATION)
    if total < EXACT_BELOW:
        return Estimate(None, None, None, DOBSON, TOO_FEW_FOR_DSR)
    rate = sum(weight * count / population for count, population, weight in bands if population) / weight_sum
    variance = sum(weight**2 * count / population**2 for count, population, weight in bands if population)
    lower, upper = _dobson(rate, variance / weight_sum**2, total, z)
    return Estimate(rate * per, lower * per, upper * per, DOBSON)


def _dobson(rate: Any, variance: Any, total: Any, z: float) -> tuple[Any, Any]:
    """Dobson's limits: the DSR moved by the Byar limits of the total count, scaled by sqrt(var(DSR)/total)."""
    total_lower, total_upper = _byar(total, z)
    scale = (variance / total) ** 0.5
    return rate + scale * (total_lower - total), rate + scale * (total_upper - total)


def dsrs(
    counts_by_age: ArrayLike,
    populations_by_age: ArrayLike,
    standard: Sequence[float] = ESP2013,
    per: float = 100_000,
    confidence: float = 0.95,
) -> EstimateArray:
    """:func:`dsr` for many units at once: rows are units (areas, groups), columns are age bands."""
    z = z_value(confidence)
    counts = np.atleast_2d(_floats("Counts", counts_by_age))
    populations = np.atleast_2d(_floats("Populations", populations_by_age))
    if counts.shape != populations.shape:
        raise ValueError(f"Counts {counts.shape} and populations {populations.shape} must have the same shape.")
    weights = _standard_weights(counts.shape[1], standard)
    weights = weights / weights.sum()
    total = counts.sum(axis=1)
    no_population = populations.sum(axis=1) == 0
    populated = populations > 0
    orphan_events = np.any(~populated & (counts > 0), axis=1)
    too_few = total < EXACT_BELOW
    # Age-specific rates, and their Poisson variances c/n², zero in bands with nobody in them (dividing
    # by infinity there; events in such a band make the row unavailable anyway).
    divisor = np.where(populated, populations, np.inf)
    specific = counts / divisor
    variance_terms = specific / divisor
    # einsum rather than @: a matrix-vector product this thin gains nothing from BLAS threads, and on a
    # busy machine waiting for them costs more than the arithmetic.
    rate = np.einsum("ij,j->i", specific, weights)
    variance = np.einsum("ij,j->i", variance_terms, weights**2)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower, upper = _dobson(rate, variance, total, z)
    unavailable = no_population | orphan_events | too_few
    reason = np.full(total.shape, "", dtype=object)
    reason[too_few] = TOO_FEW_FOR_DSR
    reason[orphan_events] = EVENTS_WITHOUT_POPULATION
    reason[no_population] = NO_POPULATION
    return EstimateArray(
        value=np.where(unavailable, np.nan, rate * per),
        lower=np.where(unavailable, np.nan, lower * per),
        upper=np.where(unavailable, np.nan, upper * per),
        method=_labels(total.shape, DOBSON),
        reason=reason,
    )
