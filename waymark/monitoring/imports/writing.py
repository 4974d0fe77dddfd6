"""What a valid file writes (``PreparedImport``) and how its rows reach the database fast: PostgreSQL
COPY, or many rows a statement on SQLite."""

import io
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.db.models import Model

from waymark.monitoring.models import (
    ImportBatch,
)


@dataclass
class PreparedImport:
    """What a valid file will write: frames per model, and the rule for what it replaces."""

    rows_read: int
    rows_invalid: int = 0
    tables: list[tuple[type[Model], list[str], pl.DataFrame | Future[pl.DataFrame]]] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    replace_scope: Callable[[ImportBatch], list[ImportBatch]] = lambda batch: []
    note: str = ""


SQLITE_ROWS_A_STATEMENT = 100  # SQLite binds at most 32,766 values in one statement


def insert_frame(model: type[Model], fields: list[str], frame: pl.DataFrame, batch_id: int) -> int:
    """Insert a frame's rows for one batch fast: PostgreSQL COPY, or one executemany on SQLite.

    Rows go in the order of the model's first index, so the index grows at its end instead of being
    rewritten all over (a large import writes about a third faster). Returns the row count.
    """
    if frame.is_empty():
        return 0
    meta = model._meta
    columns = [str(getattr(meta.get_field(name), "column", name)) for name in fields]
    frame = frame.select([pl.col(name).alias(column) for name, column in zip(fields, columns, strict=True)])
    if meta.indexes:
        index_columns = [str(getattr(meta.get_field(name), "column", name)) for name in meta.indexes[0].fields]
        frame = frame.sort([column for column in index_columns if column in columns])
    quoted = ", ".join(connection.ops.quote_name(column) for column in [*columns, "batch_id"])
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.with_columns(pl.lit(batch_id).alias("batch_id")).write_csv(
            buffer, include_header=False, date_format="%Y-%m-%d"
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {meta.db_table} ({quoted}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(buffer.getvalue())
    else:
        # Straight to the sqlite3 driver (Django's cursor wrapper rewrites every row's parameters), many rows
        # a statement (half the time of one row a statement). The batch is the same for every row, so it is
        # written into the statement rather than bound each time.
        connection.ensure_connection()
        row = "(" + ", ".join(["?"] * len(columns)) + f", {int(batch_id)})"

        def insert(rows: int) -> str:
            return f"INSERT INTO {meta.db_table} ({quoted}) VALUES " + ", ".join([row] * rows)  # noqa: S608

        records = frame.with_columns(pl.col(pl.Date).cast(pl.String)).iter_rows()
        values = [value for record in records for value in record]
        step = SQLITE_ROWS_A_STATEMENT * len(columns)
        whole = len(values) // step * step
        if whole:
            connection.connection.executemany(
                insert(SQLITE_ROWS_A_STATEMENT), (values[start : start + step] for start in range(0, whole, step))
            )
        if whole < len(values):
            connection.connection.execute(insert((len(values) - whole) // len(columns)), values[whole:])
    return frame.height
