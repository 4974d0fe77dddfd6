"""Statistical disclosure control for every count Waymark publishes.

Any figure that leaves the small circle of people entitled to the underlying data passes through here
first: public pages and API responses, published snapshots, exports for publication, and what anyone
without an access grant sees. Today that is the ``monitoring`` app (provider dashboards and the API for
people without a provider grant, published snapshots and their CSV/XLSX exports); any other app that
publishes counts of people (``voice`` theme counts, ``network`` survey results, ``plans`` indicator
dashboards, ``grants`` beneficiary figures) must use it too rather than rounding on its own.

The rules (``settings.WAYMARK_DISCLOSURE``, read by :meth:`DisclosureRules.from_settings`), following the
convention of NHS England's published Mental Health Services Data Set and Hospital Episode Statistics:

- **Primary suppression**: a count from 1 to ``SUPPRESS_UP_TO`` (7) is not shown.
- **Rounding**: every other count, totals included, is rounded to the nearest ``ROUND_TO`` (5).
- **Zeros are published as 0.** A true zero says that no one is in the cell, which identifies no one,
  and hiding zeros would blank out most small-area tables. The cost is that readers know every
  suppressed cell is at least 1; the protection below is measured with that knowledge.
- **Secondary suppression**: more cells are hidden until no primary-suppressed cell can be pinned to
  1-7 from what is published. The test is the attack itself: for each primary cell, a linear programme
  (``scipy.optimize.linprog``) maximises its value subject to every published cell and total being
  within its rounding interval and at least ``SUPPRESS_UP_TO + 1``, every suppressed cell being at
  least 1, and the table adding up. Cells are added (smallest first, in the same row or column) until
  that maximum is above ``SUPPRESS_UP_TO`` for every primary cell, so the reader can never rule out
  that the hidden count is a large one.

A suppressed cell has ``value`` ``None``: callers show no rate or interval for it.

Cost: one small linear programme per primary cell (and per candidate tried), a few milliseconds each; a
19 x 8 table takes well under a second, a 50 x 19 table full of small counts a few seconds. So a protected
table is kept in Django's cache for ``DISCLOSURE_CACHE_SECONDS`` under a hash of everything it is computed
from (the true counts, how they add up, and the rules): a page viewed again solves nothing, and any change to
the underlying data changes the counts and so the key, so a protected table is never served stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

SMALL_COUNT = "small count"
SECONDARY = "secondary"

# linprog works in floating point; a maximum this close to the threshold counts as reaching it.
_TOLERANCE = 1e-6

# Part of every cache key: change it whenever the method changes, so no table protected the old way is served.
_METHOD_VERSION = 1


@dataclass(frozen=True)
class DisclosureRules:
    """How small a count must be to be hidden, and what published counts are rounded to."""

    suppress_up_to: int = 7
    round_to: int = 5

    def __post_init__(self) -> None:
        if self.suppress_up_to < 0 or self.round_to < 1:
            raise ValueError("suppress_up_to must be 0 or more and round_to 1 or more.")
        if self.suppress_up_to and self.rounded(self.suppress_up_to + 1) == 0:
            # A published 0 must mean a true zero, or readers (and the attack model) would be misled.
            raise ValueError("round_to is too large: the smallest published count would round to 0.")

    @classmethod
    def from_settings(cls) -> Self:
        """The site's rules from ``settings.WAYMARK_DISCLOSURE``."""
        from django.conf import settings

        configured = settings.WAYMARK_DISCLOSURE
        return cls(suppress_up_to=configured["SUPPRESS_UP_TO"], round_to=configured["ROUND_TO"])

    def rounded(self, count: int) -> int:
        """``count`` to the nearest ``round_to``, halves up."""
        return (count + self.round_to // 2) // self.round_to * self.round_to

    def true_range(self, published: int) -> tuple[int, int]:
        """The true counts that :meth:`rounded` publishes as ``published`` (both ends included)."""
        return published - self.round_to // 2, published + self.round_to - self.round_to // 2 - 1


@dataclass(frozen=True)
class PublishedCount:
    """A count as it may be published: rounded, or hidden (``value`` None) with the reason why."""

    value: int | None
    suppressed: bool
    reason: str = ""


@dataclass(frozen=True)
class ProtectedTable:
    """A two-way table with its margins, every cell ready to publish."""

    cells: list[list[PublishedCount]]
    row_totals: list[PublishedCount]
    column_totals: list[PublishedCount]
    grand_total: PublishedCount


@dataclass(frozen=True)
class _Line:
    """One additive constraint of the table: ``total`` is the sum of ``members`` (indices of cells)."""

    total: int
    members: tuple[int, ...]

    @property
    def cells(self) -> tuple[int, ...]:
        return (self.total, *self.members)


def protect_table(rows: Sequence[Sequence[int]], rules: DisclosureRules | None = None) -> ProtectedTable:
    """Suppress, round and secondary-suppress a table of counts and the row, column and grand totals."""
    rules = rules or DisclosureRules.from_settings()
    table = [list(row) for row in rows]
    row_count = len(table)
    column_count = len(table[0]) if table else 0
    if any(len(row) != column_count for row in table):
        raise ValueError("Every row of the table must have the same number of cells.")
    values = [count for row in table for count in row]
    values += [sum(row) for row in table]
    values += [sum(row[j] for row in table) for j in range(column_count)]
    values.append(sum(sum(row) for row in table))

    def row_total(i: int) -> int:
        return row_count * column_count + i

    def column_total(j: int) -> int:
        return row_count * column_count + row_count + j

    grand = len(values) - 1
    lines = [_Line(row_total(i), tuple(i * column_count + j for j in range(column_count))) for i in range(row_count)]
    lines += [
        _Line(column_total(j), tuple(i * column_count + j for i in range(row_count))) for j in range(column_count)
    ]
    lines.append(_Line(grand, tuple(column_total(j) for j in range(column_count))))
    lines.append(_Line(grand, tuple(row_total(i) for i in range(row_count))))
    published = _protect(values, lines, rules)
    return ProtectedTable(
        cells=[published[i * column_count : (i + 1) * column_count] for i in range(row_count)],
        row_totals=[published[row_total(i)] for i in range(row_count)],
        column_totals=[published[column_total(j)] for j in range(column_count)],
        grand_total=published[grand],
    )


def protect_counts[K: Hashable](
    counts: Mapping[K, int], rules: DisclosureRules | None = None
) -> tuple[dict[K, PublishedCount], PublishedCount]:
    """Suppress, round and secondary-suppress a one-way table of counts; returns the cells and the total."""
    rules = rules or DisclosureRules.from_settings()
    keys = list(counts)
    values = [counts[key] for key in keys]
    values.append(sum(values))
    published = _protect(values, [_Line(len(keys), tuple(range(len(keys))))], rules)
    return dict(zip(keys, published, strict=False)), published[-1]


def _protect(values: list[int], lines: list[_Line], rules: DisclosureRules) -> list[PublishedCount]:
    """Primary suppression, then secondary suppression until the linear-programming attack fails."""
    for value in values:
        if isinstance(value, bool) or int(value) != value or value < 0:
            raise ValueError(f"Counts must be whole numbers of 0 or more, not {value!r}.")
    counts = [int(value) for value in values]
    if not any(1 <= value <= rules.suppress_up_to for value in counts):
        return [PublishedCount(rules.rounded(value), False) for value in counts]  # nothing to solve
    from django.conf import settings
    from django.core.cache import cache

    key = _cache_key(counts, lines, rules)
    published: list[PublishedCount] | None = cache.get(key)
    if published is None:
        published = _suppress(counts, lines, rules)
        cache.set(key, published, settings.DISCLOSURE_CACHE_SECONDS)
    return published


def _cache_key(counts: list[int], lines: list[_Line], rules: DisclosureRules) -> str:
    """A key that changes whenever anything the protected table depends on changes."""
    inputs = (_METHOD_VERSION, rules.suppress_up_to, rules.round_to, counts, [line.cells for line in lines])
    return "disclosure:" + hashlib.sha256(repr(inputs).encode()).hexdigest()


def _suppress(counts: list[int], lines: list[_Line], rules: DisclosureRules) -> list[PublishedCount]:
    """The published cells, with every primary cell protected against the linear-programming attack."""
    table = _Table(counts, lines, rules)
    primary = [i for i, value in enumerate(table.values) if 1 <= value <= rules.suppress_up_to]
    suppressed = table.close_lines(set(primary))
    # Hiding a cell only widens what the attacker must allow, so a cell once protected stays protected
    # and one pass over the primary cells is enough.
    for cell in primary:
        while not table.is_protected(cell, suppressed):
            suppressed = table.hide_more(cell, suppressed)
    primary_cells = set(primary)
    return [
        PublishedCount(None, True, SMALL_COUNT if i in primary_cells else SECONDARY)
        if i in suppressed
        else PublishedCount(rules.rounded(value), False)
        for i, value in enumerate(table.values)
    ]


class _Table:
    """A table's true counts and additive lines, with the attack on any choice of hidden cells."""

    def __init__(self, values: list[int], lines: list[_Line], rules: DisclosureRules) -> None:
        self.values = values
        self.lines = lines
        self.rules = rules
        self.totals = {line.total for line in lines}
        self.sort_key = lambda i: (i in self.totals, values[i], i)  # smallest inner counts first
        rows = [row for row, line in enumerate(lines) for _ in line.cells]
        columns = [i for line in lines for i in line.cells]
        signs = [coefficient for line in lines for coefficient in (1, *[-1] * len(line.members))]
        self.equalities = coo_array((signs, (rows, columns)), shape=(len(lines), len(values))).tocsr()
        # What a reader knows of each cell when it is published: its rounding interval, above the limit.
        floor = rules.suppress_up_to + 1
        self.published_low = np.zeros(len(values))
        self.published_high = np.zeros(len(values))
        for i, value in enumerate(values):
            if value:
                low, high = rules.true_range(rules.rounded(value))
                self.published_low[i], self.published_high[i] = max(low, floor), high

    def close_lines(self, suppressed: set[int]) -> set[int]:
        """Hide more cells until no line has exactly one hidden cell (which its total would give away)."""
        suppressed = set(suppressed)
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                if sum(i in suppressed for i in line.cells) != 1:
                    continue
                candidates = [i for i in line.cells if i not in suppressed and self.values[i] > 0]
                if not candidates:  # cannot happen in a table that adds up; nothing left to hide
                    continue
                suppressed.add(min(candidates, key=self.sort_key))
                changed = True
        return suppressed

    def hide_more(self, cell: int, suppressed: set[int]) -> set[int]:
        """Hide the smallest count beside ``cell`` that protects it, or failing that the largest, to go on."""
        neighbours = {i for line in self.lines if cell in line.cells for i in line.cells}
        candidates = [i for i in neighbours if i not in suppressed and self.values[i] > 0] or [
            i for i in range(len(self.values)) if i not in suppressed and self.values[i] > 0
        ]
        candidates.sort(key=self.sort_key)
        for candidate in candidates:
            trial = self.close_lines(suppressed | {candidate})
            if self.is_protected(cell, trial):
                return trial
        return self.close_lines(suppressed | {candidates[-1]})

    def is_protected(self, cell: int, suppressed: set[int]) -> bool:
        """Whether the largest value the published figures allow for ``cell`` is above the limit."""
        hidden = np.zeros(len(self.values), dtype=bool)
        hidden[list(suppressed)] = True
        low = np.where(hidden, 1.0, self.published_low)
        high = np.where(hidden, np.inf, self.published_high)
        objective = np.zeros(len(self.values))
        objective[cell] = -1
        result = linprog(
            objective,
            A_eq=self.equalities,
            b_eq=np.zeros(len(self.lines)),
            bounds=np.column_stack([low, high]),
            method="highs",
        )
        if result.status == 3:  # unbounded: the cell could be any size
            return True
        if result.status != 0:
            raise RuntimeError(f"Disclosure check failed to solve: {result.message}")
        return -result.fun >= self.rules.suppress_up_to + 1 - _TOLERANCE
