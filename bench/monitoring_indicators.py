"""Monitoring indicators over whole arrays, against a per-cell Python loop over the same functions.

Builds synthetic counts for 50 areas x 19 ethnic groups x 8 measures x 5 years, each split into the 18
census age bands (0-4 … 85+), with populations for every area, group and age band. Then computes every
indicator the monitoring pages show, for every cell:

- crude rate per 100,000 with its interval (exact Poisson under 10 events, Byar from 10);
- rate ratio against the reference group (White British) and against all other groups together;
- the group's share of the area's events (Wilson interval);
- the directly age-standardised rate (ESP2013, Dobson interval);
- the indirectly standardised ratio against the area's all-groups age-specific rates (Byar / exact Poisson);
- the trend marker of each area, group and measure over the five years (chi-squared test for trend),

once with the vectorised functions of ``waymark.monitoring.stats`` (one call per indicator over the
whole table, the median of three runs) and once with a Python loop
calling the scalar functions cell by cell. Checks that both give the same numbers, and prints both
times and their ratio per indicator and overall. The issue's target: at least 20 times faster overall.
The scalar functions are plain float arithmetic (the same formula helpers, run on Python floats), so
the loop is a fair one, not NumPy called once per cell.

    .venv/bin/python bench/monitoring_indicators.py [--seed 1] [--areas 50]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from waymark.monitoring import funnel, stats, stats_compare  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--areas", type=int, default=50)
ARGS = parser.parse_known_args()[0]

GROUPS, MEASURES, YEARS, AGE_BANDS = 19, 8, 5, 18
REFERENCE_GROUP = 0  # White British, first in the NHS ordering used here
TARGET = 20.0
# Events per person-year for referral, first contact, admission, MHA detention, CTO, restraint,
# seclusion and a spare measure: roughly the spread of the real measures.
BASE_RATES = np.array([0.03, 0.02, 0.004, 0.0015, 0.0003, 0.0008, 0.0004, 0.001])


def synthetic_table(rng: np.random.Generator, areas: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts (area, group, measure, year, age band) and populations (area, group, 1, year, age band)."""
    group_share = rng.dirichlet(np.r_[30.0, np.full(GROUPS - 1, 1.2)], size=areas)
    age_profile = np.r_[np.linspace(1.0, 1.3, 8), np.linspace(1.2, 0.15, AGE_BANDS - 8)]
    age_profile /= age_profile.sum()
    area_size = rng.integers(150_000, 400_000, size=areas)
    growth = 1 + 0.01 * np.arange(YEARS)
    populations = np.rint(
        area_size[:, None, None, None, None]
        * group_share[:, :, None, None, None]
        * growth[None, None, None, :, None]
        * age_profile[None, None, None, None, :]
    ).astype(np.int64)
    # Higher rates for some groups (3-5 times for detentions in two of them), varying by age.
    disproportion = np.ones((GROUPS, MEASURES))
    disproportion[[9, 10], 3:6] = rng.uniform(3, 5, size=(2, 3))
    age_risk = np.r_[np.full(3, 0.2), np.full(6, 1.6), np.full(AGE_BANDS - 9, 0.8)]
    expected = (
        populations
        * BASE_RATES[None, None, :, None, None]
        * disproportion[None, :, :, None, None]
        * age_risk[None, None, None, None, :]
    )
    return rng.poisson(expected), populations


def prepare(counts: np.ndarray, populations: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays the indicators read: counts and populations per cell, per reference and per rest of area."""
    count = counts.sum(axis=-1)
    population = np.broadcast_to(populations.sum(axis=-1), count.shape)
    reference = slice(REFERENCE_GROUP, REFERENCE_GROUP + 1)
    return {
        "count": count,
        "population": population,
        "reference_count": np.broadcast_to(count[:, reference], count.shape),
        "reference_population": np.broadcast_to(population[:, reference], count.shape),
        "others_count": count.sum(axis=1, keepdims=True) - count,
        "others_population": population.sum(axis=1, keepdims=True) - population,
        "area_count": np.broadcast_to(count.sum(axis=1, keepdims=True), count.shape),
        "counts_by_age": counts.reshape(count.size, AGE_BANDS),
        "populations_by_age": np.broadcast_to(populations, counts.shape).reshape(count.size, AGE_BANDS),
        # The area's all-groups events and population by age, for the same measure and year: the reference
        # rates of the indirect standardisation.
        "area_counts_by_age": np.broadcast_to(counts.sum(axis=1, keepdims=True), counts.shape).reshape(
            count.size, AGE_BANDS
        ),
        "area_populations_by_age": np.broadcast_to(populations.sum(axis=1, keepdims=True), counts.shape).reshape(
            count.size, AGE_BANDS
        ),
    }


# Each indicator as (one call over whole arrays, one call for cell i of the flattened arrays).
INDICATORS: dict[str, tuple[Callable[[dict], stats.EstimateArray], Callable[[dict, int], stats.Estimate]]] = {
    "crude rate": (
        lambda t: stats.crude_rates(t["count"], t["population"]),
        lambda c, i: stats.crude_rate(c["count"][i], c["population"][i]),
    ),
    "rate ratio vs reference": (
        lambda t: stats.rate_ratios(t["count"], t["population"], t["reference_count"], t["reference_population"]),
        lambda c, i: stats.rate_ratio(
            c["count"][i], c["population"][i], c["reference_count"][i], c["reference_population"][i]
        ),
    ),
    "rate ratio vs all others": (
        lambda t: stats.rate_ratios(t["count"], t["population"], t["others_count"], t["others_population"]),
        lambda c, i: stats.rate_ratio(
            c["count"][i], c["population"][i], c["others_count"][i], c["others_population"][i]
        ),
    ),
    "share of events": (
        lambda t: stats.proportions(t["count"], t["area_count"]),
        lambda c, i: stats.proportion(c["count"][i], c["area_count"][i]),
    ),
    "DSR": (
        lambda t: stats.dsrs(t["counts_by_age"], t["populations_by_age"]),
        lambda c, i: stats.dsr(c["counts_by_age"][i], c["populations_by_age"][i]),
    ),
    "ISR vs area": (
        lambda t: stats_compare.isr_ratios(
            t["counts_by_age"], t["populations_by_age"], t["area_counts_by_age"], t["area_populations_by_age"]
        ),
        lambda c, i: stats_compare.isr_ratio(
            c["counts_by_age"][i],
            c["populations_by_age"][i],
            c["area_counts_by_age"][i],
            c["area_populations_by_age"][i],
        ),
    ),
}


def check_same(name: str, array: stats.EstimateArray, looped: list[stats.Estimate]) -> None:
    """Fail loudly if the two ways disagree anywhere: a fast wrong answer is no answer."""
    for field in ("value", "lower", "upper"):
        expected = np.array([np.nan if getattr(e, field) is None else getattr(e, field) for e in looped])
        np.testing.assert_allclose(getattr(array, field).ravel(), expected, rtol=1e-9, err_msg=name)
    assert list(array.reason.ravel()) == [e.reason for e in looped], name


def time_trends(counts: np.ndarray, populations: np.ndarray) -> tuple[float, float]:
    """The trend of every area, group and measure over the years: one call, then a loop over the series."""
    count = counts.sum(axis=-1)
    population = np.broadcast_to(populations.sum(axis=-1), count.shape)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        whole = stats_compare.trends(count, population)
        timings.append(time.perf_counter() - start)
    series_counts = count.reshape(-1, YEARS).tolist()
    series_populations = population.reshape(-1, YEARS).tolist()
    start = time.perf_counter()
    looped = [stats_compare.trend(c, n) for c, n in zip(series_counts, series_populations, strict=True)]
    loop_s = time.perf_counter() - start
    assert list(whole.direction.ravel()) == [t.direction for t in looped], "trend"
    expected = np.array([np.nan if t.statistic is None else t.statistic for t in looped])
    np.testing.assert_allclose(whole.statistic.ravel(), expected, rtol=1e-9, err_msg="trend")
    return statistics.median(timings), loop_s


def main() -> None:
    rng = np.random.default_rng(ARGS.seed)
    counts, populations = synthetic_table(rng, ARGS.areas)
    cells = counts[..., 0].size
    print(f"{ARGS.areas} areas × {GROUPS} groups × {MEASURES} measures × {YEARS} years = {cells:,} cells, "
          f"{AGE_BANDS} age bands, {len(INDICATORS)} indicators each, and a trend per series")  # fmt: skip
    print(f"{'indicator':26} {'vectorised s':>12} {'loop s':>8} {'× faster':>9}")
    vector_total = loop_total = 0.0
    times: dict[str, tuple[float, float]] = {}
    for name, (whole, one) in INDICATORS.items():
        table = prepare(counts, populations)
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            array = whole(table)
            timings.append(time.perf_counter() - start)
        vector_s = statistics.median(timings)
        # Both start from the same prepared arrays; the loop gets them as plain Python lists, flattened
        # once, so it times the statistics and not NumPy indexing.
        flat = {key: value.reshape(cells, -1).tolist() if key.endswith("by_age") else value.ravel().tolist()
                for key, value in prepare(counts, populations).items()}  # fmt: skip
        start = time.perf_counter()
        looped = [one(flat, i) for i in range(cells)]
        loop_s = time.perf_counter() - start
        check_same(name, array, looped)
        times[name] = vector_s, loop_s
    times["trend over 5 years"] = time_trends(counts, populations)
    for name, (vector_s, loop_s) in times.items():
        vector_total += vector_s
        loop_total += loop_s
        print(f"{name:26} {vector_s:12.4f} {loop_s:8.3f} {loop_s / vector_s:9.1f}")
    ratio = loop_total / vector_total
    print(f"{'all indicators':26} {vector_total:12.4f} {loop_total:8.3f} {ratio:9.1f}")
    plain_vector, plain_loop = vector_total - times["DSR"][0], loop_total - times["DSR"][1]
    print(f"{'all but the DSR':26} {plain_vector:12.4f} {plain_loop:8.3f} {plain_loop / plain_vector:9.1f}")
    print(f"target: at least {TARGET:.0f}× faster than the loop: {'met' if ratio >= TARGET else 'NOT MET'}")
    if ratio < TARGET:
        sys.exit(1)


def funnel_timings() -> None:
    """Funnel limits and each unit's position for every cell at once, against one call per cell, all
    around the one overall rate (the loop gets the same average, so both time only the per-unit work)."""
    rng = np.random.default_rng(ARGS.seed)
    counts, populations = synthetic_table(rng, ARGS.areas)
    table = prepare(counts, populations)
    count, population = table["count"].ravel(), np.maximum(table["population"].ravel(), 1)
    average = float(count.sum() / population.sum())
    share, area_count = count.astype(float), np.maximum(table["area_count"].ravel(), 1)
    jobs = {
        "funnel: proportion limits": (
            lambda: funnel.proportion_limits(area_count, 0.05),
            lambda i: funnel.proportion_limits(area_count[i : i + 1], 0.05),
        ),
        "funnel: rate limits": (
            lambda: funnel.rate_limits(population, average * 100_000),
            lambda i: funnel.rate_limits(population[i : i + 1], average * 100_000),
        ),
        "funnel: rate positions": (
            lambda: funnel.rate_positions(count, population, average * 100_000),
            lambda i: funnel.rate_positions(count[i : i + 1], population[i : i + 1], average * 100_000),
        ),
        "funnel: share positions": (
            lambda: funnel.proportion_positions(share, area_count, 0.05),
            lambda i: funnel.proportion_positions(share[i : i + 1], area_count[i : i + 1], 0.05),
        ),
    }
    print(f"{'funnel over all cells':26} {'vectorised s':>12} {'loop s':>8} {'× faster':>9}")
    for name, (whole, one) in jobs.items():
        start = time.perf_counter()
        whole()
        vector_s = time.perf_counter() - start
        start = time.perf_counter()
        for i in range(count.size):
            one(i)
        loop_s = time.perf_counter() - start
        print(f"{name:26} {vector_s:12.4f} {loop_s:8.3f} {loop_s / vector_s:9.1f}")


if __name__ == "__main__":
    main()
    funnel_timings()
