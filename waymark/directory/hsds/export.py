"""Services out as nested HSDS records (Open Referral UK JSON), for staff or for the public."""

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from waymark.core.models import Organisation
from waymark.directory.choices import LocationVisibility, Weekday
from waymark.directory.feeds.provenance import source_of, source_prefetch
from waymark.directory.hsds.schema import (
    COUNTRY,
    DETAIL_CODES_BY_TERM_ID,
    DETAILS,
    DETAILS_TAXONOMY,
    DETAILS_TAXONOMY_ID,
    IDENTIFIER_SCHEMES,
    INTERPRETER_TEXT,
    REFERRAL_ROUTES,
    STATE_PROVINCE,
    STEP_FREE_TEXT,
    derived_id,
    detail_term_id,
)
from waymark.directory.models import (
    Contact,
    FeedRecord,
    FundingSource,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    public_service_filter,
)
from waymark.directory.public import district_of, public_contacts, public_location


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
        source_prefetch(),
    )
    if public:
        return queryset
    return queryset.prefetch_related(
        Prefetch("funding_sources", queryset=FundingSource.objects.select_related("service")),
        Prefetch("organisation__funding_sources", queryset=FundingSource.objects.select_related("service")),
    )


def export_service(service: Service, *, public: bool, funding_amounts: bool = True) -> dict[str, Any]:
    """``service`` as a fully nested HSDS service (Open Referral UK profile, with HSDS 3.0 fields).

    ``public=True`` is for anyone: the caller passes only public services (``Service.objects.public()``);
    locations are shown as ``public.public_location`` allows, contacts only when public, and Waymark's
    staff-only details and funding are left out. ``funding_amounts=False`` leaves out the amounts for
    readers the policy keeps them from ("directory.view_funding_amounts").
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
    source = source_of(service)
    if source is not None:
        data["metadata"] = [_provenance(source, sid)]
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
        services = services.filter(public_service_filter())  # whoever asks for the export
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


def export_taxonomy(taxonomy: Taxonomy) -> dict[str, Any]:
    """A taxonomy as HSDS (and the API's /taxonomies) shows it."""
    data: dict[str, Any] = {"id": str(taxonomy.uuid), "name": taxonomy.name, "description": taxonomy.description}
    _put(data, "uri", taxonomy.uri)
    _put(data, "version", taxonomy.version)
    return data


def export_taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    """A taxonomy term with its taxonomy; the caller selects ``taxonomy`` and ``parent`` with it."""
    taxonomy = term.taxonomy
    data: dict[str, Any] = {"id": str(term.uuid), "code": term.code, "name": term.name, "description": term.description}
    if term.parent_id:
        data["parent_id"] = str(term.parent.uuid)  # type: ignore[union-attr]
    data.update(taxonomy=taxonomy.name, taxonomy_id=str(taxonomy.uuid), taxonomy_detail=export_taxonomy(taxonomy))
    return data


def export_organisation(organisation: Organisation) -> dict[str, Any]:
    """An organisation as the public sees it (no e-mail, no funding): the API's /organizations."""
    return _organisation(organisation, public=True, funding_amounts=False)


def export_service_summary(service: Service) -> dict[str, Any]:
    """A public service's own fields only (Open Referral UK service_list), with its organisation's basic fields."""
    data: dict[str, Any] = {"id": str(service.uuid), "organization_id": str(service.organisation.uuid)}
    data["name"] = service.name
    _put(data, "alternate_name", service.alternate_name)
    data["description"] = service.description
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    data["status"] = service.status
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "assured_date", service.last_verified_on.isoformat() if service.last_verified_on else None)
    organisation = service.organisation
    brief: dict[str, Any] = {"id": str(organisation.uuid), "name": organisation.name}
    brief["description"] = organisation.description
    _put(brief, "website", organisation.website)
    data["organization"] = brief
    return data


def export_service_at_location(link: ServiceAtLocation, *, service: dict[str, Any]) -> dict[str, Any]:
    """A public service at one of its places, the place shown only as ``directory.public`` allows; ``service``
    is the service as the caller shows it (its summary in lists, fully nested on its own)."""
    return {**_service_at_location(link, str(link.service.uuid), public=True), "service": service}


def _provenance(source: FeedRecord, service_id: str) -> dict[str, Any]:
    """HSDS metadata saying the service was read from a neighbour's feed: who publishes it, its id there, and
    the day Waymark last found it in the feed."""
    feed = source.feed
    publisher = (
        f"{feed.publisher_name} ({feed.publisher_identifier})" if feed.publisher_identifier else feed.publisher_name
    )
    return {
        "id": derived_id(service_id, "source", feed.uuid),
        "resource_id": service_id,
        "resource_type": "service",
        "last_action_date": source.last_seen_at.date().isoformat(),
        "last_action_type": "read from feed",
        "field_name": "id",
        "previous_value": source.source_id,
        "replacement_value": service_id,
        "updated_by": f"{publisher}, {feed.url}",
    }


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


def detail_terms(search: str = "") -> list[dict[str, Any]]:
    """The terms of Waymark's own taxonomy of details (which attributes point at), by name; with ``search``, those
    with every word in their name, code or description. They are served, not stored."""
    words = search.casefold().split()
    terms = [_detail_term(code) for code in DETAILS]
    found = [
        term
        for term in terms
        if all(word in f"{term['name']} {term['code']} {term['description']}".casefold() for word in words)
    ]
    return sorted(found, key=lambda term: (term["name"], term["id"]))


def detail_term(term_id: str) -> dict[str, Any] | None:
    """One term of Waymark's taxonomy of details, by its id, or None."""
    code = DETAIL_CODES_BY_TERM_ID.get(term_id)
    return None if code is None else _detail_term(code)


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
    return {
        "id": derived_id(service_id, term.uuid),
        "link_id": service_id,
        "taxonomy_term_id": str(term.uuid),
        "link_entity": "service",
        "taxonomy_term": export_taxonomy_term(term),
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
