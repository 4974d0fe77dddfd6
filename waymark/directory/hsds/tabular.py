"""The HSDS tabular data package (a ZIP of CSV files): services flattened into tables and read back."""

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from waymark.core.spreadsheets import spreadsheet_unescaped, write_csv
from waymark.core.uploads import archive_limits_refusal, upload_limits
from waymark.directory.hsds.export import export_json
from waymark.directory.hsds.report import ImportProblem, Places
from waymark.directory.hsds.schema import (
    HSDS_DATAPACKAGE,
    NESTING_BY_KEY,
    NESTINGS,
    NESTINGS_BY_PARENT,
    STAFF_ONLY_TABLES,
    TABLES,
    datapackage_resources,
    load_standard,
    number_columns,
    row_validator,
    schema_message,
    table_columns,
    table_path,
)
from waymark.directory.models import (
    Service,
)


def export_tabular_package(services: QuerySet[Service], *, public: bool, funding_amounts: bool = True) -> bytes:
    """The HSDS tabular data package: a ZIP of ``datapackage.json`` and one CSV per table, with the
    HSDS column names. The public package has no funding table."""
    tables = flatten(export_json(services, public=public, funding_amounts=funding_amounts)["contents"])
    names = [table for table in TABLES if not (public and table in STAFF_ONLY_TABLES)]
    descriptor = dict(load_standard(HSDS_DATAPACKAGE))
    descriptor["resources"] = [datapackage_resources()[table] for table in names]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        for table in names:
            archive.writestr(table_path(table), _csv_text(table, tables.get(table, {}).values()))
    return buffer.getvalue()


def flatten(services: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Nested services → HSDS tables: table name → id → row (a record met twice is kept once)."""
    tables: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)

    def visit(record: Mapping[str, Any], table: str) -> None:
        row = {}
        for key, value in record.items():
            nesting = NESTING_BY_KEY.get((table, key))
            if nesting is None:
                row[key] = value
                continue
            for child in [value] if nesting.to_one else value:
                visit(child, nesting.child)
        tables[table].setdefault(row["id"], row)

    for service in services:
        visit(service, "service")
    return tables


def _csv_text(table: str, rows: Iterable[Mapping[str, Any]]) -> str:
    """One table as CSV through the one spreadsheet writer, so typed text that starts like a formula is
    escaped for whoever opens the file; Waymark's own import undoes that escape (see ``_read_table``)."""
    columns = table_columns(table)
    ordered = sorted(rows, key=lambda row: row["id"])
    return write_csv(columns, ([_cell(row.get(column)) for column in columns] for row in ordered))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- Reading a package ----------------------------------------------------------------------------


@dataclass
class _Row:
    table: str
    label: str  # "services.csv row 7"
    values: dict[str, Any]


def read_tables(zip_bytes: bytes) -> tuple[dict[str, list[_Row]], list[ImportProblem]]:
    """Each table's rows, typed and checked against its HSDS schema; every problem with its file, row and column."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    except zipfile.BadZipFile:
        return {}, [ImportProblem("the file", "", "is not a ZIP file")]
    with archive:
        too_large = archive_limits_refusal(archive.infolist(), upload_limits("hsds"))
        if too_large:
            return {}, [ImportProblem("", "", too_large)]
        members = {Path(name).name: name for name in archive.namelist() if not name.endswith("/")}
        paths = _package_paths(archive, members)
        problems: list[ImportProblem] = []
        tables: dict[str, list[_Row]] = {}
        for table in TABLES:
            path = next((candidate for candidate in paths[table] if candidate in members), None)
            if path is None:
                continue
            try:
                text = archive.read(members[path]).decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.append(ImportProblem(path, "", "is not UTF-8 text; save it as UTF-8 and try again"))
                continue
            tables[table] = _read_table(table, path, text, problems)
    if not tables.get("service") and not problems:
        problems.append(
            ImportProblem("the file", "", f"has no services to import (no rows in {table_path('service')})")
        )
    return tables, problems


def _package_paths(archive: zipfile.ZipFile, members: Mapping[str, str]) -> dict[str, list[str]]:
    """Where to look for each table: the package's own datapackage.json, then the HSDS file name, then ``table.csv``."""
    paths = {table: [table_path(table), f"{table}.csv"] for table in TABLES}
    if "datapackage.json" in members:
        try:
            descriptor = json.loads(archive.read(members["datapackage.json"]).decode("utf-8-sig"))
            for resource in descriptor.get("resources", []):
                if resource.get("name") in paths and isinstance(resource.get("path"), str):
                    paths[resource["name"]].insert(0, Path(resource["path"]).name)
        except (ValueError, AttributeError, TypeError):
            pass  # an unreadable descriptor: the HSDS file names still find the tables
    return paths


def _read_table(table: str, path: str, text: str, problems: list[ImportProblem]) -> list[_Row]:
    """The table's rows; a file the csv module cannot parse (a cell past its size limit, say) is one problem
    naming the row where reading stopped, never an exception."""
    # newline="" hands line endings to the csv module, which reads a carriage return in a cell as a line end.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        return _read_rows(table, path, reader, problems)
    except csv.Error as error:
        problems.append(ImportProblem(f"{path} row {reader.line_num}", "", f"cannot be read as CSV ({error})"))
        return []


def _read_rows(table: str, path: str, reader: csv.DictReader[str], problems: list[ImportProblem]) -> list[_Row]:
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    validator = row_validator(table)
    missing = [column for column in validator.schema["required"] if column not in header]
    for column in missing:
        problems.append(ImportProblem(path, f"column {column}", "is missing from the file's first row"))
    numbers = number_columns(table)
    properties = validator.schema["properties"]
    blank_allowed = {
        column
        for column in validator.schema["required"]
        if properties[column].get("type") == "string" and not {"format", "enum"} & properties[column].keys()
    }
    rows = []
    max_rows = upload_limits("hsds").max_rows
    for number, raw in enumerate(reader, start=2):  # the header is row 1, as a spreadsheet counts
        if number - 1 > max_rows:
            message = f"has more than {max_rows:,} rows; import at most {max_rows:,} at a time (reading stopped here)"
            problems.append(ImportProblem(path, "", message))
            break
        label = f"{path} row {number}"
        values: dict[str, Any] = {}
        for column, cell in raw.items():
            if column is None or column not in validator.schema["properties"]:
                continue  # extra cells and columns HSDS does not define are ignored
            cell = spreadsheet_unescaped((cell or "").strip())  # as Waymark's export escaped it
            if "\x00" in cell:
                problems.append(ImportProblem(label, f"column {column}", "holds an invisible NUL character; remove it"))
                continue
            if not cell:
                if column in blank_allowed:
                    values[column] = ""  # required but may be empty, like an organisation's description
                continue
            if column in numbers:
                parsed = _number(cell)
                if parsed is None:
                    problems.append(ImportProblem(label, f"column {column}", f"'{cell}' is not a number"))
                    continue
                values[column] = parsed
            else:
                values[column] = cell
        for error in validator.iter_errors(values):
            column, message = schema_message(error)
            if error.validator == "required" and column in missing:
                continue
            problems.append(ImportProblem(label, f"column {column}" if column else "", message))
        rows.append(_Row(table, label, values))
    return rows


def _number(text: str) -> int | float | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def assemble(
    tables: dict[str, list[_Row]], places: Places
) -> tuple[list[dict[str, Any]], list[ImportProblem], list[ImportProblem]]:
    """Nest the tables' rows into services as a JSON import has them, checking every reference."""
    by_id = {table: {row.values["id"]: row for row in rows if "id" in row.values} for table, rows in tables.items()}
    children: dict[tuple[str, str], dict[str, list[_Row]]] = defaultdict(lambda: defaultdict(list))
    for nesting in NESTINGS:
        if not nesting.to_one:
            for row in tables.get(nesting.child, []):
                parent_id = row.values.get(nesting.column)
                if parent_id and not (nesting.unless and row.values.get(nesting.unless)):
                    children[(nesting.parent, nesting.key)][parent_id].append(row)

    problems = _broken_references(tables, by_id)
    used: dict[str, set[str]] = defaultdict(set)

    def nest(row: _Row) -> dict[str, Any]:
        used[row.table].add(row.values.get("id", ""))
        record = dict(row.values)
        places.labels[id(record)] = row.label
        for nesting in NESTINGS_BY_PARENT[row.table]:
            if nesting.to_one:
                target = by_id.get(nesting.child, {}).get(row.values.get(nesting.column, ""))
                if target is not None:
                    record[nesting.key] = nest(target)
            else:
                found = children[(row.table, nesting.key)].get(row.values.get("id", ""), [])
                record[nesting.key] = [nest(child) for child in found]
        return record

    services = [nest(row) for row in tables.get("service", []) if "id" in row.values]
    warnings = [
        ImportProblem(row.label, "", "is not linked to any service, so it was not imported")
        for table in ("organization", "location")
        for row in tables.get(table, [])
        if row.values.get("id") not in used[table]
    ]
    return services, problems, warnings


def _broken_references(tables: dict[str, list[_Row]], by_id: dict[str, dict[str, _Row]]) -> list[ImportProblem]:
    """Rows that name a parent no table has (to-one references may also name records already in Waymark)."""
    problems = []
    parents_by_column: dict[tuple[str, str], set[str]] = defaultdict(set)
    for nesting in NESTINGS:
        if not nesting.to_one:
            parents_by_column[(nesting.child, nesting.column)].add(nesting.parent)
    for (table, column), parents in parents_by_column.items():
        for row in tables.get(table, []):
            value = row.values.get(column)
            if value and not any(value in by_id.get(parent, {}) for parent in parents):
                files = " or ".join(sorted(table_path(parent) for parent in parents))
                problems.append(ImportProblem(row.label, f"column {column}", f"no row in {files} has the id '{value}'"))
    return problems
