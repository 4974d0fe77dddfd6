"""Funnel plots: control limits around the overall value, and where each unit (provider, area, ward) sits.

Framework-free (NumPy and SciPy only, no Django), vectorised over whole arrays, like ``monitoring.stats``.
The methods are those of the Fingertips public health technical guidance, "Funnel plots", as implemented
in PHEindicatormethods (``calculate_funnel_limits`` and ``assign_funnel_significance``, R package by
UKHSA, v2.0, 2024):

- **Proportions**: the limits at a denominator ``n`` are the proportions whose Wilson score interval just
  touches the overall proportion (Wilson's interval solved for the observed value; PHEindicatormethods'
  ``sigma_adjustment``). A unit is above the 95 % limit when its proportion lies above that curve.
- **Rates**: the limits at a population ``n`` are the rates whose exact Poisson interval just touches the
  overall rate (the count ``k`` with P(X <= k | overall rate x n) = 2.5 %, and so on; ``scipy.special.pdtrik``
  gives the count without the bisection the R package uses). A unit's position compares its own interval
  with the overall rate: exact Poisson under 10 events, Byar's approximation from 10, as the package does,
  so a unit drawn a hair inside a line can be classed outside it (and the other way round) near 10 events.

Limits are at 95 % (about 2 standard deviations) and 99.8 % (about 3). References: Spiegelhalter DJ,
"Funnel plots for comparing institutional performance", Stat Med 2005;24:1185-1202; PHE, Technical
Guide: Confidence intervals (2018); Fingertips, Public health technical guidance, "Funnel plots".

The rate limits call ``pdtrik`` (a root search per element inside SciPy), so they gain less from whole
arrays than the rest; they solve each distinct population once, which is what makes them fast over tables
where units share populations (``bench/monitoring_indicators.py``: each area's population serves eight
measures). A page draws them at a hundred points only.

Errors in the input (negative counts, a numerator above its denominator, a denominator of 0, arrays of
different lengths) raise ``ValueError`` with a message saying what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import pdtrik

from waymark.monitoring.stats import _poisson_limits, z_value

WILSON_FUNNEL = "Wilson score control limits"
POISSON_FUNNEL = "exact Poisson control limits"

WITHIN = "within"
ABOVE_95 = "above 95 %"
ABOVE_998 = "above 99.8 %"
BELOW_95 = "below 95 %"
BELOW_998 = "below 99.8 %"
POSITIONS = (ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998)

INNER, OUTER = 0.95, 0.998


@dataclass(frozen=True)
class FunnelLimits:
    """The four control limits at each denominator, around ``average`` (all on the scale of the figures)."""

    denominators: NDArray[np.float64]
    average: float
    lower_95: NDArray[np.float64]
    upper_95: NDArray[np.float64]
    lower_998: NDArray[np.float64]
    upper_998: NDArray[np.float64]
    method: str


def _checked(numerators: ArrayLike, denominators: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    num = np.asarray(numerators, dtype=np.float64)
    den = np.asarray(denominators, dtype=np.float64)
    if num.shape != den.shape:
        raise ValueError(f"Numerators {num.shape} and denominators {den.shape} must have the same shape.")
    if not (np.all(np.isfinite(num)) and np.all(np.isfinite(den))):
        raise ValueError("Numerators and denominators must be finite numbers.")
    if np.any(num < 0):
        raise ValueError("Numerators cannot be negative.")
    if np.any(den <= 0):
        raise ValueError("Denominators must be greater than 0.")
    return num, den


def _denominators(values: ArrayLike) -> NDArray[np.float64]:
    den = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(den)) or np.any(den <= 0):
        raise ValueError("Denominators must be finite numbers greater than 0.")
    return den


def overall(numerators: ArrayLike, denominators: ArrayLike) -> float:
    """The value the funnel is centred on: all numerators over all denominators (a weighted average)."""
    num, den = _checked(numerators, denominators)
    if num.size == 0:
        raise ValueError("A funnel needs at least one unit.")
    return float(num.sum() / den.sum())


def axis_denominators(smallest: float, largest: float, points: int = 100) -> NDArray[np.float64]:
    """Denominators to draw the limits at: evenly spaced on a log scale, where the funnel bends most."""
    if not 0 < smallest <= largest:
        raise ValueError("The axis needs 0 < smallest <= largest.")
    return np.unique(np.geomspace(max(smallest, 1.0), max(largest, 1.0), points))


# Proportions


def _wilson_limit(n: NDArray[np.float64], average: float, confidence: float, side: int) -> NDArray[np.float64]:
    """The proportion at denominator ``n`` whose Wilson interval's far end is ``average`` (``side`` -1 or +1).

    Wilson's limit solved for the observed proportion: the root of a quadratic, written as in
    PHEindicatormethods' ``sigma_adjustment`` (Fingertips technical guidance, "Funnel plots", proportions).
    """
    z2 = z_value(confidence) ** 2
    first = average * (n / z2 + 1)
    second = n * (average * (n / z2 + 2) - 1) + z2 * (average - 1)
    under_root = (8 * first) ** 2 - 64 * (1 / z2 + 1 / n) * average * second
    spread = np.sqrt(np.maximum(under_root, 0.0)) / 8
    limit = (first + side * spread) / (1 / z2 + 1 / n) / n
    # The limits lie either side of the average; saying so exactly keeps rounding from putting a unit at the
    # average (or at 0 % or 100 % when the average is) outside its own funnel.
    limit = np.minimum(limit, average) if side < 0 else np.maximum(limit, average)
    return np.clip(limit, 0.0, 1.0)


def proportion_limits(denominators: ArrayLike, average: float) -> FunnelLimits:
    """95 % and 99.8 % control limits for a proportion around ``average`` (0 to 1), at each denominator."""
    n = _denominators(denominators)
    if not 0 <= average <= 1:
        raise ValueError(f"An average proportion must be between 0 and 1, not {average!r}.")
    return FunnelLimits(
        denominators=n,
        average=float(average),
        lower_95=_wilson_limit(n, average, INNER, -1),
        upper_95=_wilson_limit(n, average, INNER, +1),
        lower_998=_wilson_limit(n, average, OUTER, -1),
        upper_998=_wilson_limit(n, average, OUTER, +1),
        method=WILSON_FUNNEL,
    )


def _positions(
    value: NDArray[np.float64],
    lower_998: NDArray[np.float64],
    lower_95: NDArray[np.float64],
    upper_998: NDArray[np.float64],
    upper_95: NDArray[np.float64],
) -> NDArray[np.object_]:
    """Each unit's position, in PHEindicatormethods' order: below 99.8 %, below 95 %, above 99.8 %, above 95 %."""
    position = np.full(value.shape, WITHIN, dtype=object)
    position[value > upper_95] = ABOVE_95
    position[value > upper_998] = ABOVE_998
    position[value < lower_95] = BELOW_95
    position[value < lower_998] = BELOW_998
    return position


def proportion_positions(
    numerators: ArrayLike, denominators: ArrayLike, average: float | None = None
) -> NDArray[np.object_]:
    """Where each unit's proportion lies against the limits (``POSITIONS``); ``average`` defaults to the overall one."""
    num, den = _checked(numerators, denominators)
    if np.any(num > den):
        raise ValueError("A numerator cannot be larger than its denominator.")
    centre = overall(num, den) if average is None else average
    limits = proportion_limits(den, centre)
    return _positions(num / den, limits.lower_998, limits.lower_95, limits.upper_998, limits.upper_95)


# Rates


def _poisson_limit(n: NDArray[np.float64], average: float, confidence: float, side: int) -> NDArray[np.float64]:
    """The rate (events per person) at population ``n`` whose exact Poisson interval's far end is ``average``."""
    expected = average * n
    tail = (1 - confidence) / 2
    # Lower: the count k with P(X <= k | expected) = tail; upper: the k with P(X >= k | expected) = tail.
    events = pdtrik(tail, expected) if side < 0 else pdtrik(1 - tail, expected) + 1
    return np.maximum(np.nan_to_num(events), 0.0) / n


def rate_limits(populations: ArrayLike, average: float, per: float = 100_000) -> FunnelLimits:
    """95 % and 99.8 % control limits for a rate per ``per`` around ``average`` (also per ``per``)."""
    n = _denominators(populations)
    if not (np.isfinite(average) and average >= 0):
        raise ValueError(f"An average rate must be 0 or more, not {average!r}.")
    per_person = average / per
    # pdtrik is a root search per element, so each distinct population is solved once and the answers are
    # spread back over the units that share it (areas compared on several measures, or years, share their
    # populations). The same function of the same numbers: exact, only fewer calls.
    distinct, where = np.unique(n, return_inverse=True)
    where = where.reshape(n.shape)

    def limit(confidence: float, side: int) -> NDArray[np.float64]:
        return (_poisson_limit(distinct, per_person, confidence, side) * per)[where]

    return FunnelLimits(
        denominators=n,
        average=float(average),
        lower_95=limit(INNER, -1),
        upper_95=limit(INNER, +1),
        lower_998=limit(OUTER, -1),
        upper_998=limit(OUTER, +1),
        method=POISSON_FUNNEL,
    )


def rate_positions(
    counts: ArrayLike, populations: ArrayLike, average: float | None = None, per: float = 100_000
) -> NDArray[np.object_]:
    """Where each unit's rate lies: its own Poisson interval (exact under 10 events, Byar from 10) against
    the average rate (per ``per``; defaults to all counts over all populations), as
    PHEindicatormethods' ``assign_funnel_significance`` for crude rates."""
    count, population = _checked(counts, populations)
    centre = overall(count, population) if average is None else average / per
    ends = {}
    for level in (INNER, OUTER):
        lower, upper = _poisson_limits(count, level, z_value(level))
        ends[level] = (lower / population, upper / population)
    # A unit is above a limit exactly when its own interval lies wholly above the average, and below it
    # when its interval lies wholly below, tested in the same order as ``_positions``.
    position = np.full(count.shape, WITHIN, dtype=object)
    position[ends[INNER][0] > centre] = ABOVE_95
    position[ends[OUTER][0] > centre] = ABOVE_998
    position[ends[INNER][1] < centre] = BELOW_95
    position[ends[OUTER][1] < centre] = BELOW_998
    return position
