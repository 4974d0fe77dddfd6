"""Synthetic record-level activity extracts, shared by the demo borough and bench/monitoring_import.py.

Nothing here is real. People are drawn with an ethnic group, age, sex and home area; events are drawn
from people, and each event's measure depends on the person's group, so the extract shows the kind of
disproportionality trusts report (Black Caribbean and Black African people detained three to five times
as often as White British people per head of population) and imperfect ethnic coding (about 9% of
records "not stated", "not known" or blank). The columns are the activity import's
(``waymark.monitoring.imports``). Written in chunks, so ten million rows need little memory.
"""

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

COLUMNS = ["person_id", "ethnic_code", "age", "sex", "area_code", "provider_code", "service", "measure", "date"]
MEASURES = ["referral", "first_contact", "admission", "mha_detention", "cto", "restraint", "seclusion"]
# Share of all events that are each measure, for a White British person.
MEASURE_BASE = np.array([0.46, 0.30, 0.09, 0.05, 0.02, 0.05, 0.03])
SERVICES = {
    "referral": "SPA",
    "first_contact": "CMHT",
    "admission": "Ward",
    "mha_detention": "Ward",
    "cto": "CMHT",
    "restraint": "Ward",
    "seclusion": "PICU",
}

# NHS ethnic category → (how often the group is in contact with services, per head, relative to White
# British; multipliers for admission, MHA detention, CTO, restraint, seclusion). Shaped on the published
# pattern (NHS Digital Mental Health Act statistics), not copied from any one year.
GROUP_PROFILE: dict[str, tuple[float, tuple[float, float, float, float, float]]] = {
    "A": (1.0, (1.0, 1.0, 1.0, 1.0, 1.0)),
    "B": (1.0, (1.0, 1.1, 1.1, 1.0, 1.0)),
    "C": (0.7, (1.1, 1.6, 1.5, 1.2, 1.3)),
    "D": (1.1, (1.4, 2.6, 3.0, 1.6, 1.8)),
    "E": (1.0, (1.3, 2.2, 2.5, 1.5, 1.6)),
    "F": (0.8, (1.0, 1.2, 1.2, 1.0, 1.0)),
    "G": (1.0, (1.2, 1.8, 2.0, 1.3, 1.4)),
    "H": (0.6, (1.0, 1.2, 1.3, 0.9, 1.0)),
    "J": (0.7, (1.1, 1.5, 1.6, 1.0, 1.1)),
    "K": (0.7, (1.1, 1.6, 1.7, 1.0, 1.1)),
    "L": (0.7, (1.2, 1.9, 2.0, 1.2, 1.3)),
    "M": (1.2, (1.8, 3.6, 6.0, 2.2, 2.6)),
    "N": (1.0, (1.9, 3.8, 5.0, 2.0, 2.4)),
    "P": (1.2, (2.0, 3.8, 6.5, 2.3, 2.7)),
    "R": (0.4, (0.9, 1.0, 1.0, 0.8, 0.8)),
    "S": (0.8, (1.3, 2.2, 2.5, 1.4, 1.5)),
}
# How a record's ethnic code is missing when it is: not stated (Z), not known (99), or left blank.
MISSING_CODES = (("Z", 0.55), ("99", 0.38), ("", 0.07))
# Integer ages of people in contact with adult mental health services: weights for 5-year bands 0-4 … 85+.
AGE_WEIGHTS = np.array([0.2, 0.6, 2.5, 5.0, 9.0, 10.0, 10.0, 9.5, 9.0, 8.5, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.5])


@dataclass(frozen=True)
class ExtractSpec:
    """What to generate. ``group_weights`` and ``area_weights`` are population shares (any scale)."""

    provider_code: str
    area_codes: Sequence[str]
    group_weights: Mapping[str, float]
    start: datetime.date
    end: datetime.date
    rows: int
    area_weights: Sequence[float] | None = None
    events_per_person: float = 4.0
    completeness: float = 0.91
    missing_area_share: float = 0.01
    seed: int = 1
    chunk_rows: int = 1_000_000
    # (parent NHS code, local sub-category code, share of the parent's coded records that use it)
    sub_categories: Sequence[tuple[str, str, float]] = ()


def _probabilities(weights: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def measure_probabilities(groups: Sequence[str]) -> np.ndarray:
    """Rows: groups; columns: MEASURES; each row sums to 1."""
    table = np.empty((len(groups), len(MEASURES)))
    for row, code in enumerate(groups):
        _contact, multipliers = GROUP_PROFILE[code]
        weights = MEASURE_BASE.copy()
        weights[2:] *= multipliers
        table[row] = weights / weights.sum()
    return table


def generate_chunks(spec: ExtractSpec) -> Iterator[pl.DataFrame]:
    """The extract as DataFrames of up to ``spec.chunk_rows`` rows, all columns text as in a CSV."""
    rng = np.random.default_rng(spec.seed)
    groups = [code for code in spec.group_weights if code in GROUP_PROFILE]
    population_share = _probabilities([spec.group_weights[code] for code in groups])
    contact = np.array([GROUP_PROFILE[code][0] for code in groups])
    people = max(1, int(spec.rows / spec.events_per_person))
    person_group = rng.choice(len(groups), size=people, p=_probabilities(population_share * contact))
    person_age = np.minimum(
        rng.choice(len(AGE_WEIGHTS), size=people, p=_probabilities(AGE_WEIGHTS)) * 5 + rng.integers(0, 5, people), 99
    )
    person_sex = rng.integers(0, 2, people)
    area_probabilities = _probabilities(spec.area_weights or [1.0] * len(spec.area_codes))
    person_area = rng.choice(len(spec.area_codes), size=people, p=area_probabilities)
    measure_table = np.cumsum(measure_probabilities(groups), axis=1)
    first_day = spec.start.toordinal()
    days = spec.end.toordinal() - first_day + 1
    missing_codes = [code for code, _share in MISSING_CODES]
    missing_share = _probabilities([share for _code, share in MISSING_CODES])
    epoch = datetime.date(1970, 1, 1).toordinal()
    remaining = spec.rows
    while remaining > 0:
        size = min(spec.chunk_rows, remaining)
        remaining -= size
        person = rng.integers(0, people, size)
        group = person_group[person]
        measure = (rng.random(size)[:, None] > measure_table[group]).sum(axis=1).clip(0, len(MEASURES) - 1)
        coded = rng.random(size) < spec.completeness
        missing = rng.choice(len(missing_codes), size=size, p=missing_share)
        no_area = rng.random(size) < spec.missing_area_share
        date = rng.integers(0, days, size) + (first_day - epoch)
        frame = pl.DataFrame(
            {
                "person": person,
                "group": group.astype(np.int32),
                "coded": coded,
                "missing": missing.astype(np.int32),
                "age": person_age[person],
                "sex": person_sex[person],
                "area": person_area[person].astype(np.int32),
                "no_area": no_area,
                "measure": measure.astype(np.int32),
                "date": date.astype(np.int32),
            }
        )
        chunk = frame.select(
            pl.format("{}-{}", pl.lit(spec.provider_code), pl.col("person").cast(pl.String).str.zfill(8)).alias(
                "person_id"
            ),
            pl.when(pl.col("coded"))
            .then(pl.col("group").replace_strict(dict(enumerate(groups)), return_dtype=pl.String))
            .otherwise(pl.col("missing").replace_strict(dict(enumerate(missing_codes)), return_dtype=pl.String))
            .alias("ethnic_code"),
            pl.col("age").cast(pl.String),
            pl.when(pl.col("sex") == 0).then(pl.lit("F")).otherwise(pl.lit("M")).alias("sex"),
            pl.when(pl.col("no_area"))
            .then(pl.lit(""))
            .otherwise(pl.col("area").replace_strict(dict(enumerate(spec.area_codes)), return_dtype=pl.String))
            .alias("area_code"),
            pl.lit(spec.provider_code).alias("provider_code"),
            pl.col("measure").replace_strict({i: SERVICES[m] for i, m in enumerate(MEASURES)}).alias("service"),
            pl.col("measure").replace_strict(dict(enumerate(MEASURES)), return_dtype=pl.String).alias("measure"),
            pl.col("date").cast(pl.Date).dt.strftime("%Y-%m-%d").alias("date"),
        )
        if spec.sub_categories:
            chunk = _use_sub_categories(chunk, spec.sub_categories, rng.random(size))
        yield chunk


def _use_sub_categories(chunk: pl.DataFrame, subs: Sequence[tuple[str, str, float]], draw: np.ndarray) -> pl.DataFrame:
    """Recode a share of each parent code's records to its local sub-categories."""
    code = pl.col("ethnic_code")
    expression = code
    below: dict[str, float] = {}
    for parent, local, share in subs:
        low = below.get(parent, 0.0)
        below[parent] = low + share
        chosen = (code == parent) & (pl.col("_draw") >= low) & (pl.col("_draw") < low + share)
        expression = pl.when(chosen).then(pl.lit(local)).otherwise(expression)
    return chunk.with_columns(pl.Series("_draw", draw)).with_columns(expression.alias("ethnic_code")).drop("_draw")


def write_extract(spec: ExtractSpec, path: Path) -> Path:
    """Write the extract as CSV, replacing any earlier file only once it is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as handle:
        for index, chunk in enumerate(generate_chunks(spec)):
            chunk.write_csv(handle, include_header=index == 0)
    partial.replace(path)
    return path
