"""Counting records by cell and distinct people per roll-up, over whole NumPy arrays (no Django).

The record-level import turns every column into a small integer index first (``imports``); what is left
is counting, which these functions do without a Python loop per record:

- ``count_cells`` counts records by a combination of small indexes: ``pack`` makes the combination one
  integer, ``count_packed`` counts with ``np.bincount`` (or ``np.unique`` where the packed space is too
  large for a table) and ``unpack`` splits the counted cells into their fields again.
- ``sort_records`` puts records in (person, measure, day, group, age, sex, area) order. The fields are
  packed into one unsigned 64-bit key where their widths allow, and NumPy sorts plain 64-bit integers
  far faster than it sorts by several columns; otherwise it falls back to ``np.lexsort``.
- ``run_starts`` and ``first_records`` mark each person's earliest record in every cell of a roll-up
  (measure, period and area at one level). After the sort a person's records for one measure sit together
  in time order, so the earliest in a (person, measure, period) run is simply the run's first record.
  Where a run holds records in more than one area of the level (a person who moved within the month), the
  earliest per area is found with ``np.unique`` on just those runs.

Distinct people cannot be added up across periods or areas (a person seen in May and June is one person
in the quarter), so each roll-up is counted from the records, never from smaller roll-ups' totals.
"""

from collections.abc import Sequence

import numpy as np

# Packed cell spaces up to this size are counted with a dense table (np.bincount), larger ones by sorting.
DENSE_CELLS = 1 << 23
SORT_FIELDS = ("person", "measure", "day", "group", "age", "sex", "area")


def _bits(size: int) -> int:
    """Bits needed to hold the values 0 … size - 1."""
    return max(1, (size - 1).bit_length())


def _smallest_unsigned(size: int) -> type[np.unsignedinteger]:
    for dtype in (np.uint8, np.uint16, np.uint32):
        if size <= np.iinfo(dtype).max + 1:
            return dtype
    return np.uint64


def pack(fields: Sequence[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One integer per record for the combination of ``fields`` (index arrays with their number of values),
    and the number of combinations there could be. The first field varies slowest."""
    space = 1
    for _values, size in fields:
        space *= size
    if space >= 1 << 63:
        raise ValueError("Too many combinations to count in one pass.")
    packed = np.zeros(len(fields[0][0]), dtype=packed_type(space))
    for values, size in fields:
        packed *= size
        packed += values
    return packed, space


def packed_type(space: int) -> type[np.signedinteger]:
    """The narrowest integer type for packed cells: half the memory, and faster, where 32 bits will do."""
    return np.int32 if space < 1 << 31 else np.int64


def unpack(cells: np.ndarray, sizes: Sequence[int]) -> list[np.ndarray]:
    """The fields of packed ``cells`` again, one array per size, in the order ``pack`` took them."""
    decoded = []
    for size in reversed(sizes):
        decoded.append((cells % size).astype(_smallest_unsigned(size)))
        cells = cells // size
    return decoded[::-1]


def count_packed(packed: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct packed cells in increasing order and how many records each holds."""
    if space <= DENSE_CELLS:
        table = np.bincount(packed, minlength=space)
        cells = np.flatnonzero(table)
        return cells, table[cells].astype(np.int64)
    cells, counts = np.unique(packed, return_counts=True)
    return cells, counts.astype(np.int64)


def count_cells(fields: Sequence[tuple[np.ndarray, int]]) -> tuple[list[np.ndarray], np.ndarray]:
    """Count records by the combination of ``fields`` (each an index array and its number of values).

    Returns the non-empty cells, one array per field in the order given, and their counts, ordered by the
    fields from first to last (so cells differing only in the last fields are next to each other).
    """
    cells, counts = count_packed(*pack(fields))
    return unpack(cells, [size for _values, size in fields]), counts


def sort_records(columns: dict[str, np.ndarray], sizes: dict[str, int]) -> dict[str, np.ndarray]:
    """The records in ``SORT_FIELDS`` order; every column holds indexes 0 … sizes[name] - 1."""
    widths = {name: _bits(sizes[name]) for name in SORT_FIELDS}
    if sum(widths.values()) > 64:
        order = np.lexsort([columns[name] for name in reversed(SORT_FIELDS)])
        return {name: columns[name][order] for name in SORT_FIELDS}
    key = np.zeros(len(columns["person"]), dtype=np.uint64)
    for name in SORT_FIELDS:
        key <<= np.uint64(widths[name])
        key |= columns[name].astype(np.uint64)
    key.sort()
    result = {}
    for name in reversed(SORT_FIELDS):
        result[name] = (key & np.uint64((1 << widths[name]) - 1)).astype(_smallest_unsigned(sizes[name]))
        key >>= np.uint64(widths[name])
    return result


def same_person_and_measure(records: dict[str, np.ndarray]) -> np.ndarray:
    """For sorted records: True where a record has the same person and measure as the one before it."""
    person, measure = records["person"], records["measure"]
    same = np.zeros(len(person), dtype=bool)
    same[1:] = (person[1:] == person[:-1]) & (measure[1:] == measure[:-1])
    return same


def run_starts(period: np.ndarray, same: np.ndarray) -> np.ndarray:
    """For sorted records: True where a (person, measure, period) run starts.

    ``period`` is each record's period index and ``same`` is ``same_person_and_measure``. As records are
    in time order within a person and measure, the first record of a run is that person's earliest there.
    """
    starts = np.ones(len(period), dtype=bool)
    starts[1:] = ~(same[1:] & (period[1:] == period[:-1]))
    return starts


def first_records(starts: np.ndarray, area: np.ndarray, area_count: int) -> np.ndarray:
    """Mark each person's earliest record per (measure, period, area), given the ``run_starts``.

    ``area`` is each record's area index at one level (0 … area_count - 1, or -1 for none). Most runs keep to
    one area, and their first record is the one; in runs that move between areas, the records are sorted by
    (run, area, position), packed into one integer, and the first of each (run, area) is the one. The
    packed integers stay far below 2**63: runs that move are few, and areas at one level a few hundred.
    """
    first = starts.copy()
    moved = np.zeros(len(area), dtype=bool)
    moved[1:] = (area[1:] != area[:-1]) & ~starts[1:]
    if moved.any():
        # The runs that move, and their records (few: working them out for every record costs far more).
        run_begins = np.flatnonzero(starts)
        mixed = np.unique(np.searchsorted(run_begins, np.flatnonzero(moved), side="right") - 1)
        begins, lengths = run_begins[mixed], np.append(run_begins, len(area))[mixed + 1] - run_begins[mixed]
        run = np.repeat(np.arange(len(mixed), dtype=np.int64), lengths)
        rows = np.arange(len(run)) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(begins, lengths)
        pairs = run * (area_count + 1) + (area[rows] + 1)
        # Sorted by (run, area, position), the first record of each (run, area) comes first.
        ordered = pairs * len(rows) + np.arange(len(rows))
        ordered.sort()
        pair_starts = np.ones(len(rows), dtype=bool)
        pair_starts[1:] = ordered[1:] // len(rows) != ordered[:-1] // len(rows)
        first[rows] = False
        first[rows[ordered[pair_starts] % len(rows)]] = True
    return first
