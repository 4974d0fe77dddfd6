"""UK postcodes: normalising what people type, and loading the ONS Postcode Directory.

The loader reads an ONS Postcode Directory (ONSPD) or National Statistics
Postcode Lookup (NSPL) CSV file. Column names are matched without regard to
case; the first column present in each list below is used:

- postcode: ``pcds``, ``pcd``, ``pcd7``, ``pcd8`` (required)
- latitude and longitude: ``lat``, ``long`` (required)
- LSOA: ``lsoa21cd`` or ``lsoa21`` (2021 LSOAs), ``lsoa11cd`` or ``lsoa11`` (2011 LSOAs) (optional)
- ward: ``wdNNcd`` such as ``wd25cd`` (wards as at May 20NN), or ``osward`` (optional)
- termination date: ``doterm`` (optional; rows with a date are terminated postcodes and are skipped)

ONSPD gives postcodes with no grid reference a latitude of 99.999999; those
rows are skipped too. Both kinds of skipped row are counted in the result.

The load is all or nothing: the first bad value stops it, names the row
(counting the header as row 1, as a spreadsheet does) and the column, and
nothing is saved.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from waymark.core.audit import acting_as
from waymark.core.choices import AreaType
from waymark.core.models import Area, Postcode

_POSTCODE_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8")
LSOA_COLUMNS = {"lsoa21cd": 2021, "lsoa21": 2021, "lsoa11cd": 2011, "lsoa11": 2011}
_WARD_COLUMN = re.compile(r"^wd(\d{2})cd$")
NO_LOCATION_LATITUDE = Decimal("99.999999")
# Generous bounds around the UK, Channel Islands and Isle of Man: they catch swapped or shifted columns.
LATITUDE_RANGE = (Decimal(49), Decimal(61))
LONGITUDE_RANGE = (Decimal(-9), Decimal("2.1"))
_SIX_PLACES = Decimal("0.000001")


def normalise_postcode(raw: str) -> str:
    """``" sw1a1aa"`` → ``"SW1A 1AA"``. Raises ValueError naming the value if it is not shaped like a UK postcode."""
    compact = re.sub(r"\s+", "", str(raw)).upper()
    if compact == "GIR0AA":  # Girobank's historic postcode, the one exception to the pattern.
        return "GIR 0AA"
    match = _POSTCODE_SHAPE.match(compact)
    if match is None:
        raise ValueError(f"{raw!r} is not a UK postcode.")
    return f"{match[1]} {match[2]}"


def postcode_district(pc: str) -> str:
    """The outward code (district) of a postcode: ``"sw1a 1aa"`` → ``"SW1A"``."""
    return normalise_postcode(pc).split(" ")[0]


class PostcodeFileError(ValueError):
    """A postcode file that cannot be loaded; the message names the row and column."""


@dataclass(frozen=True)
class PostcodeLoadResult:
    """What a load did: postcodes saved, and rows skipped by kind."""

    loaded: int
    skipped_terminated: int
    skipped_no_location: int
    skipped_unknown_area: int

    def __str__(self) -> str:
        parts = [f"Loaded {self.loaded:,} postcodes."]
        if self.skipped_terminated:
            parts.append(f"Skipped {self.skipped_terminated:,} terminated postcodes.")
        if self.skipped_no_location:
            parts.append(f"Skipped {self.skipped_no_location:,} postcodes with no location.")
        if self.skipped_unknown_area:
            parts.append(f"Skipped {self.skipped_unknown_area:,} postcodes in areas this site does not hold.")
        return " ".join(parts)


@dataclass(frozen=True)
class _Columns:
    postcode: str
    latitude: str
    longitude: str
    lsoa: str | None
    lsoa_vintage: int | None
    ward: str | None
    ward_vintage: int | None
    terminated: str | None


@dataclass(frozen=True)
class _Row:
    number: int
    postcode: str
    latitude: Decimal
    longitude: Decimal
    lsoa_code: str
    ward_code: str


def _find_columns(header: list[str]) -> _Columns:
    names = {name.strip().lower(): name for name in header}

    def first(candidates: Iterable[str]) -> str | None:
        return next((names[c] for c in candidates if c in names), None)

    postcode = first(POSTCODE_COLUMNS)
    if postcode is None:
        raise PostcodeFileError(f"Row 1: there is no postcode column (expected one of {', '.join(POSTCODE_COLUMNS)}).")
    for required in ("lat", "long"):
        if required not in names:
            raise PostcodeFileError(f"Row 1: there is no {required} column.")
    lsoa_key = next((c for c in LSOA_COLUMNS if c in names), None)
    ward_key = next((c for c in names if _WARD_COLUMN.match(c)), None) or ("osward" if "osward" in names else None)
    ward_match = _WARD_COLUMN.match(ward_key) if ward_key else None
    return _Columns(
        postcode=postcode,
        latitude=names["lat"],
        longitude=names["long"],
        lsoa=names[lsoa_key] if lsoa_key else None,
        lsoa_vintage=LSOA_COLUMNS[lsoa_key] if lsoa_key else None,
        ward=names[ward_key] if ward_key else None,
        ward_vintage=2000 + int(ward_match[1]) if ward_match else None,
        terminated=first(["doterm"]),
    )


def _coordinate(value: str, bounds: tuple[Decimal, Decimal], what: str, row: int, column: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        raise PostcodeFileError(f"Row {row}, column {column}: {value!r} is not a {what} in the UK.")
    return number.quantize(_SIX_PLACES)


class _AreaCodes:
    """Resolves ONS codes to Area ids, preferring the column's vintage, else the latest one held."""

    def __init__(self, area_type: str, vintage: int | None) -> None:
        self.area_type = area_type
        self.vintage = vintage
        self.known: dict[str, int | None] = {}

    def resolve(self, codes: set[str]) -> None:
        missing = codes - self.known.keys()
        if not missing:
            return
        found: dict[str, tuple[bool, int, int]] = {}
        rows = Area.objects.filter(area_type=self.area_type, code__in=missing).values_list("code", "vintage", "id")
        for code, vintage, area_id in rows:
            rank = (vintage == self.vintage, vintage, area_id)
            if code not in found or rank > found[code]:
                found[code] = rank
        for code in missing:
            self.known[code] = found[code][2] if code in found else None


def _read_rows(
    reader: Iterator[list[str]], header: list[str], columns: _Columns, counts: dict[str, int]
) -> Iterator[_Row]:
    index = {name: position for position, name in enumerate(header)}

    def cell(values: list[str], column: str | None) -> str:
        if column is None:
            return ""
        position = index[column]
        return values[position].strip() if position < len(values) else ""

    row_number = 1
    for values in reader:
        row_number += 1
        if not any(v.strip() for v in values):
            continue
        if cell(values, columns.terminated):
            counts["terminated"] += 1
            continue
        raw_postcode = cell(values, columns.postcode)
        try:
            postcode = normalise_postcode(raw_postcode)
        except ValueError:
            raise PostcodeFileError(
                f"Row {row_number}, column {columns.postcode}: {raw_postcode!r} is not a UK postcode."
            ) from None
        raw_latitude = cell(values, columns.latitude)
        try:
            if Decimal(raw_latitude) == NO_LOCATION_LATITUDE:
                counts["no_location"] += 1
                continue
        except InvalidOperation:
            pass  # reported just below, with the row and column
        yield _Row(
            number=row_number,
            postcode=postcode,
            latitude=_coordinate(raw_latitude, LATITUDE_RANGE, "latitude", row_number, columns.latitude),
            longitude=_coordinate(
                cell(values, columns.longitude), LONGITUDE_RANGE, "longitude", row_number, columns.longitude
            ),
            lsoa_code=cell(values, columns.lsoa).upper(),
            ward_code=cell(values, columns.ward).upper(),
        )


def _save_batch(
    batch: list[_Row],
    columns: _Columns,
    lsoas: _AreaCodes,
    wards: _AreaCodes,
    counts: dict[str, int],
    skip_unknown_areas: bool,
) -> int:
    lsoas.resolve({row.lsoa_code for row in batch if row.lsoa_code})
    wards.resolve({row.ward_code for row in batch if row.ward_code})
    postcodes: dict[str, Postcode] = {}
    for row in batch:
        area_ids: list[int | None] = []
        unknown = False
        for code, codes, column in ((row.lsoa_code, lsoas, columns.lsoa), (row.ward_code, wards, columns.ward)):
            area_id = codes.known.get(code) if code else None
            if code and area_id is None:
                if not skip_unknown_areas:
                    raise PostcodeFileError(
                        f"Row {row.number}, column {column}: {code!r} is not an area this site holds. "
                        "Load the areas first."
                    )
                unknown = True
            area_ids.append(area_id)
        if unknown:
            counts["unknown_area"] += 1
            continue
        # A postcode repeated in one batch: the later row wins, as it would across batches.
        postcodes[row.postcode] = Postcode(
            postcode=row.postcode,
            district=row.postcode.split(" ")[0],
            latitude=row.latitude,
            longitude=row.longitude,
            lsoa_id=area_ids[0],
            ward_id=area_ids[1],
        )
    Postcode.objects.bulk_create(
        postcodes.values(),
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["district", "latitude", "longitude", "lsoa", "ward"],
    )
    return len(postcodes)


def load_postcodes(
    file: str | Path | IO[str],
    *,
    actor: Any = None,
    skip_unknown_areas: bool = False,
    batch_size: int = 2000,
) -> PostcodeLoadResult:
    """Upsert every live postcode in an ONSPD/NSPL CSV file (a path or an open text file), all or nothing.

    An LSOA or ward code that is not an Area here is an error, unless ``skip_unknown_areas``: then the
    row is skipped and counted, which is how a site loads only its own part of a national file.
    """
    if isinstance(file, str | Path):
        with open(file, encoding="utf-8-sig", newline="") as handle:
            return load_postcodes(handle, actor=actor, skip_unknown_areas=skip_unknown_areas, batch_size=batch_size)

    reader = csv.reader(file)
    header = next(reader, None)
    if not header:
        raise PostcodeFileError("The file is empty.")
    header = [name.lstrip("\ufeff") for name in header]
    columns = _find_columns(header)
    lsoas = _AreaCodes(AreaType.LSOA, columns.lsoa_vintage)
    wards = _AreaCodes(AreaType.WARD, columns.ward_vintage)
    counts = {"terminated": 0, "no_location": 0, "unknown_area": 0}
    loaded = 0
    with acting_as(actor), transaction.atomic():
        batch: list[_Row] = []
        for row in _read_rows(reader, header, columns, counts):
            batch.append(row)
            if len(batch) >= batch_size:
                loaded += _save_batch(batch, columns, lsoas, wards, counts, skip_unknown_areas)
                batch = []
        if batch:
            loaded += _save_batch(batch, columns, lsoas, wards, counts, skip_unknown_areas)
    return PostcodeLoadResult(
        loaded=loaded,
        skipped_terminated=counts["terminated"],
        skipped_no_location=counts["no_location"],
        skipped_unknown_area=counts["unknown_area"],
    )
