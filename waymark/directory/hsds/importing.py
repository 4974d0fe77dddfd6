"""Importing HSDS JSON or a tabular package: check everything, then write it all in one transaction or nothing."""

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from waymark.core.audit import acting_as
from waymark.core.models import Organisation
from waymark.core.services import (
    create_organisation,
    update_organisation,
)
from waymark.core.text import contains_nul
from waymark.core.uploads import upload_limits
from waymark.directory import services as directory_services
from waymark.directory.hsds.planning import (
    FundingPlan,
    ImportPlanner,
    LocationPlan,
    OrganisationPlan,
    ProgressCallback,
    ServicePlan,
)
from waymark.directory.hsds.report import ImportProblem, ImportReport, Places, file_order, label_nested, with_name
from waymark.directory.hsds.schema import schema_message, service_schema_errors
from waymark.directory.hsds.tabular import assemble, read_tables
from waymark.directory.models import (
    Location,
    Service,
    Taxonomy,
    TaxonomyTerm,
)


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
    places = Places("field")
    for number, service in enumerate(services, start=1):
        label_nested(places, service, "service", with_name(f"service {number}", service))
    return Importer(actor=actor, places=places, progress=progress).run(services)


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
    places = Places("column")
    tables, problems = read_tables(zip_bytes)
    if not tables.get("service"):
        return ImportReport(errors=problems)
    services, reference_problems, warnings = assemble(tables, places)
    importer = Importer(actor=actor, places=places, progress=progress)
    importer.report.errors.extend(problems + reference_problems)
    importer.report.warnings.extend(warnings)
    return importer.run(services)


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


class Importer(ImportPlanner):
    """Checks every record, then writes them all in one transaction if none has a problem."""

    def run(self, services: list[Any]) -> ImportReport:
        total = len(services)
        checked: dict[Any, tuple[Mapping[str, Any], bool]] = {}  # id → (service, whether the schemas pass)
        for number, service in enumerate(services, start=1):
            if not isinstance(service, Mapping):
                self.report.errors.append(ImportProblem(f"service {number}", "", "must be a record with named fields"))
                continue
            errors = service_schema_errors(service)
            for error in errors:
                field_name, message = schema_message(error)
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
            self.report.errors = sorted(dict.fromkeys(errors), key=file_order)
            return self.report
        try:
            with transaction.atomic(), acting_as(self.actor):
                self._write(total)
        except _Invalid:
            self.report.created.clear()
            self.report.updated.clear()
        return self.report

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

    def _guarded(self, record: Any, write: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one write; a rule the checks could not see (a race, a database constraint) stops the import."""
        try:
            return write(*args, **kwargs)
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
                    taxonomy = taxonomies[plan.taxonomy["uuid"]] = self._guarded(
                        plan.record, directory_services.create_taxonomy, actor=self.actor, data=plan.taxonomy
                    )
                    self._count("taxonomies", True)
                parent = self._term(plan.parent_id)
                if plan.parent_id and parent is None:
                    self.warn(plan.record, "names a parent term that is in neither the file nor Waymark", "parent_id")
                plan.term = self._guarded(
                    plan.record,
                    directory_services.create_taxonomy_term,
                    actor=self.actor,
                    taxonomy=taxonomy,
                    parent=parent,
                    data={"uuid": plan.hsds_id, **plan.data},
                )
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

    def _write_organisation(self, plan: OrganisationPlan) -> Organisation:
        if plan.existing is None:
            organisation = create_organisation(actor=self.actor, data={"uuid": plan.hsds_id, **plan.data})
            self._count("organisations", True)
        elif plan.data:
            organisation = update_organisation(actor=self.actor, organisation=plan.existing, data=plan.data)
            self._count("organisations", False)
        else:
            organisation = plan.existing
        return organisation

    def _write_location(self, plan: LocationPlan, organisation: Organisation) -> Location:
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
        self, plan: ServicePlan, organisation: Organisation, locations: Mapping[str, Location]
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
        added = directory_services.set_service_locations(
            actor=self.actor,
            service=service,
            locations=[locations[lid] for lid, _link_id in plan.location_links],
            link_ids={locations[lid].pk: link_id for lid, link_id in plan.location_links},
        )
        self._count("service_at_locations", True, added)
        created = plan.existing is None
        directory_services.replace_contacts(actor=self.actor, service=service, contacts=plan.contacts)
        self._count("contacts", created, len(plan.contacts))
        directory_services.replace_schedules(actor=self.actor, service=service, schedules=plan.schedules)
        self._count("schedules", created, len(plan.schedules))
        directory_services.replace_holiday_exceptions(actor=self.actor, service=service, exceptions=plan.exceptions)
        self._count("holiday_exceptions", created, len(plan.exceptions))
        return service

    def _write_funding(
        self, plan: FundingPlan, organisations: Mapping[str, Organisation], services: Mapping[str, Service]
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


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
