"""What was wrong with a file: the first 1,000 errors by row and field, and all of them counted.

A check is a boolean expression over a whole frame; a row's failed checks are gathered into one bit
mask, so every row is checked without a loop over the rows."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl

MAX_LISTED_ERRORS = 1000


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why in plain words."""


@dataclass
class ErrorLog:
    """The first 1,000 errors in full, and every error counted by field and message."""

    listed: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, row: int | None, field_name: str, value: Any, message: str) -> None:
        self.counts[(field_name, message)] += 1
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append({"row": row, "field": field_name, "value": shown(value), "message": message})

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> list[dict[str, Any]]:
        return [
            {"field": field_name, "message": message, "count": count}
            for (field_name, message), count in sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        ]


def shown(value: Any) -> str:
    """A value as the error list shows it; NUL characters, which PostgreSQL cannot store, are dropped."""
    text = "" if value is None else str(value).replace("\x00", "")
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Check:
    """One validation rule over a prepared frame: ``failed`` is a boolean expression per row."""

    field: str
    message: str
    failed: pl.Expr


def collect_errors(frame: pl.DataFrame, raw: pl.DataFrame, checks: list[Check], log: ErrorLog) -> None:
    """Add every failed check to ``log``: counts for all, details (row, field, value) for the first 1,000.

    ``frame`` holds ``row`` plus the ``_err`` bit mask (bit i = checks[i] failed); ``raw`` holds the raw
    text of the rows with errors, keyed by ``row``.
    """
    failed = frame.filter(pl.col("_err") != 0)
    if failed.is_empty():
        return
    for index, check in enumerate(checks):
        count = failed.select(((pl.col("_err") & (1 << index)) != 0).sum()).item()
        if count:
            log.counts[(check.field, check.message)] += count
    raw_by_row = {row["row"]: row for row in raw.iter_rows(named=True)}
    for row, mask in failed.select("row", "_err").head(MAX_LISTED_ERRORS).iter_rows():
        for index, check in enumerate(checks):
            if mask & (1 << index) and len(log.listed) < MAX_LISTED_ERRORS:
                value = raw_by_row.get(row, {}).get(check.field)
                log.listed.append({"row": row, "field": check.field, "value": shown(value), "message": check.message})


def error_mask(checks: list[Check]) -> pl.Expr:
    """A UInt32 bit mask of the failed checks (0 = the row is valid)."""
    bits = [
        pl.when(check.failed).then(pl.lit(1 << i, pl.UInt32)).otherwise(pl.lit(0, pl.UInt32))
        for i, check in enumerate(checks)
    ]
    return pl.sum_horizontal(bits).cast(pl.UInt32).alias("_err") if bits else pl.lit(0, pl.UInt32).alias("_err")
