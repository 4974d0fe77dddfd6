"""The standards Waymark exchanges services in: the schemas, the tables, how they nest, and plain words for errors."""

import functools
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError

STANDARDS = Path(__file__).parent.parent / "standards"
ORUK_SERVICE_SCHEMA = STANDARDS / "uk-profile" / "schema" / "compiled" / "service.json"
ORUK_SERVICE_LIST_SCHEMA = STANDARDS / "uk-profile" / "schema" / "compiled" / "service_list.json"
# The UK profile's schema for each of the API's other answers (taxonomies have no compiled form upstream).
ORUK_SCHEMAS = {
    name: STANDARDS / "uk-profile" / "schema" / path
    for name, path in {
        "taxonomy": "taxonomy.json",
        "taxonomy_term": "taxonomy_term.json",
        "service_at_location": "compiled/service_at_location.json",
        "service_at_location_list": "compiled/service_at_location_list.json",
        "organization": "compiled/organization.json",
        "organization_list": "compiled/organization_list.json",
    }.items()
}
HSDS_SERVICE_SCHEMA = STANDARDS / "hsds" / "schema" / "compiled" / "service_with_definitions.json"
HSDS_TABULAR_SCHEMA = STANDARDS / "hsds" / "schema" / "compiled" / "tabular.json"
HSDS_DATAPACKAGE = STANDARDS / "hsds" / "datapackage.json"

HSDS_VERSION = "3.0"
ORUK_PROFILE = "https://openreferraluk.org/"

# Ids Waymark makes for records it derives are uuid5 names in this namespace (fixed forever).
WAYMARK_NAMESPACE = uuid.UUID("b217a003-0ab9-4247-a5e0-8c4dcbd2d721")
DETAILS_TAXONOMY_ID = "58d6cb5e-9230-4b23-a320-0cb7c29dcce1"
DETAILS_TAXONOMY = {
    "id": DETAILS_TAXONOMY_ID,
    "name": "Waymark service details",
    "description": "Facts Waymark keeps about services, locations, contacts, organisations and funding "
    "that HSDS has no field for. The attribute's value holds the fact.",
    "version": "1",
}

# Waymark's details: code → (name, description). The attribute's ``value`` carries the fact.
DETAILS = {
    "published": ("Published", "Whether the service is shown to the public: true or false."),
    "referral-route": ("Referral route", "Who can refer: self, professional or gp. One attribute per route."),
    "community-served": ("Community served", "The name of a community the service serves."),
    "accessibility": ("Accessibility", "How the service is accessible to disabled people."),
    "volunteer-reliance": ("Who runs it", "none (paid staff), partly or wholly run by volunteers."),
    "staff-only-contact": ("Staff-only contact", "The contact is for professionals only: true."),
    "public-visibility": (
        "What the public sees",
        "full (the address), district (the postcode district only) or hidden (contact to arrange).",
    ),
    "organisation-type": ("Organisation type", "The kind of organisation, as Waymark records it."),
    "funding-type": ("Funding type", "grant, contract, core or donations."),
    "funding-amount": ("Funding amount", "The amount in pounds, for example 12000.00."),
    "funding-starts-on": ("Funding start date", "The first day of the funding, for example 2025-04-01."),
    "funding-ends-on": ("Funding end date", "The last day of the funding, for example 2026-03-31."),
}
REFERRAL_ROUTES = {"self": "self_referral", "professional": "professional_referral", "gp": "gp_referral"}
INTERPRETER_TEXT = "An interpreter can be arranged."
STEP_FREE_TEXT = "Step-free access"
COUNTRY = "GB"
STATE_PROVINCE = "England"
IDENTIFIER_SCHEMES = {
    "charity_number": ("GB-CHC", "Charity number"),
    "company_number": ("GB-COH", "Company number"),
    "ods_code": ("GB-NHS", "ODS code"),
}
# Tables of the tabular package, in the order a reader meets them.
TABLES = (
    "organization",
    "organization_identifier",
    "service",
    "location",
    "address",
    "accessibility",
    "service_at_location",
    "phone",
    "contact",
    "schedule",
    "language",
    "cost_option",
    "taxonomy",
    "taxonomy_term",
    "attribute",
    "funding",
)
STAFF_ONLY_TABLES = frozenset({"funding"})


def derived_id(*parts: object) -> str:
    """A stable id for a record Waymark derives, made from its parent's id and what it is."""
    return str(uuid.uuid5(WAYMARK_NAMESPACE, ":".join(str(part) for part in parts)))


def detail_term_id(code: str) -> str:
    return derived_id("detail", code)


DETAIL_CODES_BY_TERM_ID = {detail_term_id(code): code for code in DETAILS}


# --- The standards ---------------------------------------------------------------------------------


@functools.cache
def load_standard(path: Path) -> dict[str, Any]:
    """A schema file from ``standards/`` (read once per process)."""
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _service_validators() -> tuple[Draft202012Validator, ...]:
    return tuple(
        Draft202012Validator(load_standard(path), format_checker=Draft202012Validator.FORMAT_CHECKER)
        for path in (ORUK_SERVICE_SCHEMA, HSDS_SERVICE_SCHEMA)
    )


def service_schema_errors(service: Any) -> list[SchemaError]:
    """How ``service`` breaks the Open Referral UK or the HSDS 3.0 service schema; empty when it is valid."""
    errors: dict[tuple[Any, ...], SchemaError] = {}
    for validator in _service_validators():
        for error in validator.iter_errors(service):
            errors.setdefault((tuple(error.absolute_path), error.validator, error.message), error)
    return list(errors.values())


@functools.cache
def _profile_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_standard(ORUK_SCHEMAS[name]), format_checker=Draft202012Validator.FORMAT_CHECKER)


def profile_schema_errors(name: str, record: Any) -> list[SchemaError]:
    """How ``record`` breaks the UK profile's schema ``name`` (a key of ``ORUK_SCHEMAS``); empty when valid."""
    return list(_profile_validator(name).iter_errors(record))


@functools.cache
def datapackage_resources() -> dict[str, dict[str, Any]]:
    return {resource["name"]: resource for resource in load_standard(HSDS_DATAPACKAGE)["resources"]}


def table_path(table: str) -> str:
    """The file name of ``table`` in the tabular package, as the HSDS data package names it."""
    return datapackage_resources()[table]["path"]


def table_columns(table: str) -> list[str]:
    """The columns of ``table`` in the HSDS data package, in its order."""
    return [column["name"] for column in datapackage_resources()[table]["schema"]["fields"]]


@functools.cache
def row_validator(table: str) -> Draft202012Validator:
    """A row of a CSV table must have the table's required columns and its foreign keys (tabular_required)."""
    item = dict(load_standard(HSDS_TABULAR_SCHEMA)["properties"][table]["items"])
    item["required"] = [*item.get("required", []), *item.get("tabular_required", [])]
    return Draft202012Validator(item, format_checker=Draft202012Validator.FORMAT_CHECKER)


def number_columns(table: str) -> frozenset[str]:
    properties = load_standard(HSDS_TABULAR_SCHEMA)["properties"][table]["items"]["properties"]
    return frozenset(name for name, column in properties.items() if column.get("type") == "number")


# How HSDS nests one table's rows in another's. ``column`` is the child's column naming its parent,
# or, for a ``to_one`` child, the parent's column naming the child. ``unless`` skips child rows that
# have that column filled (an organisation's own funding is the funding tied to no service).
@dataclass(frozen=True)
class Nesting:
    parent: str
    key: str
    child: str
    column: str
    to_one: bool = False
    unless: str = ""


NESTINGS = (
    Nesting("service", "organization", "organization", "organization_id", to_one=True),
    Nesting("service", "phones", "phone", "service_id"),
    Nesting("service", "schedules", "schedule", "service_id"),
    Nesting("service", "service_at_locations", "service_at_location", "service_id"),
    Nesting("service", "languages", "language", "service_id"),
    Nesting("service", "cost_options", "cost_option", "service_id"),
    Nesting("service", "contacts", "contact", "service_id"),
    Nesting("service", "attributes", "attribute", "link_id"),
    Nesting("service", "funding", "funding", "service_id"),
    Nesting("organization", "organization_identifiers", "organization_identifier", "organization_id"),
    Nesting("organization", "attributes", "attribute", "link_id"),
    Nesting("organization", "funding", "funding", "organization_id", unless="service_id"),
    Nesting("service_at_location", "location", "location", "location_id", to_one=True),
    Nesting("location", "addresses", "address", "location_id"),
    Nesting("location", "accessibility", "accessibility", "location_id"),
    Nesting("location", "attributes", "attribute", "link_id"),
    Nesting("contact", "phones", "phone", "contact_id"),
    Nesting("contact", "attributes", "attribute", "link_id"),
    Nesting("funding", "attributes", "attribute", "link_id"),
    Nesting("attribute", "taxonomy_term", "taxonomy_term", "taxonomy_term_id", to_one=True),
    Nesting("taxonomy_term", "taxonomy_detail", "taxonomy", "taxonomy_id", to_one=True),
)
NESTING_BY_KEY = {(nesting.parent, nesting.key): nesting for nesting in NESTINGS}
NESTINGS_BY_PARENT: dict[str, list[Nesting]] = defaultdict(list)
for _nesting in NESTINGS:
    NESTINGS_BY_PARENT[_nesting.parent].append(_nesting)


# --- Plain words for a schema error --------------------------------------------------------------


def schema_message(error: SchemaError) -> tuple[str, str]:
    """(field, plain message) for a schema error: 'is missing', 'must be a number', "'open' is not one of …"."""
    path = [part for part in error.absolute_path if isinstance(part, str)]
    field_name = path[-1] if path else ""
    if error.validator == "required":
        match = re.match(r"'(.+)' is a required property", error.message)
        return (match[1] if match else field_name), "is missing"
    if error.validator == "enum":
        return field_name, f"'{error.instance}' is not one of {', '.join(str(v) for v in error.validator_value)}"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        return field_name, f"must be {_TYPE_WORDS.get(expected, expected)}"
    if error.validator == "format":
        return field_name, _FORMAT_WORDS.get(error.validator_value, f"must be in {error.validator_value} form")
    return field_name, error.message


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a record with named fields",
}
_FORMAT_WORDS = {
    "uuid": "must be an id in UUID form, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "email": "must be an e-mail address",
    "date": "must be a date written like 2025-03-31",
}
