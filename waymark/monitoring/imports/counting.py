"""Counting valid activity records: events by month and cell, data quality by month and measure, and
distinct people for every roll-up, each with its JSON map of age and sex cells.

The counting is done over whole arrays (``waymark.monitoring.cells``), not record by record; its speed
is measured by ``bench/monitoring_import.py``."""

import datetime
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from waymark.monitoring.cells import (
    count_cells,
    count_packed,
    first_records,
    pack,
    packed_type,
    run_starts,
    same_person_and_measure,
    sort_records,
    unpack,
)
from waymark.monitoring.choices import PeriodType
from waymark.monitoring.imports.lookups import (
    AGE_BAND_LIST,
    CODE_KIND_INVALID,
    CODE_KIND_NOT_KNOWN,
    CODE_KIND_NOT_STATED,
    CODE_KIND_STATED,
    MEASURES,
    SEXES,
    AreaLookup,
    CodeTable,
)
from waymark.monitoring.imports.periods import activity_scope, partial_periods_note, period_start_of, whole_periods
from waymark.monitoring.imports.writing import PreparedImport
from waymark.monitoring.models import (
    ActivityCount,
    DataQualityFigure,
    ImportBatch,
    PeopleCount,
)


@dataclass
class ActivityRecords:
    """Valid records as small integer indexes, ready to count (record-level rows go no further)."""

    person: Future[np.ndarray]  # each record's person numbered 0, 1, 2 … (from a 64-bit hash of the id)
    code: np.ndarray  # index in CodeTable, or len(group_ids) where blank or not a code
    age: np.ndarray  # index in AGE_BAND_LIST
    sex: np.ndarray  # index in SEXES
    area: np.ndarray  # 1 + index in area_ids, or 0 where blank
    measure: np.ndarray  # index in MEASURES
    day: np.ndarray  # days since the start of the import period
    area_ids: list[int]  # Area ids in the file, in index order
    codes: CodeTable  # what the code indexes stand for
    areas: AreaLookup  # the areas each area belongs to

    def __len__(self) -> int:
        return len(self.day)


ACTIVITY_FIELDS = [
    "provider_id",
    "measure",
    "period_start",
    "area_id",
    "ethnic_group_id",
    "local_sub_category_id",
    "events",
    "by_age_sex",
]
QUALITY_FIELDS = [
    "provider_id",
    "measure",
    "period_start",
    "records",
    "valid_stated",
    "not_stated",
    "not_known",
    "invalid_code",
    "missing_area",
]
PEOPLE_FIELDS = [
    "provider_id",
    "measure",
    "period_type",
    "period_start",
    "area_id",
    "ethnic_group_id",
    "people",
    "by_age_sex",
]
# age index * 3 + sex index → the quoted JSON key of that cell, e.g. '"25-29|female"'
CELL_KEYS = {
    age * len(SEXES) + sex_index: json.dumps(f"{band}|{sex}")
    for age, band in enumerate(AGE_BAND_LIST)
    for sex_index, sex in enumerate(SEXES)
}


def collapse_age_sex(cells: pl.DataFrame, keys: list[str], count: str) -> pl.DataFrame:
    """One row per ``keys`` with the total ``count`` and ``by_age_sex``, a JSON map of the non-zero cells."""
    cell = (pl.col("age_index").cast(pl.Int64) * len(SEXES) + pl.col("sex_index").cast(pl.Int64)).replace_strict(
        CELL_KEYS, return_dtype=pl.String
    )
    return (
        cells.filter(pl.col(count) > 0)
        .with_columns(pl.concat_str([cell, pl.lit(":"), pl.col(count).cast(pl.String)]).alias("_pair"))
        .group_by(keys)
        .agg(pl.col(count).sum(), pl.col("_pair").str.join(","))
        .with_columns(pl.concat_str([pl.lit("{"), pl.col("_pair"), pl.lit("}")]).alias("by_age_sex"))
        .drop("_pair")
    )


AGE_SEX_CELLS = len(AGE_BAND_LIST) * len(SEXES)


PAIR_TEXTS_BELOW = 100  # counts below this have their '"band|sex":count' text made once, in _pair_texts


@cache
def _pair_texts() -> tuple[pl.Series, np.ndarray]:
    """The text of every age and sex cell with every small count, and each text's length."""
    texts = [f"{CELL_KEYS[cell]}:{count}" for cell in range(AGE_SEX_CELLS) for count in range(PAIR_TEXTS_BELOW)]
    return pl.Series(texts), np.array([len(text) for text in texts])


def by_age_sex(cells: np.ndarray, counts: np.ndarray) -> pl.DataFrame:
    """Counted cells packed with age band and sex last (``cells`` in increasing order), one row per the rest.

    Returns ``outer`` (the cell without age and sex), ``total`` and ``by_age_sex``, a JSON map of the
    non-zero age and sex cells: the same as ``collapse_age_sex`` gives. As the cells are in order, each
    map's pairs are next to each other: they are joined into one text and cut at the maps' ends, which is
    about twice as fast as joining them map by map.
    """
    schema = {"outer": pl.Int64, "total": pl.Int64, "by_age_sex": pl.String}
    if not len(cells):
        return pl.DataFrame(schema=schema)
    outer = cells // AGE_SEX_CELLS
    first = np.ones(len(cells), dtype=bool)
    first[1:] = outer[1:] != outer[:-1]
    starts, ends = np.flatnonzero(first), np.flatnonzero(np.append(first[1:], True))
    cell = cells % AGE_SEX_CELLS
    small = counts < PAIR_TEXTS_BELOW
    index = cell * PAIR_TEXTS_BELOW + np.where(small, counts, 0)
    texts, lengths = _pair_texts()
    pairs, pair_lengths = texts.gather(index), lengths[index]
    large = np.flatnonzero(~small)
    if len(large):
        large_texts = [f"{CELL_KEYS[c]}:{n}" for c, n in zip(cell[large].tolist(), counts[large].tolist(), strict=True)]
        pairs = pairs.scatter(large, large_texts)
        pair_lengths[large] = [len(text) for text in large_texts]
    text = pairs.str.join(",").item()  # ASCII only, so character and byte offsets agree
    offsets = np.concatenate(([0], np.cumsum(pair_lengths + 1)[:-1]))
    begins, finishes = offsets[starts].tolist(), (offsets[ends] + pair_lengths[ends]).tolist()
    return pl.DataFrame(
        {
            "outer": outer[starts],
            "total": np.add.reduceat(counts, starts),
            "by_age_sex": ["{" + text[begin:finish] + "}" for begin, finish in zip(begins, finishes, strict=True)],
        },
        schema=schema,
    )


def in_background[**P, R](function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """Start ``function`` on a thread of its own and return its future result."""
    executor = ThreadPoolExecutor(max_workers=1)
    try:
        return executor.submit(function, *args, **kwargs)
    finally:
        executor.shutdown(wait=False)  # the thread ends when the function returns


def _gather(values: list[Any], index: str, dtype: Any = pl.Int64) -> pl.Expr:
    """``values[index]`` for each row, where ``values`` is a short Python list (None allowed)."""
    return pl.lit(pl.Series(values, dtype=dtype)).gather(pl.col(index))


def aggregate_activity(batch: ImportBatch, records: ActivityRecords) -> PreparedImport:
    """Events by month and cell, data quality by month and measure, and distinct people per roll-up."""
    codes = records.codes
    assert batch.provider is not None and batch.period_start is not None and batch.period_end is not None
    days = [
        batch.period_start + datetime.timedelta(days=offset)
        for offset in range((batch.period_end - batch.period_start).days + 1)
    ]
    # Distinct people take longest: counted on a thread of their own (NumPy and polars release the GIL),
    # they overlap the events and, in run_import, the writing of the events.
    people = in_background(count_people, batch, records, days)
    months = whole_periods(PeriodType.MONTH, batch.period_start, batch.period_end)
    month_of_day = np.array([months.index(day.replace(day=1)) for day in days], dtype=np.int32)
    month = month_of_day[records.day]
    provider = pl.lit(batch.provider.pk, pl.Int64).alias("provider_id")
    measure_name = _gather(MEASURES, "measure", pl.String).alias("measure")
    none_code = len(codes.group_ids)
    area_count = len(records.area_ids) + 1
    area_id = _gather([None, *records.area_ids], "area").alias("area_id")

    outer_sizes = [len(months), area_count, len(MEASURES), none_code + 1]
    collapsed = by_age_sex(
        *count_packed(
            *pack(
                [
                    (month, len(months)),
                    (records.area, area_count),
                    (records.measure, len(MEASURES)),
                    (records.code, none_code + 1),
                    (records.age, len(AGE_BAND_LIST)),
                    (records.sex, len(SEXES)),
                ]
            )
        )
    )
    cell_month, cell_area, cell_measure, cell_code = unpack(collapsed["outer"].to_numpy(), outer_sizes)
    events = collapsed.with_columns(month=cell_month, area=cell_area, measure=cell_measure, code=cell_code).select(
        provider,
        measure_name,
        _gather(months, "month", pl.Date).alias("period_start"),
        area_id,
        _gather([*codes.group_ids, None], "code").alias("ethnic_group_id"),
        _gather([*codes.sub_ids, None], "code").alias("local_sub_category_id"),
        pl.col("total").alias("events"),
        "by_age_sex",
    )

    kind = np.array([*codes.kinds, CODE_KIND_INVALID], dtype=np.uint8)[records.code]
    (q_month, q_measure, q_kind, q_no_area), q_counts = count_cells(
        [(month, len(months)), (records.measure, len(MEASURES)), (kind, 4), ((records.area == 0).astype(np.uint8), 2)]
    )
    by_kind = pl.DataFrame(
        {"month": q_month, "measure": q_measure, "kind": q_kind, "no_area": q_no_area, "records": q_counts}
    )
    records_of = pl.col("records")
    quality = (
        by_kind.group_by("month", "measure")
        .agg(
            records_of.sum().alias("records"),
            records_of.filter(pl.col("kind") == CODE_KIND_STATED).sum().alias("valid_stated"),
            records_of.filter(pl.col("kind") == CODE_KIND_NOT_STATED).sum().alias("not_stated"),
            records_of.filter(pl.col("kind") == CODE_KIND_NOT_KNOWN).sum().alias("not_known"),
            records_of.filter(pl.col("kind") == CODE_KIND_INVALID).sum().alias("invalid_code"),
            records_of.filter(pl.col("no_area") == 1).sum().alias("missing_area"),
        )
        .sort("month", "measure")
        .select(
            provider,
            measure_name,
            _gather(months, "month", pl.Date).alias("period_start"),
            *QUALITY_FIELDS[3:],
        )
    )
    measures = sorted(quality["measure"].unique().to_list(), key=MEASURES.index)
    return PreparedImport(
        rows_read=len(records),
        tables=[
            (ActivityCount, ACTIVITY_FIELDS, events),
            (DataQualityFigure, QUALITY_FIELDS, quality),
            (PeopleCount, PEOPLE_FIELDS, people),
        ],
        measures=measures,
        replace_scope=activity_scope(measures),
        note=partial_periods_note(batch.period_start, batch.period_end),
    )


def count_people(batch: ImportBatch, records: ActivityRecords, days: list[datetime.date]) -> pl.DataFrame:
    """Distinct people for every roll-up: month, quarter, year x all areas and each coarse area.

    Each person is counted once per roll-up, under the ethnic group (sub-categories count under their
    parent), age band and sex of their earliest record there. Quarter and year figures are written only
    for periods the import covers wholly. How: ``waymark.monitoring.cells``.
    """
    assert batch.period_start is not None and batch.period_end is not None
    codes, areas = records.codes, records.areas
    person = records.person.result()
    group_ids = list(dict.fromkeys(group_id for group_id in codes.group_ids if group_id is not None))
    no_group = len(group_ids)
    group_of_code = np.array(
        [group_ids.index(group_id) if group_id is not None else no_group for group_id in codes.group_ids] + [no_group],
        dtype=np.uint8,
    )
    sorted_records = sort_records(
        {
            "person": person,
            "measure": records.measure,
            "day": records.day,
            "group": group_of_code[records.code],
            "age": records.age,
            "sex": records.sex,
            "area": records.area,
        },
        {
            "person": int(person.max()) + 1,
            "measure": len(MEASURES),
            "day": len(days),
            "group": no_group + 1,
            "age": len(AGE_BAND_LIST),
            "sex": len(SEXES),
            "area": len(records.area_ids) + 1,
        },
    )
    same = same_person_and_measure(sorted_records)
    attributes, attribute_space = pack(
        [
            (sorted_records["measure"], len(MEASURES)),
            (sorted_records["group"], no_group + 1),
            (sorted_records["age"], len(AGE_BAND_LIST)),
            (sorted_records["sex"], len(SEXES)),
        ]
    )
    # Area levels: all areas together, then each coarse level with the area index of each record there.
    levels: list[tuple[list[int | None], np.ndarray | None]] = [([None], None)]
    for level in sorted(areas.levels):
        ancestor = areas.levels[level]
        ancestor_ids = sorted({ancestor[area] for area in records.area_ids if area in ancestor})
        if ancestor_ids:
            position = {area: index for index, area in enumerate(ancestor_ids)}
            area_of = np.array(
                [-1] + [position.get(ancestor.get(area, -1), -1) for area in records.area_ids], dtype=np.int32
            )
            levels.append((list(ancestor_ids), area_of[sorted_records["area"]]))

    def roll_up(period_type: PeriodType, level_ids: list[int | None], area: np.ndarray | None) -> pl.DataFrame:
        period_starts, period, starts = periods[period_type]
        space = len(period_starts) * len(level_ids) * attribute_space
        cell_type = packed_type(space)
        if area is None:
            keep = starts & (period >= 0)
            outer = period[keep].astype(cell_type)
        else:
            keep = first_records(starts, area, len(level_ids)) & (period >= 0) & (area >= 0)
            outer = period[keep].astype(cell_type) * len(level_ids) + area[keep]
        collapsed = by_age_sex(*count_packed(outer * attribute_space + attributes[keep], space))
        cell_period, cell_area, cell_measure, cell_group = unpack(
            collapsed["outer"].to_numpy(), [len(period_starts), len(level_ids), len(MEASURES), no_group + 1]
        )
        cells = collapsed.with_columns(period=cell_period, area=cell_area, measure=cell_measure, group=cell_group)
        return cells.select(
            pl.lit(batch.provider_id, pl.Int64).alias("provider_id"),
            _gather(MEASURES, "measure", pl.String).alias("measure"),
            pl.lit(str(period_type)).alias("period_type"),
            _gather(period_starts, "period", pl.Date).alias("period_start"),
            _gather(level_ids, "area").alias("area_id"),
            _gather([*group_ids, None], "group").alias("ethnic_group_id"),
            pl.col("total").alias("people"),
            "by_age_sex",
        )

    # Each period type's whole periods, every record's period index (-1 outside them) and where runs start.
    periods: dict[PeriodType, tuple[list[datetime.date], np.ndarray, np.ndarray]] = {}
    for period_type in (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.YEAR):
        period_starts = whole_periods(period_type, batch.period_start, batch.period_end)
        if period_starts:
            index_of_start = {start: index for index, start in enumerate(period_starts)}
            period_of_day = np.array(
                [index_of_start.get(period_start_of(period_type, day), -1) for day in days], dtype=np.int32
            )
            period = period_of_day[sorted_records["day"]]
            periods[period_type] = (period_starts, period, run_starts(period, same))
    # The roll-ups are independent, and NumPy lets go of the GIL in its loops: two at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda job: roll_up(*job),
                [(period_type, level_ids, area) for period_type in periods for level_ids, area in levels],
            )
        )
    return pl.concat(results)
