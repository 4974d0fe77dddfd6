"""Open Referral UK exchange: HSDS 3.0 JSON and the HSDS tabular data package, out and in.

A Service is an HSDS service; its organisation, locations (one address each), contacts, opening
hours, languages and needs nest inside it under their HSDS names, with the records' stable uuids as
ids. What HSDS has no field for (published, referral routes, communities served, who runs it, how
much of a location the public may see, the type, amount and dates of funding) travels as HSDS
attributes pointing at terms of Waymark's own "service details" taxonomy, so a staff export imported
into another Waymark loses nothing. Records Waymark derives (a service's phone, a location's
address, an attribute) get ids made from their parent's id, so the same data always exports the same.

Exports are checked against the Open Referral UK and HSDS 3.0 schemas copied into ``standards/``.
The public export shows only public services, locations as ``public.py`` allows and public contacts;
internal notes are never exported, and funding only in the staff export.

An import checks every record against the same schemas and Waymark's own rules first and reports
every problem at once, each named so a person can find it ("service 3 ('Open Door'), field
minimum_age: must be a whole number", "services.csv row 7, column status: ..."). Nothing is written
unless every record passes; then everything is written in one transaction through the services.
"""

import csv
import datetime
import functools
import io
import json
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.text import slugify
from jsonschema import Draft202012Validator
from jsonschema import ValidationError as SchemaError

from waymark.core.audit import acting_as
from waymark.core.choices import OrganisationType
from waymark.core.jobs import JobProgress, job_task
from waymark.core.models import Community, Job, Language, Organisation, Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.core.problems import ProblemList
from waymark.core.services import (
    create_organisation,
    find_similar_organisations,
    organisation_name_key,
    update_organisation,
)
from waymark.core.spreadsheets import spreadsheet_unescaped, write_csv
from waymark.core.text import contains_nul, refuse_nul_characters
from waymark.core.uploads import archive_limits_refusal, upload_limits
from waymark.directory import services as directory_services
from waymark.directory.choices import FundingType, LocationVisibility, VolunteerReliance, Weekday
from waymark.directory.models import (
    Contact,
    FundingSource,
    HolidayException,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from waymark.directory.public import district_of, public_contacts, public_location

STANDARDS = Path(__file__).parent / "standards"
ORUK_SERVICE_SCHEMA = STANDARDS / "uk-profile" / "schema" / "compiled" / "service.json"
ORUK_SERVICE_LIST_SCHEMA = STANDARDS / "uk-profile" / "schema" / "compiled" / "service_list.json"
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
def _datapackage_resources() -> dict[str, dict[str, Any]]:
    return {resource["name"]: resource for resource in load_standard(HSDS_DATAPACKAGE)["resources"]}


def table_path(table: str) -> str:
    """The file name of ``table`` in the tabular package, as the HSDS data package names it."""
    return _datapackage_resources()[table]["path"]


def table_columns(table: str) -> list[str]:
    """The columns of ``table`` in the HSDS data package, in its order."""
    return [column["name"] for column in _datapackage_resources()[table]["schema"]["fields"]]


@functools.cache
def _row_validator(table: str) -> Draft202012Validator:
    """A row of a CSV table must have the table's required columns and its foreign keys (tabular_required)."""
    item = dict(load_standard(HSDS_TABULAR_SCHEMA)["properties"][table]["items"])
    item["required"] = [*item.get("required", []), *item.get("tabular_required", [])]
    return Draft202012Validator(item, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _number_columns(table: str) -> frozenset[str]:
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
_NESTING_BY_KEY = {(nesting.parent, nesting.key): nesting for nesting in NESTINGS}
_NESTINGS_BY_PARENT: dict[str, list[Nesting]] = defaultdict(list)
for _nesting in NESTINGS:
    _NESTINGS_BY_PARENT[_nesting.parent].append(_nesting)


# --- Export --------------------------------------------------------------------------------------------


def export_queryset(queryset: QuerySet[Service], *, public: bool) -> QuerySet[Service]:
    """``queryset`` with everything an export reads fetched in a fixed number of queries."""
    queryset = queryset.select_related("organisation").prefetch_related(
        Prefetch("categories", queryset=TaxonomyTerm.objects.select_related("taxonomy", "parent")),
        "languages",
        "communities",
        "contacts",
        "schedules",
        "holiday_exceptions",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__organisation", "location__ward"),
        ),
    )
    if public:
        return queryset
    return queryset.prefetch_related(
        Prefetch("funding_sources", queryset=FundingSource.objects.select_related("service")),
        Prefetch("organisation__funding_sources", queryset=FundingSource.objects.select_related("service")),
    )


def _public_services(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """The services anyone may see, whoever asks for the export."""
    return queryset.visible_to(AnonymousUser())  # type: ignore[attr-defined]


def export_service(service: Service, *, public: bool, funding_amounts: bool = True) -> dict[str, Any]:
    """``service`` as a fully nested HSDS service (Open Referral UK profile, with HSDS 3.0 fields).

    ``public=True`` is for anyone: the caller passes only public services (``visible_to`` an
    anonymous user); locations are shown as ``public.public_location`` allows, contacts only when
    public, and Waymark's staff-only details and funding are left out. ``funding_amounts=False`` leaves
    out the amounts for readers the policy keeps them from ("directory.view_funding_amounts").
    """
    sid = str(service.uuid)
    data: dict[str, Any] = {"id": sid, "organization_id": str(service.organisation.uuid), "name": service.name}
    _put(data, "alternate_name", service.alternate_name)
    data["description"] = service.description
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    data["status"] = service.status
    _put(data, "interpretation_services", INTERPRETER_TEXT if service.interpreter_available else "")
    _put(data, "application_process", service.application_process)
    _put(data, "fees_description", service.fees_description)
    _put(data, "eligibility_description", service.eligibility_description)
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "assured_date", service.last_verified_on.isoformat() if service.last_verified_on else None)
    data["phones"] = [_phone(service.phone, service_id=sid)] if service.phone else []
    data["schedules"] = _schedules(service)
    data["service_at_locations"] = [
        _service_at_location(link, sid, public=public)
        for link in sorted(service.service_at_locations.all(), key=lambda link: (link.location.name, link.uuid))
    ]
    data["languages"] = [
        {
            "id": derived_id(sid, "language", language.code),
            "service_id": sid,
            "name": language.name,
            "code": language.code,
        }
        for language in sorted(service.languages.all(), key=lambda language: language.code)
    ]
    data["organization"] = _organisation(service.organisation, public=public, funding_amounts=funding_amounts)
    data["cost_options"] = [_cost_option(service)]
    contacts = public_contacts(service) if public else list(service.contacts.all())
    data["contacts"] = [_contact(contact, sid, public=public) for contact in sorted(contacts, key=_by_title)]
    data["attributes"] = _service_attributes(service, public=public)
    if not public:
        data["funding"] = [
            _funding(funding, organisation=service.organisation, amount=funding_amounts)
            for funding in sorted(service.funding_sources.all(), key=_by_funder)
        ]
    return data


def export_json(services: QuerySet[Service], *, public: bool, funding_amounts: bool = True) -> dict[str, Any]:
    """Every service in ``services`` (only the public ones when ``public``) as one Open Referral UK page:
    the same shape as the API's ``/services`` answer, which ``import_hsds_json`` also reads."""
    if public:
        services = _public_services(services)
    contents = [
        export_service(service, public=public, funding_amounts=funding_amounts)
        for service in export_queryset(services, public=public).order_by("name", "uuid")
    ]
    return page_of(contents, total_items=len(contents), page_number=1, per_page=max(len(contents), 1))


def page_of(contents: list[Any], *, total_items: int, page_number: int, per_page: int) -> dict[str, Any]:
    """The Open Referral UK page format around ``contents``."""
    total_pages = max(1, -(-total_items // per_page))
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def export_tabular_package(services: QuerySet[Service], *, public: bool, funding_amounts: bool = True) -> bytes:
    """The HSDS tabular data package: a ZIP of ``datapackage.json`` and one CSV per table, with the
    HSDS column names. The public package has no funding table."""
    tables = flatten(export_json(services, public=public, funding_amounts=funding_amounts)["contents"])
    names = [table for table in TABLES if not (public and table in STAFF_ONLY_TABLES)]
    descriptor = dict(load_standard(HSDS_DATAPACKAGE))
    descriptor["resources"] = [_datapackage_resources()[table] for table in names]
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
            nesting = _NESTING_BY_KEY.get((table, key))
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


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    """Set an optional field only when it has a value, so exports carry no empty strings."""
    if value not in (None, ""):
        data[key] = value


def _by_title(contact: Contact) -> tuple[str, str]:
    return contact.title, str(contact.uuid)


def _by_funder(funding: FundingSource) -> tuple[str, str]:
    return funding.funder, str(funding.uuid)


def _phone(number: str, **owner: str) -> dict[str, Any]:
    (owner_column, owner_id), *_ = owner.items()
    return {"id": derived_id(owner_id, "phone"), owner_column: owner_id, "number": number}


def _time(value: datetime.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _schedules(service: Service) -> list[dict[str, Any]]:
    """Weekly hours (freq WEEKLY, one byday each) then holiday dates (valid_from to valid_to, no freq)."""
    sid = str(service.uuid)
    weekly = sorted(service.schedules.all(), key=lambda s: (list(Weekday.values).index(s.weekday), s.opens_at))
    schedules = []
    for schedule in weekly:
        item = {
            "id": str(schedule.uuid),
            "service_id": sid,
            "freq": "WEEKLY",
            "byday": schedule.weekday,
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
        }
        _put(item, "notes", schedule.notes)
        schedules.append(item)
    for exception in sorted(service.holiday_exceptions.all(), key=lambda e: (e.starts_on, str(e.uuid))):
        item = {
            "id": str(exception.uuid),
            "service_id": sid,
            "valid_from": exception.starts_on.isoformat(),
            "valid_to": exception.ends_on.isoformat(),
            "description": "Closed" if exception.closed else "Open at different times",
        }
        if not exception.closed:
            _put(item, "opens_at", _time(exception.opens_at))
            _put(item, "closes_at", _time(exception.closes_at))
        _put(item, "notes", exception.notes)
        schedules.append(item)
    return schedules


def _service_at_location(link: ServiceAtLocation, service_id: str, *, public: bool) -> dict[str, Any]:
    return {
        "id": str(link.uuid),
        "service_id": service_id,
        "location_id": str(link.location.uuid),
        "location": _public_location(link.location) if public else _staff_location(link.location),
    }


def _staff_location(location: Location) -> dict[str, Any]:
    lid = str(location.uuid)
    data: dict[str, Any] = {
        "id": lid,
        "location_type": "physical",
        "organization_id": str(location.organisation.uuid),
        "name": location.name,
    }
    _put(data, "description", location.description)
    if location.latitude is not None and location.longitude is not None:
        data["latitude"] = float(location.latitude)
        data["longitude"] = float(location.longitude)
    if location.address_1 or location.postcode:
        data["addresses"] = [_address(lid, location.address_1, location.address_2, location.city, location.postcode)]
    data["accessibility"] = _accessibility(lid, location.step_free_access)
    data["attributes"] = [_attribute(lid, "location", "public-visibility", location.visibility)]
    return data


def _public_location(location: Location) -> dict[str, Any]:
    """Only what ``directory.public`` allows, and no more: a district-only location keeps just its
    postcode district (no name, no street, and no coordinates, not even the district's middle); a
    hidden one is "Contact to arrange", with no address and no coordinates."""
    lid = str(location.uuid)
    data: dict[str, Any] = {"id": lid, "location_type": "physical", "organization_id": str(location.organisation.uuid)}
    if location.visibility == LocationVisibility.DISTRICT:
        district = district_of(location.postcode)  # public_location would also look up the district's middle
        if district:
            data["addresses"] = [_address(lid, "", "", "", district)]
        data["accessibility"] = _accessibility(lid, location.step_free_access)
        return data
    shown = public_location(location)
    _put(data, "name", shown.name)
    if shown.visibility == LocationVisibility.FULL:
        if shown.latitude is not None and shown.longitude is not None:
            data["latitude"] = float(shown.latitude)
            data["longitude"] = float(shown.longitude)
        if shown.address_1 or shown.postcode:
            data["addresses"] = [_address(lid, shown.address_1, shown.address_2, shown.city, shown.postcode)]
    data["accessibility"] = _accessibility(lid, shown.step_free_access)
    return data


def _address(location_id: str, address_1: str, address_2: str, city: str, postcode: str) -> dict[str, Any]:
    address = {"id": derived_id(location_id, "address"), "location_id": location_id, "address_1": address_1}
    _put(address, "address_2", address_2)
    address.update(
        city=city, state_province=STATE_PROVINCE, postal_code=postcode, country=COUNTRY, address_type="physical"
    )
    return address


def _accessibility(location_id: str, step_free: bool) -> list[dict[str, Any]]:
    if not step_free:
        return []
    return [{"id": derived_id(location_id, "step-free"), "location_id": location_id, "description": STEP_FREE_TEXT}]


def _organisation(organisation: Organisation, *, public: bool, funding_amounts: bool) -> dict[str, Any]:
    oid = str(organisation.uuid)
    data: dict[str, Any] = {"id": oid, "name": organisation.name}
    _put(data, "alternate_name", organisation.alternate_name)
    data["description"] = organisation.description
    if not public:
        _put(data, "email", organisation.email)
    _put(data, "website", organisation.website)
    data["organization_identifiers"] = [
        {
            "id": derived_id(oid, scheme),
            "organization_id": oid,
            "identifier_scheme": scheme,
            "identifier_type": label,
            "identifier": getattr(organisation, field_name),
        }
        for field_name, (scheme, label) in IDENTIFIER_SCHEMES.items()
        if getattr(organisation, field_name)
    ]
    data["attributes"] = [_attribute(oid, "organization", "organisation-type", organisation.org_type)]
    if not public:
        data["funding"] = [
            _funding(funding, organisation=organisation, amount=funding_amounts)
            for funding in sorted(organisation.funding_sources.all(), key=_by_funder)
            if funding.service_id is None
        ]
    return data


def _cost_option(service: Service) -> dict[str, Any]:
    sid = str(service.uuid)
    if service.is_free:
        return {"id": derived_id(sid, "cost"), "service_id": sid, "option": "Free", "amount": 0, "currency": "GBP"}
    option = {"id": derived_id(sid, "cost"), "service_id": sid, "option": "There is a charge"}
    _put(option, "amount_description", service.fees_description)
    return option


def _contact(contact: Contact, service_id: str, *, public: bool) -> dict[str, Any]:
    cid = str(contact.uuid)
    data: dict[str, Any] = {"id": cid, "service_id": service_id, "title": contact.title}
    _put(data, "name", contact.name)
    _put(data, "email", contact.email)
    data["phones"] = [_phone(contact.phone, contact_id=cid)] if contact.phone else []
    data["attributes"] = [] if public or contact.public else [_attribute(cid, "contact", "staff-only-contact", "true")]
    return data


def _funding(funding: FundingSource, *, organisation: Organisation, amount: bool) -> dict[str, Any]:
    fid = str(funding.uuid)
    data: dict[str, Any] = {"id": fid, "organization_id": str(organisation.uuid)}
    if funding.service_id:
        data["service_id"] = str(funding.service.uuid)  # type: ignore[union-attr]
    data["source"] = funding.funder
    attributes = [_attribute(fid, "funding", "funding-type", funding.funding_type)]
    if amount and funding.amount is not None:
        attributes.append(_attribute(fid, "funding", "funding-amount", f"{funding.amount:.2f}"))
    if funding.starts_on:
        attributes.append(_attribute(fid, "funding", "funding-starts-on", funding.starts_on.isoformat()))
    if funding.ends_on:
        attributes.append(_attribute(fid, "funding", "funding-ends-on", funding.ends_on.isoformat()))
    data["attributes"] = attributes
    return data


def _detail_term(code: str) -> dict[str, Any]:
    name, description = DETAILS[code]
    return {
        "id": detail_term_id(code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": DETAILS_TAXONOMY["name"],
        "taxonomy_id": DETAILS_TAXONOMY_ID,
        "taxonomy_detail": DETAILS_TAXONOMY,
    }


def _attribute(link_id: str, link_entity: str, code: str, value: str) -> dict[str, Any]:
    term = _detail_term(code)
    return {
        "id": derived_id(link_id, code, value),
        "link_id": link_id,
        "taxonomy_term_id": term["id"],
        "link_entity": link_entity,
        "value": value,
        "taxonomy_term": term,
    }


def _category(service_id: str, term: TaxonomyTerm) -> dict[str, Any]:
    taxonomy = term.taxonomy
    detail: dict[str, Any] = {"id": str(taxonomy.uuid), "name": taxonomy.name, "description": taxonomy.description}
    _put(detail, "uri", taxonomy.uri)
    _put(detail, "version", taxonomy.version)
    data: dict[str, Any] = {"id": str(term.uuid), "code": term.code, "name": term.name, "description": term.description}
    if term.parent_id:
        data["parent_id"] = str(term.parent.uuid)  # type: ignore[union-attr]
    data.update(taxonomy=taxonomy.name, taxonomy_id=str(taxonomy.uuid), taxonomy_detail=detail)
    return {
        "id": derived_id(service_id, term.uuid),
        "link_id": service_id,
        "taxonomy_term_id": str(term.uuid),
        "link_entity": "service",
        "taxonomy_term": data,
    }


def _service_attributes(service: Service, *, public: bool) -> list[dict[str, Any]]:
    sid = str(service.uuid)
    attributes = [_category(sid, term) for term in sorted(service.categories.all(), key=lambda t: (t.name, t.uuid))]
    if not public:
        attributes.append(_attribute(sid, "service", "published", "true" if service.published else "false"))
        attributes.append(_attribute(sid, "service", "volunteer-reliance", service.volunteer_reliance))
    for route, field_name in REFERRAL_ROUTES.items():
        if getattr(service, field_name):
            attributes.append(_attribute(sid, "service", "referral-route", route))
    for community in sorted(service.communities.all(), key=lambda c: c.name):
        attributes.append(_attribute(sid, "service", "community-served", community.name))
    if service.accessibility_description:
        attributes.append(_attribute(sid, "service", "accessibility", service.accessibility_description))
    return attributes


# --- Import: the report --------------------------------------------------------------------------------


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


class _Places:
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


def _with_name(label: str, record: Any) -> str:
    name = _name_of(record) if isinstance(record, Mapping) else ""
    return f"{label} ('{name}')" if name else label


def _label_nested(places: _Places, record: Any, table: str, label: str) -> None:
    if not isinstance(record, Mapping):
        return
    places.labels[id(record)] = label
    for nesting in _NESTINGS_BY_PARENT[table]:
        value = record.get(nesting.key)
        word = _RECORD_WORDS[nesting.child]
        if nesting.to_one:
            child_label = _with_name(f"{label}, {word}" if word else label, value)
            _label_nested(places, value, nesting.child, child_label)
        elif isinstance(value, list):
            for number, child in enumerate(value, start=1):
                _label_nested(places, child, nesting.child, _with_name(f"{label}, {word} {number}", child))


# --- Import: reading the files ---------------------------------------------------------------------------


ProgressCallback = Callable[[int, int, str], None]


def import_hsds_json(data: Any, *, actor: Any, progress: ProgressCallback | None = None) -> ImportReport:
    """Import HSDS services: an Open Referral UK page (``contents``), a list of services, or one service.

    Every record is checked first and every problem reported; nothing is written unless all pass.
    """
    if isinstance(data, Mapping) and isinstance(data.get("contents"), list):
        services = data["contents"]
    elif isinstance(data, list):
        services = data
    elif isinstance(data, Mapping) and "id" in data and "name" in data:
        services = [data]
    else:
        return ImportReport(
            errors=[
                ImportProblem(
                    "the file", "", "is not HSDS services: expected a list of services or a page with 'contents'"
                )
            ]
        )
    if not services:
        return ImportReport(errors=[ImportProblem("the file", "", "has no services to import")])
    max_rows = upload_limits("hsds").max_rows
    if len(services) > max_rows:
        message = f"has {len(services):,} services; import at most {max_rows:,} at a time"
        return ImportReport(errors=[ImportProblem("the file", "", message)])
    places = _Places("field")
    for number, service in enumerate(services, start=1):
        _label_nested(places, service, "service", _with_name(f"service {number}", service))
    return _Importer(actor=actor, places=places, progress=progress).run(services)


def read_json_file(raw: bytes) -> tuple[Any, ImportReport | None]:
    """Parse an uploaded JSON file; on failure, a report saying where the JSON is broken."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
        if not contains_nul(data):
            return data, None
        message = "holds an invisible NUL character (\\u0000); remove it and try again"
    except UnicodeDecodeError:
        message = "is not UTF-8 text; save it as UTF-8 and try again"
    except json.JSONDecodeError as error:
        message = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    return None, ImportReport(errors=[ImportProblem("the file", "", message)])


def import_tabular_package(zip_bytes: bytes, *, actor: Any, progress: ProgressCallback | None = None) -> ImportReport:
    """Import an HSDS tabular data package (a ZIP of CSV files, one per table).

    Every row is checked against the HSDS table schemas and every reference between tables is
    followed; the services are then nested and checked like a JSON import, so one report lists
    every problem. Nothing is written unless every row passes.
    """
    places = _Places("column")
    tables, problems = _read_tables(zip_bytes)
    if not tables.get("service"):
        return ImportReport(errors=problems)
    services, reference_problems, warnings = _assemble(tables, places)
    importer = _Importer(actor=actor, places=places, progress=progress)
    importer.report.errors.extend(problems + reference_problems)
    importer.report.warnings.extend(warnings)
    return importer.run(services)


class ImportRejected(Exception):
    """The file had problems, so nothing was imported; the job's result lists them."""


IMPORT_JOB_NAME = "hsds_import"


def _upload_kept(job: Job) -> bool:
    """An import writes all or nothing, so it may be run again while its upload is still stored."""
    path = job.task_kwargs.get("path")
    return bool(path) and default_storage.exists(path)


@job_task(can_run_again=_upload_kept)
def import_uploaded_file(*, job: Job, progress: JobProgress, path: str) -> dict[str, Any]:
    """Background job: import the HSDS file saved at ``path`` in the default storage (a .zip tabular
    package, else JSON), then delete the file. A rejected file fails the job, with every problem in
    its result. Only a worker that dies part-way leaves the file, for "Run again"."""
    try:
        with default_storage.open(path, "rb") as upload:
            raw = upload.read()
        if path.endswith(".zip"):
            report = import_tabular_package(raw, actor=job.created_by, progress=progress)
        else:
            data, unreadable = read_json_file(raw)
            report = unreadable or import_hsds_json(data, actor=job.created_by, progress=progress)
    finally:
        default_storage.delete(path)  # it may hold staff-only data: keep it no longer than the import
    if report.errors:
        job.result = report.as_dict()
        job.save(update_fields=["result"])
        count = report.problem_count
        raise ImportRejected(
            f"Nothing was imported: the file has {count:,} problem{'s' if count != 1 else ''} to put right first."
        )
    return report.as_dict()


@dataclass
class _Row:
    table: str
    label: str  # "services.csv row 7"
    values: dict[str, Any]


def _read_tables(zip_bytes: bytes) -> tuple[dict[str, list[_Row]], list[ImportProblem]]:
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
    validator = _row_validator(table)
    missing = [column for column in validator.schema["required"] if column not in header]
    for column in missing:
        problems.append(ImportProblem(path, f"column {column}", "is missing from the file's first row"))
    numbers = _number_columns(table)
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
            column, message = _schema_message(error)
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


def _assemble(
    tables: dict[str, list[_Row]], places: _Places
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
        for nesting in _NESTINGS_BY_PARENT[row.table]:
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


# --- Import: checking and writing -----------------------------------------------------------------------


def _schema_message(error: SchemaError) -> tuple[str, str]:
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


def _deepest_record(service: Any, path: Iterable[Any]) -> Any:
    """The innermost record (JSON object) on ``path`` from the service: where the problem is."""
    record = service
    current = service
    for part in path:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(current, Mapping):
            record = current
    return record


class _Invalid(Exception):
    """A record broke a rule; the problem has been noted."""


@dataclass
class _OrganisationPlan:
    hsds_id: str
    existing: Organisation | None
    data: dict[str, Any]
    record: Mapping[str, Any]
    organisation: Organisation | None = None


@dataclass
class _LocationPlan:
    hsds_id: str
    existing: Location | None
    organisation_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]
    location: Location | None = None


@dataclass
class _TermPlan:
    hsds_id: str
    taxonomy: Taxonomy | dict[str, Any]
    parent_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]
    term: TaxonomyTerm | None = None


@dataclass
class _FundingPlan:
    hsds_id: str
    existing: FundingSource | None
    organisation_id: str
    service_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]


@dataclass
class _ServicePlan:
    hsds_id: str
    existing: Service | None
    organisation_id: str
    data: dict[str, Any]
    location_links: list[tuple[str, str]]  # (location id, service_at_location id)
    contacts: list[Mapping[str, Any]]
    schedules: list[Mapping[str, Any]]
    exceptions: list[Mapping[str, Any]]
    record: Mapping[str, Any]


class _Importer:
    """Checks every record, then writes them all in one transaction if none has a problem."""

    def __init__(self, *, actor: Any, places: _Places, progress: ProgressCallback | None) -> None:
        self.actor = actor
        self.places = places
        self.progress = progress or (lambda current, total, message: None)
        self.report = ImportReport()
        self.organisations: dict[str, _OrganisationPlan] = {}
        self.locations: dict[str, _LocationPlan] = {}
        self.taxonomies: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, _TermPlan] = {}
        self.existing_terms: dict[str, TaxonomyTerm] = {}
        self.funding: dict[str, _FundingPlan] = {}
        self.services: list[_ServicePlan] = []
        self.file_service_ids: list[str] = []  # a service is not a duplicate of another in the same file
        self.languages = {language.code: language for language in Language.objects.all()}
        self.languages_by_name = {language.name.casefold(): language for language in self.languages.values()}
        self.communities = {community.name.casefold(): community for community in Community.objects.all()}

    # Problems ---------------------------------------------------------------------------------------

    def _where(self, record: Any, fallback: Any = None) -> str:
        label = self.places.label(record)
        return label or (self.places.label(fallback) if fallback is not None else "")

    def error(self, record: Any, field_name: str, message: str, *, fallback: Any = None) -> None:
        field_label = f"{self.places.field_word} {field_name}" if field_name else ""
        self.report.errors.append(ImportProblem(self._where(record, fallback), field_label, message))

    def warn(self, record: Any, message: str, field_name: str = "") -> None:
        field_label = f"{self.places.field_word} {field_name}" if field_name else ""
        self.report.warnings.append(ImportProblem(self._where(record), field_label, message))

    def model_errors(self, record: Any, error: ValidationError, names: Mapping[str, str] | None = None) -> None:
        """A model's full_clean() problems, named by their HSDS fields."""
        for model_field, errors in error.error_dict.items() if hasattr(error, "error_dict") else [("", [error])]:
            hsds_field = (names or {}).get(model_field, model_field if model_field != "__all__" else "")
            for item in errors:
                if item.code in {"blank", "null", "required"}:
                    self.error(record, hsds_field, "is missing")
                else:
                    self.error(record, hsds_field, " ".join(item.messages))

    def check(self, record: Any, instance: models.Model, exclude: list[str], names: Mapping[str, str]) -> None:
        try:
            refuse_nul_characters(instance)
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            self.model_errors(record, error, names)

    # The run ----------------------------------------------------------------------------------------

    def run(self, services: list[Any]) -> ImportReport:
        total = len(services)
        checked: dict[Any, tuple[Mapping[str, Any], bool]] = {}  # id → (service, whether the schemas pass)
        for number, service in enumerate(services, start=1):
            if not isinstance(service, Mapping):
                self.report.errors.append(ImportProblem(f"service {number}", "", "must be a record with named fields"))
                continue
            errors = service_schema_errors(service)
            for error in errors:
                field_name, message = _schema_message(error)
                record = _deepest_record(service, error.absolute_path)
                self.error(record, field_name, message, fallback=service)
            key = service.get("id") if isinstance(service.get("id"), str) else f"#{number}"
            if key in checked:
                self.error(service, "id", "another service in the file has the same id")
            else:
                checked[key] = (service, not errors)
            self.progress(number, total * 2, "Checking the services")
        # Waymark's rules run on every service, so one report lists every problem; a problem the
        # schemas already named is not told twice in other words.
        self.file_service_ids = [key for key in checked if _is_uuid(key)]
        already_named = {(problem.record, problem.field) for problem in self.report.errors}
        first_rule_error = len(self.report.errors)
        # Organisations first, so a location may name any organisation in the file.
        organisation_ids = {
            key: self._tolerating(passes, self._plan_organisation, service) or ""
            for key, (service, passes) in checked.items()
        }
        for key, (service, passes) in checked.items():
            self._tolerating(passes, self._plan_service, service, organisation_ids[key])
        if self.report.errors:
            rule_errors = [
                problem
                for problem in self.report.errors[first_rule_error:]
                if (problem.record, problem.field) not in already_named
            ]
            errors = self.report.errors[:first_rule_error] + rule_errors
            # In file order; a row's problem found both in its table and in its nested service told once.
            self.report.errors = sorted(dict.fromkeys(errors), key=_file_order)
            return self.report
        try:
            with transaction.atomic(), acting_as(self.actor):
                self._write(total)
        except _Invalid:
            self.report.created.clear()
            self.report.updated.clear()
        return self.report

    # Planning: every rule checked, nothing written --------------------------------------------------

    @staticmethod
    def _tolerating(passes: bool, plan: Callable[..., Any], *args: Any) -> Any:
        """Run a planning step; on a service the schemas rejected, a shape the rules cannot read
        (a list where a record should be) ends its checks instead of the import."""
        if passes:
            return plan(*args)
        try:
            return plan(*args)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError, ArithmeticError, ValidationError):
            return None  # an id that is not a UUID reaches the database lookups as a ValidationError

    def _details(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        """Waymark's details among a record's attributes: code → values."""
        details: dict[str, list[str]] = defaultdict(list)
        for attribute in record.get("attributes") or []:
            code = self._detail_code(attribute)
            if code:
                details[code].append(str(attribute.get("value") or "").strip())
        return details

    @staticmethod
    def _detail_code(attribute: Mapping[str, Any]) -> str:
        term = attribute.get("taxonomy_term") or {}
        term_id = attribute.get("taxonomy_term_id") or term.get("id") or ""
        if term_id in DETAIL_CODES_BY_TERM_ID:
            return DETAIL_CODES_BY_TERM_ID[term_id]
        if term.get("taxonomy_id") == DETAILS_TAXONOMY_ID and term.get("code") in DETAILS:
            return term["code"]
        return ""

    def _choice(self, record: Any, values: list[str] | None, choices: type[models.TextChoices], code: str) -> str:
        """The detail's value if it is one of ``choices``; "" when the record has no such detail or a wrong one."""
        if not values:
            return ""
        if values[0] not in choices.values:
            self.error(record, "attributes", f"'{values[0]}' is not one of {', '.join(choices.values)} ({code})")
            return ""
        return values[0]

    def _plan_service(self, service: Mapping[str, Any], organisation_id: str) -> None:
        sid = service["id"]
        existing = Service.objects.filter(uuid=sid).first()
        details = self._details(service)
        data: dict[str, Any] = {
            "name": _text(service, "name"),
            "alternate_name": _text(service, "alternate_name"),
            "description": _text(service, "description"),
            "url": _text(service, "url"),
            "email": _text(service, "email"),
            "phone": self._first_phone(service),
            "status": _text(service, "status"),
            "eligibility_description": _text(service, "eligibility_description"),
            "minimum_age": self._age(service, "minimum_age"),
            "maximum_age": self._age(service, "maximum_age"),
            "fees_description": _text(service, "fees_description"),
            "is_free": self._is_free(service),
            "application_process": _text(service, "application_process"),
            "interpreter_available": bool(_text(service, "interpretation_services")),
            "last_verified_on": self._date(service, "assured_date"),
            "categories": self._categories(service),
            "languages": self._languages(service),
        }
        if details.get("published"):
            data["published"] = details["published"][0] == "true"
        reliance = self._choice(service, details.get("volunteer-reliance"), VolunteerReliance, "volunteer-reliance")
        if reliance:
            data["volunteer_reliance"] = reliance
        if details or existing is None:
            # Referral routes, communities and accessibility come only from Waymark's details: a file
            # from elsewhere leaves what Waymark already knows alone.
            routes = set(details.get("referral-route", []))
            for route in routes - set(REFERRAL_ROUTES):
                self.error(
                    service, "attributes", f"'{route}' is not one of {', '.join(REFERRAL_ROUTES)} (referral-route)"
                )
            for route, field_name in REFERRAL_ROUTES.items():
                data[field_name] = route in routes
            data["communities"] = self._communities(service, details.get("community-served", []))
            data["accessibility_description"] = (details.get("accessibility") or [""])[0]
        instance = Service(**{k: v for k, v in data.items() if k not in directory_services.SERVICE_M2M_FIELDS})
        self.check(service, instance, ["organisation", "owner", "uuid"], _SERVICE_FIELD_NAMES)

        location_links = []
        for link in service.get("service_at_locations") or []:
            location_id = self._plan_location(link, organisation_id)
            if location_id:
                location_links.append((location_id, link["id"]))
        schedules, exceptions = self._schedules(service)
        plan = _ServicePlan(
            hsds_id=sid,
            existing=existing,
            organisation_id=organisation_id,
            data=data,
            location_links=location_links,
            contacts=[self._contact(contact) for contact in service.get("contacts") or []],
            schedules=schedules,
            exceptions=exceptions,
            record=service,
        )
        for funding in service.get("funding") or []:
            self._plan_funding(funding, organisation_id, sid)
        self.services.append(plan)
        self._warn_if_duplicate(plan)

    def _warn_if_duplicate(self, plan: _ServicePlan) -> None:
        postcode = next(
            (
                self.locations[lid].data.get("postcode", "")
                for lid, _link in plan.location_links
                if lid in self.locations
            ),
            "",
        )
        similar = directory_services.find_similar_services(plan.data["name"], postcode, exclude=plan.existing)
        for other in similar.exclude(uuid__in=self.file_service_ids)[:3]:
            self.warn(
                plan.record,
                f"may be the same as '{other.name}' already in Waymark (a similar name or the same postcode); "
                "check it is not listed twice",
            )

    def _first_phone(self, record: Mapping[str, Any]) -> str:
        numbers = [_text(phone, "number") for phone in record.get("phones") or []]
        if len(numbers) > 1:
            self.warn(record, "has more than one phone number; Waymark keeps the first", "phones")
        return numbers[0] if numbers else ""

    def _age(self, service: Mapping[str, Any], key: str) -> int | None:
        value = service.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not float(value).is_integer():
            self.error(service, key, "must be a whole number")
            return None
        if value < 0 or value > 150:
            self.error(service, key, "must be an age from 0 to 150")
            return None
        return int(value)

    def _date(self, record: Mapping[str, Any], key: str) -> datetime.date | None:
        text = _text(record, key)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.error(record, key, f"'{text}' is not a date written like 2025-03-31")
            return None

    def _time(self, record: Mapping[str, Any], key: str) -> datetime.time | None:
        text = _text(record, key)
        if not text:
            return None
        match = _TIME.match(text)
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            self.error(record, key, f"'{text}' is not a time written like 09:30")
            return None
        return datetime.time(int(match[1]), int(match[2]))

    def _is_free(self, service: Mapping[str, Any]) -> bool:
        options = service.get("cost_options") or []
        if options:
            return any(option.get("amount") == 0 or _text(option, "option").casefold() == "free" for option in options)
        return not _text(service, "fees_description")

    def _languages(self, service: Mapping[str, Any]) -> list[Language]:
        found = []
        for record in service.get("languages") or []:
            code = _text(record, "code").lower()
            name = _text(record, "name")
            language = self.languages.get(code) or self.languages_by_name.get(name.casefold())
            if language is None:
                shown = code or name
                self.error(
                    record, "code", f"'{shown}' is not a language Waymark knows (give its ISO 639-3 code, like 'urd')"
                )
            else:
                found.append(language)
        return found

    def _communities(self, service: Mapping[str, Any], names: list[str]) -> list[Community]:
        found = []
        for name in names:
            community = self.communities.get(name.casefold())
            if community is None:
                self.error(service, "attributes", f"'{name}' is not a community Waymark knows (community-served)")
            else:
                found.append(community)
        return found

    def _categories(self, service: Mapping[str, Any]) -> list[str]:
        """The ids of the needs the service meets (taxonomy terms, planned or already in Waymark)."""
        term_ids = []
        for attribute in service.get("attributes") or []:
            if self._detail_code(attribute):
                continue
            term_id = self._plan_term(attribute)
            if term_id:
                term_ids.append(term_id)
        return term_ids

    def _plan_term(self, attribute: Mapping[str, Any]) -> str:
        record = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id") or (record or {}).get("id")
        if not term_id:
            self.error(attribute, "taxonomy_term_id", "is missing")
            return ""
        if term_id in self.terms or term_id in self.existing_terms:
            return term_id
        existing = TaxonomyTerm.objects.filter(uuid=term_id).first()
        if existing is None and record is not None:
            # Not known by id: the same code in the same taxonomy is the same term.
            taxonomy = self._taxonomy(record)
            code = _text(record, "code") or slugify(_text(record, "name"))[:100] or "term"
            if isinstance(taxonomy, Taxonomy):
                existing = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).first()
            if existing is None:
                data = {"code": code, "name": _text(record, "name"), "description": _text(record, "description")}
                self.check(record, TaxonomyTerm(**data), ["taxonomy", "parent", "uuid"], {})
                self.terms[term_id] = _TermPlan(term_id, taxonomy, _text(record, "parent_id"), data, record)
                return term_id
        if existing is None:
            self.error(
                attribute, "taxonomy_term_id", f"no taxonomy term has the id '{term_id}' in the file or in Waymark"
            )
            return ""
        self.existing_terms[term_id] = existing
        return term_id

    def _taxonomy(self, term: Mapping[str, Any]) -> Taxonomy | dict[str, Any]:
        """The term's taxonomy: one Waymark has (by id, then name) or one to create."""
        detail = term.get("taxonomy_detail") or {}
        taxonomy_id = _text(term, "taxonomy_id") or _text(detail, "id")
        name = _text(detail, "name") or _text(term, "taxonomy") or "Imported needs"
        existing = (Taxonomy.objects.filter(uuid=taxonomy_id).first() if taxonomy_id else None) or (
            Taxonomy.objects.filter(name=name).order_by("pk").first()
        )
        if existing is not None:
            return existing
        key = taxonomy_id or derived_id("taxonomy", name)
        if key not in self.taxonomies:
            data = {
                "uuid": key,
                "name": name,
                "description": _text(detail, "description"),
                "uri": _text(detail, "uri"),
                "version": _text(detail, "version"),
            }
            self.check(detail or term, Taxonomy(**data), ["uuid"], {"name": "name" if detail else "taxonomy"})
            self.taxonomies[key] = data
        return self.taxonomies[key]

    def _plan_organisation(self, service: Mapping[str, Any]) -> str:
        record = service.get("organization")
        organisation_id = service.get("organization_id") or (record or {}).get("id") or ""
        if not organisation_id:
            self.error(service, "organization", "is missing: every service needs the organisation that runs it")
            return ""
        if organisation_id in self.organisations:
            return organisation_id
        existing = Organisation.objects.filter(uuid=organisation_id).first()
        if record is None:
            if existing is None:
                self.error(
                    service,
                    "organization_id",
                    f"no organisation has the id '{organisation_id}' in the file or in Waymark",
                )
                return ""
            self.organisations[organisation_id] = _OrganisationPlan(organisation_id, existing, {}, service)
            return organisation_id
        details = self._details(record)
        data: dict[str, Any] = {key: _text(record, key) for key in ("name", "alternate_name", "description", "email")}
        data["website"] = _text(record, "website")
        for identifier in record.get("organization_identifiers") or []:
            for field_name, (scheme, _label) in IDENTIFIER_SCHEMES.items():
                if _text(identifier, "identifier_scheme") == scheme:
                    data[field_name] = _text(identifier, "identifier")
        org_type = self._choice(record, details.get("organisation-type"), OrganisationType, "organisation-type")
        if org_type:
            data["org_type"] = org_type
        if existing is None:
            existing = self._organisation_by_name(record, data["name"])
            if existing is not None:
                self.organisations[organisation_id] = _OrganisationPlan(organisation_id, existing, {}, record)
                return organisation_id
            if "org_type" not in data:
                data["org_type"] = (
                    OrganisationType.CHARITY if data.get("charity_number") else OrganisationType.COMMUNITY_GROUP
                )
                self.warn(
                    record,
                    f"has no organisation type; recorded as '{OrganisationType(data['org_type']).label}': check it",
                )
        else:
            # Fields the file leaves out keep what Waymark has.
            data = {key: value for key, value in data.items() if key in record or key not in _ORGANISATION_KEYS}
            self.report.matched_organisations.append(
                f"'{existing.name}' is already in Waymark with the same id: its details were updated from the file"
            )
        exclude = ["uuid"] if "org_type" in data else ["uuid", "org_type"]
        self.check(record, Organisation(**data), exclude, _ORGANISATION_NAMES)
        self.organisations[organisation_id] = _OrganisationPlan(organisation_id, existing, data, record)
        for funding in record.get("funding") or []:
            self._plan_funding(funding, organisation_id, "")
        return organisation_id

    def _organisation_by_name(self, record: Mapping[str, Any], name: str) -> Organisation | None:
        key = organisation_name_key(name)
        for candidate in find_similar_organisations(name).order_by("pk"):
            if key and organisation_name_key(candidate.name) == key:
                self.report.matched_organisations.append(
                    f"'{name}' in the file is '{candidate.name}', already in Waymark: its services were added to it"
                )
                return candidate
        return None

    def _plan_location(self, link: Mapping[str, Any], organisation_id: str) -> str:
        record = link.get("location")
        location_id = link.get("location_id") or (record or {}).get("id") or ""
        if not location_id:
            self.error(link, "location", "is missing")
            return ""
        if location_id in self.locations:
            return location_id
        existing = Location.objects.filter(uuid=location_id).first()
        if record is None:
            if existing is None:
                self.error(link, "location_id", f"no location has the id '{location_id}' in the file or in Waymark")
                return ""
            self.locations[location_id] = _LocationPlan(location_id, existing, organisation_id, {}, link, existing)
            return location_id
        addresses = record.get("addresses") or []
        if len(addresses) > 1:
            self.warn(record, "has more than one address; Waymark keeps the first", "addresses")
        address = addresses[0] if addresses else {}
        details = self._details(record)
        visibility = self._choice(
            record, details.get("public-visibility"), LocationVisibility, "public-visibility"
        ) or (LocationVisibility.FULL if address else LocationVisibility.HIDDEN)
        data: dict[str, Any] = {
            "name": _text(record, "name") or _text(address, "address_1") or _text(address, "postal_code"),
            "description": _text(record, "description"),
            "address_1": _text(address, "address_1"),
            "address_2": _text(address, "address_2"),
            "city": _text(address, "city"),
            "postcode": _text(address, "postal_code"),
            "step_free_access": any(
                "step-free" in text or "step free" in text
                for text in (_text(item, "description").casefold() for item in record.get("accessibility") or [])
            ),
            "visibility": visibility,
        }
        point = self._point(record)
        if point:
            data["latitude"], data["longitude"] = point
        self._check_postcode(address or record, data, has_point=bool(point))
        self.check(record, Location(**data), ["organisation", "ward", "uuid"], _LOCATION_FIELD_NAMES)
        owner = _text(record, "organization_id")
        if owner and owner not in self.organisations:
            # An organisation already in Waymark but not in the file; otherwise the service's own.
            known = Organisation.objects.filter(uuid=owner).first()
            if known is None:
                owner = ""
            else:
                self.organisations[owner] = _OrganisationPlan(owner, known, {}, record)
        self.locations[location_id] = _LocationPlan(location_id, existing, owner or organisation_id, data, record)
        return location_id

    def _point(self, record: Mapping[str, Any]) -> tuple[Decimal, Decimal] | None:
        latitude, longitude = record.get("latitude"), record.get("longitude")
        if latitude is None and longitude is None:
            return None
        if latitude is None or longitude is None:
            self.error(record, "latitude" if latitude is None else "longitude", "is missing: give both or neither")
            return None
        if not -90 <= latitude <= 90:
            self.error(record, "latitude", "must be between -90 and 90")
            return None
        if not -180 <= longitude <= 180:
            self.error(record, "longitude", "must be between -180 and 180")
            return None
        six_places = Decimal("0.000001")
        return Decimal(str(latitude)).quantize(six_places), Decimal(str(longitude)).quantize(six_places)

    def _check_postcode(self, record: Mapping[str, Any], data: dict[str, Any], *, has_point: bool) -> None:
        postcode = data["postcode"]
        hidden = data["visibility"] == LocationVisibility.HIDDEN
        if not postcode:
            if not hidden:
                self.error(record, "postal_code", "is missing (a location without one must be marked hidden)")
            return
        try:
            data["postcode"] = normalise_postcode(postcode)
        except ValueError:
            self.error(record, "postal_code", f"'{postcode}' is not a full UK postcode")
            return
        if not hidden and not has_point and not Postcode.objects.filter(postcode=data["postcode"]).exists():
            self.error(
                record,
                "postal_code",
                f"'{data['postcode']}' is not in Waymark's postcode list: check it, or give the latitude and longitude",
            )

    def _contact(self, record: Mapping[str, Any]) -> dict[str, Any]:
        details = self._details(record)
        data = {
            "uuid": record["id"],
            "title": _text(record, "title") or _text(record, "department") or "Contact",
            "name": _text(record, "name"),
            "email": _text(record, "email"),
            "phone": self._first_phone(record),
            "public": (details.get("staff-only-contact") or [""])[0] != "true",
        }
        fields = {k: v for k, v in data.items() if k != "uuid"}
        self.check(record, Contact(**fields), ["service", "uuid"], {"phone": "phones"})
        return data

    def _schedules(self, service: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
        """Weekly hours (freq WEEKLY, or byday without freq) and holiday dates (valid_from without freq)."""
        weekly: list[Mapping[str, Any]] = []
        exceptions: list[Mapping[str, Any]] = []
        for record in service.get("schedules") or []:
            freq = _text(record, "freq")
            days = [day.strip().upper() for day in _text(record, "byday").split(",") if day.strip()]
            if freq == "WEEKLY" or (not freq and days and not _text(record, "valid_from")):
                weekly.extend(self._weekly(record, days))
            elif not freq and _text(record, "valid_from"):
                exceptions.append(self._exception(record))
            else:
                self.warn(record, "was not imported: Waymark keeps weekly opening hours and holiday dates only")
        return weekly, exceptions

    def _weekly(self, record: Mapping[str, Any], days: list[str]) -> list[dict[str, Any]]:
        if not days:
            self.error(record, "byday", "is missing: name the days, like MO,TU")
            return []
        opens_at, closes_at = self._time(record, "opens_at"), self._time(record, "closes_at")
        for key, value in (("opens_at", opens_at), ("closes_at", closes_at)):
            if value is None and not _text(record, key):
                self.error(record, key, "is missing")
        rows = []
        for number, day in enumerate(days):
            if day not in Weekday.values:
                self.error(record, "byday", f"'{day}' is not one of {', '.join(Weekday.values)}")
                continue
            data = {"weekday": day, "opens_at": opens_at, "closes_at": closes_at, "notes": _text(record, "notes")}
            if opens_at and closes_at and number == 0:
                self.check(record, Schedule(**data), ["service", "uuid"], {})
            rows.append({"uuid": record["id"] if number == 0 else derived_id(record["id"], day), **data})
        return rows

    def _exception(self, record: Mapping[str, Any]) -> dict[str, Any]:
        opens_at, closes_at = self._time(record, "opens_at"), self._time(record, "closes_at")
        starts_on = self._date(record, "valid_from")
        data = {
            "starts_on": starts_on,
            "ends_on": self._date(record, "valid_to") or starts_on,
            "closed": opens_at is None,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "notes": _text(record, "notes"),
        }
        if starts_on:
            self.check(
                record,
                HolidayException(**data),
                ["service", "uuid"],
                {"starts_on": "valid_from", "ends_on": "valid_to"},
            )
        return {"uuid": record["id"], **data}

    def _plan_funding(self, record: Mapping[str, Any], organisation_id: str, service_id: str) -> None:
        if record["id"] in self.funding:
            return
        details = self._details(record)
        source = _text(record, "source")
        funding_type = self._choice(record, details.get("funding-type"), FundingType, "funding-type")
        if not details.get("funding-type"):
            funding_type = _guess_funding_type(source)
            self.warn(record, f"has no funding type; recorded as '{FundingType(funding_type).label}': check it")
        data: dict[str, Any] = {"funder": source, "funding_type": funding_type, "amount": None}
        if details.get("funding-amount"):
            try:
                data["amount"] = Decimal(details["funding-amount"][0])
            except InvalidOperation:
                self.error(record, "attributes", f"'{details['funding-amount'][0]}' is not an amount (funding-amount)")
        for code, key in (("funding-starts-on", "starts_on"), ("funding-ends-on", "ends_on")):
            if details.get(code):
                try:
                    data[key] = datetime.date.fromisoformat(details[code][0])
                except ValueError:
                    self.error(
                        record, "attributes", f"'{details[code][0]}' is not a date written like 2025-03-31 ({code})"
                    )
        exclude = ["organisation", "service", "uuid"] + ([] if funding_type else ["funding_type"])
        self.check(record, FundingSource(**data), exclude, {"funder": "source"})
        existing = FundingSource.objects.filter(uuid=record["id"]).first()
        self.funding[record["id"]] = _FundingPlan(record["id"], existing, organisation_id, service_id, data, record)

    # Writing ----------------------------------------------------------------------------------------

    def _count(self, kind: str, created: bool, number: int = 1) -> None:
        if number:
            counts = self.report.created if created else self.report.updated
            counts[kind] = counts.get(kind, 0) + number

    def _write(self, total: int) -> None:
        self._write_terms()
        organisations: dict[str, Organisation] = {}
        for organisation_plan in self.organisations.values():
            organisations[organisation_plan.hsds_id] = self._guarded(
                organisation_plan.record, self._write_organisation, organisation_plan
            )
        locations: dict[str, Location] = {}
        for location_plan in self.locations.values():
            organisation = organisations[location_plan.organisation_id]
            locations[location_plan.hsds_id] = self._guarded(
                location_plan.record, self._write_location, location_plan, organisation
            )
        services: dict[str, Service] = {}
        for number, service_plan in enumerate(self.services, start=1):
            organisation = organisations[service_plan.organisation_id]
            services[service_plan.hsds_id] = self._guarded(
                service_plan.record, self._write_service, service_plan, organisation, locations
            )
            self.progress(total + number, total * 2, "Saving the services")
        for funding_plan in self.funding.values():
            self._guarded(funding_plan.record, self._write_funding, funding_plan, organisations, services)

    def _guarded(self, record: Any, write: Callable[..., Any], *args: Any) -> Any:
        """Run one write; a rule the checks could not see (a race, a database constraint) stops the import."""
        try:
            return write(*args)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                self.model_errors(record, error)
            else:
                for message in error.messages:
                    self.error(record, "", message)
            raise _Invalid from error

    def _write_terms(self) -> None:
        taxonomies: dict[str, Taxonomy] = {}
        pending = dict(self.terms)
        while pending:
            # Parents first: a term whose parent is still pending waits for the next pass.
            ready = [plan for plan in pending.values() if plan.parent_id not in pending]
            for plan in ready:
                if isinstance(plan.taxonomy, Taxonomy):
                    taxonomy = plan.taxonomy
                elif plan.taxonomy["uuid"] in taxonomies:
                    taxonomy = taxonomies[plan.taxonomy["uuid"]]
                else:
                    taxonomy = taxonomies[plan.taxonomy["uuid"]] = Taxonomy(**plan.taxonomy)
                    self._guarded(plan.record, _save_new, taxonomy)
                    self._count("taxonomies", True)
                parent = self._term(plan.parent_id)
                if plan.parent_id and parent is None:
                    self.warn(plan.record, "names a parent term that is in neither the file nor Waymark", "parent_id")
                term = TaxonomyTerm(uuid=plan.hsds_id, taxonomy=taxonomy, parent=parent, **plan.data)
                self._guarded(plan.record, _save_new, term)
                plan.term = term
                self._count("taxonomy_terms", True)
                del pending[plan.hsds_id]
            if not ready:  # a loop of parents: break it at the first term
                first = next(iter(pending.values()))
                first.parent_id = ""

    def _term(self, term_id: str) -> TaxonomyTerm | None:
        if not term_id:
            return None
        if term_id in self.terms:
            return self.terms[term_id].term
        if term_id in self.existing_terms:
            return self.existing_terms[term_id]
        return TaxonomyTerm.objects.filter(uuid=term_id).first()

    def _write_organisation(self, plan: _OrganisationPlan) -> Organisation:
        if plan.existing is None:
            organisation = create_organisation(actor=self.actor, data={"uuid": plan.hsds_id, **plan.data})
            self._count("organisations", True)
        elif plan.data:
            organisation = update_organisation(actor=self.actor, organisation=plan.existing, data=plan.data)
            self._count("organisations", False)
        else:
            organisation = plan.existing
        return organisation

    def _write_location(self, plan: _LocationPlan, organisation: Organisation) -> Location:
        if plan.location is not None:
            return plan.location
        if plan.existing is None:
            location = directory_services.create_location(
                actor=self.actor, organisation=organisation, data={"uuid": plan.hsds_id, **plan.data}
            )
            self._count("locations", True)
        else:
            location = directory_services.update_location(actor=self.actor, location=plan.existing, data=plan.data)
            self._count("locations", False)
        return location

    def _write_service(
        self, plan: _ServicePlan, organisation: Organisation, locations: Mapping[str, Location]
    ) -> Service:
        data = dict(plan.data)
        data["categories"] = [self._term(term_id) for term_id in data["categories"]]
        if plan.existing is None:
            service = directory_services.create_service(
                actor=self.actor, organisation=organisation, data={"uuid": plan.hsds_id, **data}
            )
            self._count("services", True)
        else:
            if plan.existing.organisation_id != organisation.pk:
                self.warn(plan.record, "is run by another organisation in Waymark; the organisation was left as it is")
            service = directory_services.update_service(actor=self.actor, service=plan.existing, data=data)
            self._count("services", False)
        self._link_locations(service, {locations[lid].pk: link_id for lid, link_id in plan.location_links})
        created = plan.existing is None
        directory_services.replace_contacts(actor=self.actor, service=service, contacts=plan.contacts)
        self._count("contacts", created, len(plan.contacts))
        directory_services.replace_schedules(actor=self.actor, service=service, schedules=plan.schedules)
        self._count("schedules", created, len(plan.schedules))
        directory_services.replace_holiday_exceptions(actor=self.actor, service=service, exceptions=plan.exceptions)
        self._count("holiday_exceptions", created, len(plan.exceptions))
        return service

    def _link_locations(self, service: Service, wanted: Mapping[int, str]) -> None:
        """Like ``services.set_service_locations``, but new links keep the ids the file gives them."""
        current = {link.location_id: link for link in ServiceAtLocation.objects.filter(service=service)}
        for location_pk, link in current.items():
            if location_pk not in wanted:
                link.delete()
        for location_pk, link_id in wanted.items():
            if location_pk not in current:
                _save_new(ServiceAtLocation(uuid=link_id, service=service, location_id=location_pk))
                self._count("service_at_locations", True)

    def _write_funding(
        self, plan: _FundingPlan, organisations: Mapping[str, Organisation], services: Mapping[str, Service]
    ) -> None:
        data = {**plan.data, "service": services.get(plan.service_id)}
        if plan.existing is None:
            directory_services.create_funding_source(
                actor=self.actor, organisation=organisations[plan.organisation_id], data={"uuid": plan.hsds_id, **data}
            )
            self._count("funding_sources", True)
        else:
            directory_services.update_funding_source(actor=self.actor, funding_source=plan.existing, data=data)
            self._count("funding_sources", False)


def _file_order(problem: ImportProblem) -> tuple[bool, list[Any]]:
    """Problems about the whole file first, then by record: "service 2" before "service 10", and a
    record before the records nested in it."""
    parts = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", problem.record)]
    return not problem.record.startswith("the file"), parts


def _save_new(instance: models.Model) -> None:
    refuse_nul_characters(instance)
    instance.full_clean()
    instance.save()


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


def _guess_funding_type(source: str) -> str:
    words = source.casefold()
    for word, funding_type in (("contract", FundingType.CONTRACT), ("donat", FundingType.DONATIONS)):
        if word in words:
            return funding_type
    return FundingType.GRANT


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_SERVICE_FIELD_NAMES = {
    "phone": "phones",
    "last_verified_on": "assured_date",
    "interpreter_available": "interpretation_services",
    "published": "attributes (published)",
    "volunteer_reliance": "attributes (volunteer-reliance)",
    "accessibility_description": "attributes (accessibility)",
}
_LOCATION_FIELD_NAMES = {"postcode": "postal_code", "visibility": "attributes (public-visibility)"}
_ORGANISATION_NAMES = {"org_type": "attributes (organisation-type)"}
_ORGANISATION_KEYS = frozenset({"name", "alternate_name", "description", "email", "website"})
