"""What an import found and did, each problem named so a person can find it in their file."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from waymark.core.problems import ProblemList
from waymark.directory.hsds.schema import NESTINGS_BY_PARENT


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong (or worth checking) in an import, named so a person can find it in their file."""

    record: str  # "service 3 ('Open Door Drop-in')" or "services.csv row 7"
    field: str  # "field minimum_age", "column status", or "" for the record as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.record}, {self.field}" if self.field else self.record
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import found and did. With any error, nothing was written."""

    errors: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    matched_organisations: list[str] = field(default_factory=list)
    error_total: int = 0  # every error found; ``errors`` may list only the first of them

    @property
    def succeeded(self) -> bool:
        return not self.errors

    @property
    def problem_count(self) -> int:
        return max(self.error_total, len(self.errors))

    @property
    def unlisted_errors(self) -> int:
        return self.problem_count - len(self.errors)

    def grouped_errors(self) -> list[tuple[str, list[str]]]:
        """Errors by the record they are in, in file order: (record, ["field x: message", ...])."""
        return _group(self.errors)

    def grouped_warnings(self) -> list[tuple[str, list[str]]]:
        return _group(self.warnings)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe form (a background job's result), listing the first errors and counting them all."""
        errors = ProblemList(self.errors)
        return {
            "errors": [vars(problem) for problem in errors.listed],
            "error_total": max(self.error_total, errors.total),
            "warnings": [vars(problem) for problem in self.warnings],
            "created": self.created,
            "updated": self.updated,
            "matched_organisations": self.matched_organisations,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ImportReport":
        return cls(
            errors=[ImportProblem(**problem) for problem in data.get("errors", [])],
            error_total=int(data.get("error_total", 0)),
            warnings=[ImportProblem(**problem) for problem in data.get("warnings", [])],
            created=dict(data.get("created", {})),
            updated=dict(data.get("updated", {})),
            matched_organisations=list(data.get("matched_organisations", [])),
        )


def _group(problems: list[ImportProblem]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for problem in problems:
        text = f"{problem.field}: {problem.message}" if problem.field else problem.message
        groups.setdefault(problem.record, []).append(text)
    return list(groups.items())


class Places:
    """Names each record of an import the way its reader knows it: a service's number and name and
    the path inside it for JSON, a file and row for CSV."""

    def __init__(self, field_word: str) -> None:
        self.field_word = field_word
        self.labels: dict[int, str] = {}

    def label(self, record: object) -> str:
        return self.labels.get(id(record), "")


# Words for nested records in problem messages; None: the record is named with its parent's words.
_RECORD_WORDS = {
    "organization": "organisation",
    "phone": "phone",
    "schedule": "opening hours",
    "service_at_location": "location",
    "location": None,
    "language": "language",
    "cost_option": "cost",
    "contact": "contact",
    "attribute": "attribute",
    "funding": "funding",
    "organization_identifier": "identifier",
    "address": "address",
    "accessibility": "accessibility",
    "taxonomy_term": "taxonomy term",
    "taxonomy": "taxonomy",
}


def _name_of(record: Mapping[str, Any]) -> str:
    for key in ("name", "title", "source"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def with_name(label: str, record: Any) -> str:
    name = _name_of(record) if isinstance(record, Mapping) else ""
    return f"{label} ('{name}')" if name else label


def label_nested(places: Places, record: Any, table: str, label: str) -> None:
    if not isinstance(record, Mapping):
        return
    places.labels[id(record)] = label
    for nesting in NESTINGS_BY_PARENT[table]:
        value = record.get(nesting.key)
        word = _RECORD_WORDS[nesting.child]
        if nesting.to_one:
            child_label = with_name(f"{label}, {word}" if word else label, value)
            label_nested(places, value, nesting.child, child_label)
        elif isinstance(value, list):
            for number, child in enumerate(value, start=1):
                label_nested(places, child, nesting.child, with_name(f"{label}, {word} {number}", child))


def file_order(problem: ImportProblem) -> tuple[bool, list[Any]]:
    """Problems about the whole file first, then by record: "service 2" before "service 10", and a
    record before the records nested in it."""
    parts = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", problem.record)]
    return not problem.record.startswith("the file"), parts
