"""Reading an uploaded file as a table of text: CSV, XLSX or Parquet, column names matched without
regard to case, spaces or underscores, and the column expressions every kind of import checks with.

A column with few distinct values can be read as categories (``CategoryColumn``), so each distinct
text is checked and looked up once rather than once a record."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from waymark.core.uploads import without_paths
from waymark.monitoring.imports.errors import ErrorLog, UnreadableFile

SUFFIXES = {".csv", ".xlsx", ".parquet"}
FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers them


# Other names files use for the same column.
COLUMN_ALIASES = {
    "provider_ods_code": "provider_code",
    "ods_code": "provider_code",
    "ethnic_category": "ethnic_code",
    "ethnic_category_code": "ethnic_code",
    "ethnicity": "ethnic_code",
}


def _normalise_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def scan_table(path: Path, categorical: Collection[str] = ()) -> pl.LazyFrame:
    """A lazy frame of the file with every column as text and normalised column names, plus ``row``.

    Columns named in ``categorical`` (normalised names) are read as categories, each with categories of its
    own: a column with few distinct values is then held as small integers and each text is stored once.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy")
            names = frame.collect_schema().names()
        elif suffix == ".parquet":
            frame = pl.scan_parquet(path)
            names = frame.collect_schema().names()
            frame = frame.select(pl.all().cast(pl.String))
        elif suffix == ".xlsx":
            eager = pl.read_excel(path, engine="calamine", infer_schema_length=0)
            frame = eager.lazy()
            names = eager.columns
        else:
            raise UnreadableFile(_("Upload a CSV, XLSX or Parquet file."))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise _unreadable(exc) from exc
    renamed = {name: _normalise_name(name) for name in names}
    present = set(renamed.values())
    renamed = {
        name: COLUMN_ALIASES[new] if new in COLUMN_ALIASES and COLUMN_ALIASES[new] not in present else new
        for name, new in renamed.items()
    }
    if len(set(renamed.values())) != len(renamed):
        raise UnreadableFile(_("Two columns have the same name once case and spaces are ignored."))
    as_categories = {
        name: pl.Categorical(pl.Categories.random()) for name, new in renamed.items() if new in categorical
    }
    if as_categories and suffix == ".csv":
        # Parsed straight into categories: the texts of these columns are never held row by row.
        frame = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy", schema_overrides=as_categories)
    elif as_categories:
        frame = frame.with_columns(pl.col(name).cast(dtype) for name, dtype in as_categories.items())
    frame = frame.rename(renamed).with_columns(pl.all().fill_null(""))
    return frame.with_row_index("row", offset=FIRST_DATA_ROW)


def _unreadable(exc: Exception) -> UnreadableFile:
    text = without_paths(str(exc)).replace("\x00", "").strip()
    reason = text.splitlines()[0][:200] if text else type(exc).__name__
    return UnreadableFile(_("The file could not be read as a table: %(reason)s") % {"reason": reason})


def collect(lazy: pl.LazyFrame, *, streaming: bool = False) -> pl.DataFrame:
    """Run a lazy read; a malformed file (ragged rows, bad encoding) becomes an UnreadableFile."""
    try:
        return lazy.collect(engine="streaming" if streaming else "auto")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _unreadable(exc) from exc


def require_columns(names: Iterable[str], required: Iterable[str], log: ErrorLog) -> None:
    present = set(names)
    for column in required:
        if column not in present:
            log.add(None, column, "", _("The file has no %(column)s column.") % {"column": column})


def text_of(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars()


def upper_text_of(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_uppercase()


def index_of(expr: pl.Expr, values: dict[str, int], dtype: Any = pl.Int32) -> pl.Expr:
    """Each value's index in ``values``, or null when it is not there."""
    return expr.replace_strict(values, default=None, return_dtype=dtype)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass
class CategoryColumn:
    """A column read as categories: its distinct texts, and each record's position among them."""

    name: str
    texts: pl.Series
    positions: np.ndarray

    @classmethod
    def of(cls, series: pl.Series) -> "CategoryColumn":
        dtype = series.dtype
        assert isinstance(dtype, pl.Categorical) and dtype.categories is not None
        texts = dtype.categories.to_series().alias(series.name)
        return cls(name=series.name, texts=texts, positions=series.to_physical().to_numpy())

    @cached_property
    def used(self) -> np.ndarray:
        """Which distinct texts some record has (reading may add a blank text that none has)."""
        return np.bincount(self.positions, minlength=len(self.texts)) > 0

    def look_up(self, expr: pl.Expr) -> pl.Series:
        """``expr`` (written against this column's name) evaluated once for each distinct text."""
        return self.texts.to_frame().select(expr.alias("result")).to_series()

    def per_record(self, per_text: pl.Series | np.ndarray, missing: int = -1) -> np.ndarray:
        """Spread a value per distinct text out to every record (nulls become ``missing``)."""
        values = per_text.fill_null(missing).to_numpy() if isinstance(per_text, pl.Series) else per_text
        return values[self.positions]


def date_format_of(dates: CategoryColumn) -> str:
    """The date format most of the distinct dates use (a file keeps to one)."""
    parsed = [
        dates.look_up(text_of(dates.name).str.to_date(fmt, strict=False)).is_not_null().sum() for fmt in DATE_FORMATS
    ]
    return DATE_FORMATS[parsed.index(max(parsed))]
