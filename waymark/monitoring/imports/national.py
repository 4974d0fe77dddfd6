"""Reading and checking NHS England's *Mental Health Act Statistics, Annual Figures* table (CSV or XLSX).

The published table has one row per measure x demographic breakdown x organisation. Only England's rows by
ethnicity are kept (``Demographic`` = "Ethnicity", ``OrgID`` = "All prov"). Each is checked and, if the whole
file is clean, returned as :class:`NationalRow` for ``monitoring.services.national`` to write; one bad row
and nothing is written. Every problem names its row (as a spreadsheet numbers them) and column.

The crude rate is checked against its count: a group's denominator is never published, but every measure of
one group divides by the same population, so the denominator implied by the group's largest count
(count ÷ crude rate x 100,000) must give back every other crude rate of that group to within rounding.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from waymark.monitoring.choices import Measure
from waymark.monitoring.imports.errors import ErrorLog, UnreadableFile
from waymark.monitoring.imports.reading import collect, scan_table
from waymark.monitoring.models_national import NATIONAL_RATE_PER, NationalGroupLevel

NATIONAL_SUFFIXES = (".csv", ".xlsx")
NATIONAL_MAX_BYTES = 50 * 1024 * 1024  # the published file is a few megabytes
NATIONAL_MAX_ROWS = 500_000

# Published column → the name ``scan_table`` gives it (lower case, underscores kept).
COLUMNS = {
    "Year": "year",
    "Measure": "measure",
    "measureSubcategory": "measuresubcategory",
    "Demographic": "demographic",
    "DemographicBreakdown": "demographicbreakdown",
    "OrganisationBreakdown": "organisationbreakdown",
    "Datasource": "datasource",
    "OrgID": "orgid",
    "OrgName": "orgname",
    "MHSDS_Count": "mhsds_count",
    "Acute_Count": "acute_count",
    "Total_Count": "total_count",
    "CrudeRate": "cruderate",
    "StdRate": "stdrate",
    "Confidence_interval": "confidence_interval",
}
ENGLAND_ORG_ID = "all prov"
ETHNICITY = "ethnicity"
SUPPRESSED = {"", "*", "-", "..", ":", "c", "n/a", "na"}

# Published measure (lower case) → the Waymark measure it benchmarks, most comparable first: the dashboards
# count people (the PCREF convention), so a "people" measure is preferred to a count of detentions.
NATIONAL_MEASURES: dict[str, str] = {
    "all detentions": Measure.MHA_DETENTION,  # NHS England's own name, with the subcategory "All"
    "uses of ctos": Measure.CTO,  # the same
    "people detained": Measure.MHA_DETENTION,
    "people detained in hospital": Measure.MHA_DETENTION,
    "detentions": Measure.MHA_DETENTION,
    "detentions under the act": Measure.MHA_DETENTION,
    "people subject to a cto": Measure.CTO,
    "people subject to ctos": Measure.CTO,
    "community treatment orders": Measure.CTO,
    "ctos": Measure.CTO,
    "cto": Measure.CTO,
}

# Measures of the same table that Waymark has no measure to compare with: their rows are passed over, where
# a measure nobody recognises is refused (it may be a misspelling of one that is compared).
NATIONAL_OTHER_MEASURES = {
    "short term orders",
    "discharges following detention",
    "people subject to the act",
    "repeat detentions",
    "length of detention",
}

# The NHS England grouping: published label (lower case) → NHS ethnic category code. Chinese (R) stays in
# "Other ethnic groups", as NHS England publishes it, unlike the ONS 2021 high-level groups.
NATIONAL_GROUPS: dict[str, str] = {
    "british": "A",
    "white british": "A",
    "irish": "B",
    "white irish": "B",
    "any other white background": "C",
    "white and black caribbean": "D",
    "white and black african": "E",
    "white and asian": "F",
    "any other mixed background": "G",
    "indian": "H",
    "pakistani": "J",
    "bangladeshi": "K",
    "any other asian background": "L",
    "caribbean": "M",
    "african": "N",
    "any other black background": "P",
    "chinese": "R",
    "any other ethnic group": "S",
}
NATIONAL_BROAD_GROUPS: dict[str, str] = {
    "white": "White",
    "mixed": "Mixed",
    "asian or asian british": "Asian or Asian British",
    "black or black british": "Black or Black British",
    "other ethnic groups": "Other ethnic groups",
}
NATIONAL_TOTALS = {"total", "all", "all people", "england"}
NATIONAL_UNKNOWN = {"not stated", "not known", "unknown", "not stated/not known", "missing/invalid", "invalid"}

YEAR_PATTERN = re.compile(r"^(\d{4})[-/](\d{2})$")
NUMBER = r"\s*(-?\d[\d,]*(?:\.\d+)?)\s*"
INTERVAL_PATTERNS = (
    re.compile(rf"^\(?{NUMBER}(?:-|–|to|,){NUMBER}\)?$"),  # "95.1 - 99.3", "95.1 to 99.3", "(95.1, 99.3)"
)
HALF_WIDTH_PATTERN = re.compile(rf"^(?:±|\+/-)?{NUMBER}$")  # "2.1" or "±2.1": plus or minus the standardised rate


@dataclass(frozen=True)
class NationalRow:
    """One clean England row by ethnicity, ready to be written."""

    row: int
    measure: str
    published_measure: str
    measure_subcategory: str
    published_group: str
    level: str
    group_code: str  # NHS category code for a group, "" otherwise
    broad_group: str
    mhsds_count: int | None
    acute_count: int | None
    total_count: int | None
    crude_rate: float | None
    std_rate: float | None
    std_rate_lower: float | None
    std_rate_upper: float | None


def check_year(year: str) -> str:
    """A financial year as "2023-24", from "2023-24" or "2023/24"; ValueError when it is not one."""
    match = YEAR_PATTERN.match(year.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(_('Give the year as a financial year such as "2023-24".'))
    return f"{match.group(1)}-{match.group(2)}"


def _normalised(text: str) -> str:
    return " ".join(text.strip().lower().split())


def group_of(label: str) -> tuple[str, str, str] | None:
    """(level, NHS category code, broad group) of a published ethnicity label, or None when it is unknown."""
    from waymark.monitoring.codes import nhs_categories

    key = _normalised(label)
    if key in NATIONAL_GROUPS:
        code = NATIONAL_GROUPS[key]
        broad = next(high for nhs_code, _label, high in nhs_categories() if nhs_code == code)
        return NationalGroupLevel.GROUP, code, broad
    if key in NATIONAL_BROAD_GROUPS:
        return NationalGroupLevel.BROAD, "", NATIONAL_BROAD_GROUPS[key]
    if key in NATIONAL_TOTALS:
        return NationalGroupLevel.TOTAL, "", ""
    if key in NATIONAL_UNKNOWN:
        return NationalGroupLevel.UNKNOWN, "", ""
    return None


class _RowChecker:
    """Parses one row's fields, logging each problem against the row and the published column name."""

    def __init__(self, row: int, values: dict[str, str], log: ErrorLog) -> None:
        self.row, self.values, self.log, self.ok = row, values, log, True

    def fail(self, column: str, message: str) -> None:
        self.ok = False
        self.log.add(self.row, column, self.values.get(COLUMNS[column], ""), message)

    def count(self, column: str) -> int | None:
        text = self.values[COLUMNS[column]].strip().replace(",", "")
        if text.lower() in SUPPRESSED:
            return None
        if not text.isdigit():
            self.fail(column, _("A count must be a whole number of 0 or more (or blank or * when suppressed)."))
            return None
        return int(text)

    def rate(self, column: str) -> float | None:
        text = self.values[COLUMNS[column]].strip().replace(",", "")
        if text.lower() in SUPPRESSED:
            return None
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value >= 0 or value == float("inf"):
            self.fail(column, _("A rate must be a number of 0 or more (or blank or * when suppressed)."))
            return None
        return value

    def interval(self, std_rate: float | None) -> tuple[float | None, float | None]:
        text = self.values[COLUMNS["Confidence_interval"]].strip()
        if text.lower() in SUPPRESSED:
            return None, None
        for pattern in INTERVAL_PATTERNS:
            match = pattern.match(text)
            if match:
                lower, upper = (float(part.replace(",", "")) for part in match.groups())
                if lower <= upper and (std_rate is None or lower <= std_rate <= upper):
                    return lower, upper
                self.fail("Confidence_interval", _("The interval must run from low to high around StdRate."))
                return None, None
        match = HALF_WIDTH_PATTERN.match(text)
        if match and std_rate is not None and float(match.group(1).replace(",", "")) >= 0:
            half = float(match.group(1).replace(",", ""))
            return max(std_rate - half, 0.0), std_rate + half
        self.fail(
            "Confidence_interval",
            _('Give the interval as "low - high", or as plus or minus a number beside a StdRate.'),
        )
        return None, None


def read_national_file(path: Path, year: str, log: ErrorLog) -> tuple[list[NationalRow], int]:
    """England's rows by ethnicity from the file, checked; and the number of data rows read.

    Problems go to ``log`` (the caller writes nothing if there are any)."""
    if path.suffix.lower() not in NATIONAL_SUFFIXES:
        log.add(None, "file", path.name, _("Upload the published CSV or XLSX file."))
        return [], 0
    if path.stat().st_size > NATIONAL_MAX_BYTES:
        log.add(None, "file", path.name, _("The file is larger than 50 MB: is it the annual figures table?"))
        return [], 0
    try:
        frame = collect(scan_table(path))
    except UnreadableFile as exc:
        log.add(None, "file", path.name, str(exc))
        return [], 0
    if frame.height > NATIONAL_MAX_ROWS:
        log.add(
            None, "file", path.name, _("The file has more than %(rows)s rows.") % {"rows": f"{NATIONAL_MAX_ROWS:,}"}
        )
        return [], frame.height
    missing = [published for published, name in COLUMNS.items() if name not in frame.columns]
    for published in missing:
        log.add(None, published, "", _("The file has no %(column)s column.") % {"column": published})
    if missing:
        return [], frame.height
    england = frame.filter(
        (pl.col("demographic").str.strip_chars().str.to_lowercase() == ETHNICITY)
        & (pl.col("orgid").str.strip_chars().str.to_lowercase() == ENGLAND_ORG_ID)
        & ~pl.col("measure").fill_null("").str.strip_chars().str.to_lowercase().is_in(list(NATIONAL_OTHER_MEASURES))
    )
    if england.is_empty():
        log.add(
            None,
            "Demographic",
            "",
            _('The file has no rows for England by ethnicity (Demographic "Ethnicity", OrgID "All prov").'),
        )
        return [], frame.height
    rows = [_checked_row(values, year, log) for values in england.iter_rows(named=True)]
    clean = [row for row in rows if row is not None]
    _check_duplicates(clean, log)
    _check_crude_rates(clean, log)
    return clean, frame.height


def _checked_row(values: dict[str, Any], year: str, log: ErrorLog) -> NationalRow | None:
    check = _RowChecker(int(values["row"]), values, log)
    try:
        row_year = check_year(values["year"])
    except ValueError:
        row_year = values["year"].strip()
    if row_year != year:
        check.fail("Year", _("This row is for %(found)s, not %(year)s.") % {"found": row_year or "?", "year": year})
    published_measure = values["measure"].strip()
    measure = NATIONAL_MEASURES.get(_normalised(published_measure))
    if measure is None:
        known = ", ".join(sorted({key.capitalize() for key in NATIONAL_MEASURES}))
        check.fail("Measure", _("Unknown measure. Known measures: %(known)s.") % {"known": known})
    published_group = values["demographicbreakdown"].strip()
    group = group_of(published_group)
    if group is None:
        check.fail("DemographicBreakdown", _("Unknown ethnic group for the NHS England grouping."))
    mhsds, acute, total = check.count("MHSDS_Count"), check.count("Acute_Count"), check.count("Total_Count")
    if None not in (mhsds, acute, total) and mhsds + acute != total:  # type: ignore[operator]
        check.fail("Total_Count", _("Total_Count is not MHSDS_Count plus Acute_Count."))
    crude, std = check.rate("CrudeRate"), check.rate("StdRate")
    if total is not None and crude is not None and (total == 0) != (crude == 0):
        check.fail("CrudeRate", _("The crude rate does not match its count: one is 0 and the other is not."))
    lower, upper = check.interval(std)
    if not check.ok or measure is None or group is None:
        return None
    level, code, broad = group
    return NationalRow(
        row=check.row,
        measure=measure,
        published_measure=published_measure,
        measure_subcategory=values["measuresubcategory"].strip(),
        published_group=published_group,
        level=level,
        group_code=code,
        broad_group=broad,
        mhsds_count=mhsds,
        acute_count=acute,
        total_count=total,
        crude_rate=crude,
        std_rate=std,
        std_rate_lower=lower,
        std_rate_upper=upper,
    )


def _check_duplicates(rows: list[NationalRow], log: ErrorLog) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (
            _normalised(row.published_measure),
            _normalised(row.measure_subcategory),
            _normalised(row.published_group),
        )
        if key in seen:
            log.add(row.row, "DemographicBreakdown", row.published_group,
                    _("The same measure and group as row %(row)d.") % {"row": seen[key]})  # fmt: skip
        else:
            seen[key] = row.row


def _check_crude_rates(rows: list[NationalRow], log: ErrorLog) -> None:
    """Every crude rate of a group must agree with the denominator implied by that group's largest count.

    Published rates are rounded (to one decimal place), so the implied denominator is uncertain by
    0.05 / rate relatively; the tolerance allows that, the row's own rounding and 0.1 % besides."""
    by_group: dict[str, list[NationalRow]] = {}
    for row in rows:
        if row.total_count and row.crude_rate:
            by_group.setdefault(_normalised(row.published_group), []).append(row)
    for group_rows in by_group.values():
        anchor = max(group_rows, key=lambda row: (row.total_count, row.crude_rate))
        assert anchor.total_count and anchor.crude_rate
        denominator = anchor.total_count / anchor.crude_rate * NATIONAL_RATE_PER
        for row in group_rows:
            assert row.total_count and row.crude_rate
            expected = row.total_count / denominator * NATIONAL_RATE_PER
            tolerance = 0.051 + expected * (0.051 / anchor.crude_rate + 0.001)
            if abs(row.crude_rate - expected) > tolerance:
                message = _(
                    "The crude rate does not match its count: row %(anchor)d implies about %(people)s people in "
                    "this group, which gives %(expected)s per 100,000."
                ) % {"anchor": anchor.row, "people": f"{denominator:,.0f}", "expected": f"{expected:,.1f}"}
                log.add(row.row, "CrudeRate", row.crude_rate, message)
