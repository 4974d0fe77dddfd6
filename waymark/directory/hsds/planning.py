"""An import's first pass: every record checked against Waymark's rules and its writes planned, nothing written."""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from waymark.core.choices import OrganisationType
from waymark.core.models import Community, Language, Organisation, Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.core.services import find_similar_organisations
from waymark.core.similar import name_key
from waymark.core.text import refuse_nul_characters
from waymark.directory import services as directory_services
from waymark.directory.choices import FundingType, LocationVisibility, VolunteerReliance, Weekday
from waymark.directory.hsds.report import ImportProblem, ImportReport, Places
from waymark.directory.hsds.schema import (
    DETAIL_CODES_BY_TERM_ID,
    DETAILS,
    DETAILS_TAXONOMY_ID,
    IDENTIFIER_SCHEMES,
    REFERRAL_ROUTES,
    derived_id,
)
from waymark.directory.models import (
    Contact,
    FundingSource,
    HolidayException,
    Location,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class OrganisationPlan:
    hsds_id: str
    existing: Organisation | None
    data: dict[str, Any]
    record: Mapping[str, Any]
    organisation: Organisation | None = None


@dataclass
class LocationPlan:
    hsds_id: str
    existing: Location | None
    organisation_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]
    location: Location | None = None


@dataclass
class TermPlan:
    hsds_id: str
    taxonomy: Taxonomy | dict[str, Any]
    parent_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]
    term: TaxonomyTerm | None = None


@dataclass
class FundingPlan:
    hsds_id: str
    existing: FundingSource | None
    organisation_id: str
    service_id: str
    data: dict[str, Any]
    record: Mapping[str, Any]


@dataclass
class ServicePlan:
    hsds_id: str
    existing: Service | None
    organisation_id: str
    data: dict[str, Any]
    location_links: list[tuple[str, str]]  # (location id, service_at_location id)
    contacts: list[Mapping[str, Any]]
    schedules: list[Mapping[str, Any]]
    exceptions: list[Mapping[str, Any]]
    record: Mapping[str, Any]


class ImportPlanner:
    """Checks every record of an import and plans what to write; ``Importer`` then writes the plans."""

    def __init__(self, *, actor: Any, places: Places, progress: ProgressCallback | None) -> None:
        self.actor = actor
        self.places = places
        self.progress = progress or (lambda current, total, message: None)
        self.report = ImportReport()
        self.organisations: dict[str, OrganisationPlan] = {}
        self.locations: dict[str, LocationPlan] = {}
        self.taxonomies: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, TermPlan] = {}
        self.existing_terms: dict[str, TaxonomyTerm] = {}
        self.funding: dict[str, FundingPlan] = {}
        self.services: list[ServicePlan] = []
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
        plan = ServicePlan(
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

    def _warn_if_duplicate(self, plan: ServicePlan) -> None:
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
                self.terms[term_id] = TermPlan(term_id, taxonomy, _text(record, "parent_id"), data, record)
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
            self.organisations[organisation_id] = OrganisationPlan(organisation_id, existing, {}, service)
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
                self.organisations[organisation_id] = OrganisationPlan(organisation_id, existing, {}, record)
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
        self.organisations[organisation_id] = OrganisationPlan(organisation_id, existing, data, record)
        for funding in record.get("funding") or []:
            self._plan_funding(funding, organisation_id, "")
        return organisation_id

    def _organisation_by_name(self, record: Mapping[str, Any], name: str) -> Organisation | None:
        key = name_key(name)
        for candidate in find_similar_organisations(name).order_by("pk"):
            if key and name_key(candidate.name) == key:
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
            self.locations[location_id] = LocationPlan(location_id, existing, organisation_id, {}, link, existing)
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
                self.organisations[owner] = OrganisationPlan(owner, known, {}, record)
        self.locations[location_id] = LocationPlan(location_id, existing, owner or organisation_id, data, record)
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
        self.funding[record["id"]] = FundingPlan(record["id"], existing, organisation_id, service_id, data, record)


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
