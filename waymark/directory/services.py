"""Writes to the directory: services, locations, contacts, opening hours, funding and needs.

Every page, API call, import and task changes directory records through these functions. Each one
runs in a transaction, validates the model (raising ValidationError naming the field), records the
acting user in the audit history and keeps the search index current. Who may call them is decided at
the edge (views and API) through ``core.policy``.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waymark.core.audit import acting_as, save_with_one_history_row
from waymark.core.models import Organisation, Postcode
from waymark.core.postcodes import normalise_postcode
from waymark.core.similar import find_similar
from waymark.core.text import refuse_nul_characters
from waymark.directory import search_index
from waymark.directory.choices import LocationVisibility
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
from waymark.directory.public import district_centroids, district_of, public_point

# The fields a caller may set, in the order forms and the API show them; anything else is a programming error.
# ``uuid`` is accepted when creating, so imports keep the identifiers they were given.
SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "phone",
    "status",
    "published",
    "categories",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "is_free",
    "fees_description",
    "self_referral",
    "professional_referral",
    "gp_referral",
    "application_process",
    "languages",
    "communities",
    "interpreter_available",
    "accessibility_description",
    "volunteer_reliance",
    "internal_notes",
    "owner",
    "last_verified_on",
)
SERVICE_M2M_FIELDS = frozenset({"categories", "languages", "communities"})
LOCATION_FIELDS = (
    "name",
    "description",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "ward",
    "latitude",
    "longitude",
    "step_free_access",
    "visibility",
)
CONTACT_FIELDS = ("title", "name", "email", "phone", "public")
SCHEDULE_FIELDS = ("weekday", "opens_at", "closes_at", "notes")
HOLIDAY_EXCEPTION_FIELDS = ("starts_on", "ends_on", "closed", "opens_at", "closes_at", "notes")
FUNDING_FIELDS = (
    "service",
    "funder",
    "funding_type",
    "amount",
    "starts_on",
    "ends_on",
    "programme",
    "grant_identifier",
)
TAXONOMY_FIELDS = ("name", "description", "uri", "version")
TAXONOMY_TERM_FIELDS = ("code", "name", "description")

_SIX_PLACES = Decimal("0.000001")


# --- Services ----------------------------------------------------------------------------------------


def create_service(*, actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> Service:
    """Add a service run by ``organisation`` from ``data`` (field name → value; ``categories``,
    ``languages`` and ``communities`` iterables of TaxonomyTerm, Language and Community)."""
    scalars, m2m = _split(data, SERVICE_FIELDS, SERVICE_M2M_FIELDS, creating=True)
    service = Service(organisation=organisation, **scalars)
    with transaction.atomic(), acting_as(actor):
        _validate(service)
        save_with_one_history_row(service, m2m)
        refresh_search_index([service.pk])
    service.refresh_from_db(fields=["search_document"])
    return service


def update_service(*, actor: Any, service: Service, data: Mapping[str, Any]) -> Service:
    """Change the fields named in ``data`` and leave every other field as it is in the database.

    The row is locked and re-read first, so two people saving at once are applied one after the
    other. Returns a fresh instance. Saving with nothing changed adds nothing to the history.
    """
    scalars, m2m = _split(data, SERVICE_FIELDS, SERVICE_M2M_FIELDS)
    with transaction.atomic(), acting_as(actor):
        current = Service.objects.select_for_update().get(pk=service.pk)
        before = {name: getattr(current, name) for name in scalars}
        for name, value in scalars.items():
            setattr(current, name, value)
        _validate(current)
        fields_changed = any(getattr(current, name) != old for name, old in before.items())
        m2m_changed = {
            name: values
            for name, values in m2m.items()
            if {value.pk for value in values} != {value.pk for value in getattr(current, name).all()}
        }
        if fields_changed or m2m_changed:
            save_with_one_history_row(current, m2m_changed)
            refresh_search_index([current.pk])
    current.refresh_from_db()
    return current


def create_service_with_details(
    *,
    actor: Any,
    organisation: Organisation,
    data: Mapping[str, Any],
    locations: Iterable[Location],
    contacts: list[Mapping[str, Any]],
    schedules: list[Mapping[str, Any]],
    holiday_exceptions: list[Mapping[str, Any]],
) -> Service:
    """Add a service with where it is delivered, its contacts, opening hours and holiday dates: all or nothing."""
    with transaction.atomic():
        service = create_service(actor=actor, organisation=organisation, data=data)
        _set_details(actor, service, locations, contacts, schedules, holiday_exceptions)
    return service


def update_service_with_details(
    *,
    actor: Any,
    service: Service,
    data: Mapping[str, Any],
    locations: Iterable[Location],
    contacts: list[Mapping[str, Any]],
    schedules: list[Mapping[str, Any]],
    holiday_exceptions: list[Mapping[str, Any]],
) -> Service:
    """Change a service and make these its locations, contacts, opening hours and holiday dates: all or nothing."""
    with transaction.atomic():
        service = update_service(actor=actor, service=service, data=data)
        _set_details(actor, service, locations, contacts, schedules, holiday_exceptions)
    return service


def _set_details(
    actor: Any,
    service: Service,
    locations: Iterable[Location],
    contacts: list[Mapping[str, Any]],
    schedules: list[Mapping[str, Any]],
    holiday_exceptions: list[Mapping[str, Any]],
) -> None:
    set_service_locations(actor=actor, service=service, locations=locations)
    replace_contacts(actor=actor, service=service, contacts=contacts)
    replace_schedules(actor=actor, service=service, schedules=schedules)
    replace_holiday_exceptions(actor=actor, service=service, exceptions=holiday_exceptions)


def verify_service(*, actor: Any, service: Service, on: datetime.date | None = None) -> Service:
    """Record that someone checked the service's details are still right (today unless ``on`` is given)."""
    return update_service(actor=actor, service=service, data={"last_verified_on": on or timezone.localdate()})


def set_service_locations(
    *, actor: Any, service: Service, locations: Iterable[Location], link_ids: Mapping[int, str] | None = None
) -> int:
    """Make ``locations`` the places the service is delivered, adding and removing links as needed.

    A new link takes its id from ``link_ids`` (location pk → uuid) when given, as an import keeps the
    ids its file gives. Returns how many links were added.
    """
    wanted = {location.pk: location for location in locations}
    added = 0
    with transaction.atomic(), acting_as(actor):
        Service.objects.select_for_update().filter(pk=service.pk).get()
        links = {link.location_id: link for link in ServiceAtLocation.objects.filter(service=service)}
        for location_id, link in links.items():
            if location_id not in wanted:
                link.delete()
        for location_id, location in wanted.items():
            if location_id not in links:
                link = ServiceAtLocation(service=service, location=location)
                if link_ids and location_id in link_ids:
                    link.uuid = link_ids[location_id]  # type: ignore[assignment]
                _validate(link)
                link.save()
                added += 1
        refresh_search_index([service.pk])  # the ward filter follows where it is delivered
    return added


def replace_contacts(*, actor: Any, service: Service, contacts: list[Mapping[str, Any]]) -> None:
    """Make ``contacts`` (mappings of Contact fields, with an optional ``uuid`` of one to keep) the
    service's contacts: matching ones are updated, new ones added, the rest removed."""
    _replace_children(actor, service, Contact, service.contacts, contacts, CONTACT_FIELDS, _("Contact"))


def replace_schedules(*, actor: Any, service: Service, schedules: list[Mapping[str, Any]]) -> None:
    """Make ``schedules`` (weekday, opens_at, closes_at, notes) the service's weekly opening hours."""
    _replace_children(actor, service, Schedule, service.schedules, schedules, SCHEDULE_FIELDS, _("Opening hours"))


def replace_holiday_exceptions(*, actor: Any, service: Service, exceptions: list[Mapping[str, Any]]) -> None:
    """Make ``exceptions`` (starts_on, ends_on, closed, opens_at, closes_at, notes) the days the
    service is closed or open at other hours."""
    _replace_children(
        actor,
        service,
        HolidayException,
        service.holiday_exceptions,
        exceptions,
        HOLIDAY_EXCEPTION_FIELDS,
        _("Holiday"),
    )


def find_similar_services(name: str, postcode: str = "", exclude: Service | None = None) -> QuerySet[Service]:
    """Services that may be the same as ``name`` delivered at ``postcode`` (at one of their locations), to warn
    before a duplicate is added (see ``core.similar.find_similar``)."""
    return find_similar(Service.objects.all(), name, postcode, postcode_field="locations__postcode", exclude=exclude)


# --- Locations ---------------------------------------------------------------------------------------


def create_location(*, actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> Location:
    """Add a place where ``organisation`` delivers services.

    The postcode is normalised and the latitude, longitude and ward come from the postcode table.
    A hidden location needs no postcode; any other needs one the postcode table knows, unless the
    caller gives the latitude and longitude itself (as an import from another directory does).
    """
    scalars, _m2m = _split(data, LOCATION_FIELDS, frozenset(), creating=True)
    location = Location(organisation=organisation, **scalars)
    with transaction.atomic(), acting_as(actor):
        _place_location(location, given=scalars.keys())
        _validate(location)
        location.save()
    return location


def update_location(*, actor: Any, location: Location, data: Mapping[str, Any]) -> Location:
    """Change the fields named in ``data``; a new postcode or visibility places the location again."""
    scalars, _m2m = _split(data, LOCATION_FIELDS, frozenset())
    with transaction.atomic(), acting_as(actor):
        current = Location.objects.select_for_update().get(pk=location.pk)
        before = {name: getattr(current, name) for name in scalars}
        for name, value in scalars.items():
            setattr(current, name, value)
        _place_location(current, given=scalars.keys())
        _validate(current)
        if any(getattr(current, name) != old for name, old in before.items()) or _point_changed(current):
            current.save()
            refresh_search_index(current.services.values_list("pk", flat=True))
    return current


def _place_location(location: Location, *, given: Iterable[str]) -> None:
    """Normalise the postcode, fill the coordinates and ward from it, and set the public point."""
    explicit_point = {"latitude", "longitude"} <= set(given) and (
        location.latitude is not None and location.longitude is not None
    )
    hidden = location.visibility == LocationVisibility.HIDDEN
    raw = (location.postcode or "").strip()
    if not raw:
        if not hidden:
            raise ValidationError({"postcode": _("Enter the postcode, or hide the address if it must stay private.")})
        location.postcode = ""
        if not explicit_point:
            location.latitude = location.longitude = None
            location.ward = None
    else:
        try:
            location.postcode = normalise_postcode(raw)
        except ValueError:
            raise ValidationError({"postcode": _("Enter a UK postcode, like RV1 2AB.")}) from None
        known = Postcode.objects.filter(postcode=location.postcode).first()
        if known is not None:
            if not explicit_point:
                location.latitude, location.longitude = known.latitude, known.longitude
            if known.ward_id and "ward" not in given:
                location.ward_id = known.ward_id
        elif not explicit_point:
            if not hidden:
                raise ValidationError(
                    {
                        "postcode": _("We cannot find %(postcode)s. Check the postcode.")
                        % {"postcode": location.postcode}
                    }
                )
            location.latitude = location.longitude = None
    if location.latitude is not None:
        location.latitude = Decimal(location.latitude).quantize(_SIX_PLACES)
    if location.longitude is not None:
        location.longitude = Decimal(location.longitude).quantize(_SIX_PLACES)
    _set_public_point(location)


def _set_public_point(location: Location) -> None:
    point = public_point(location)
    location.public_latitude = float(point[0]) if point else None
    location.public_longitude = float(point[1]) if point else None


def _point_changed(location: Location) -> bool:
    stored = Location.objects.filter(pk=location.pk).values_list("public_latitude", "public_longitude").get()
    return stored != (location.public_latitude, location.public_longitude)


def refresh_location_points(locations: Iterable[Location] | None = None) -> int:
    """Recompute where search and maps place locations (all of them by default), for example after
    the postcode table is loaded or reloaded. Returns how many were written."""
    queryset = Location.objects.all()
    if locations is not None:
        queryset = queryset.filter(pk__in=[location.pk for location in locations])
    rows = list(queryset.only("pk", "visibility", "postcode", "latitude", "longitude"))
    centroids = district_centroids(
        district_of(row.postcode) for row in rows if row.visibility == LocationVisibility.DISTRICT
    )
    values = []
    for location in rows:
        point = public_point(location, centroids)
        values.append((float(point[0]) if point else None, float(point[1]) if point else None, location.pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE directory_location SET public_latitude = %s, public_longitude = %s WHERE id = %s", values
        )
    return len(values)


# --- Funding -----------------------------------------------------------------------------------------


def create_funding_source(*, actor: Any, organisation: Organisation, data: Mapping[str, Any]) -> FundingSource:
    """Record money ``organisation`` (or, with ``service``, one of its services) lives on."""
    scalars, _m2m = _split(data, FUNDING_FIELDS, frozenset(), creating=True)
    funding_source = FundingSource(organisation=organisation, **scalars)
    with transaction.atomic(), acting_as(actor):
        _validate(funding_source)
        funding_source.save()
    return funding_source


def update_funding_source(*, actor: Any, funding_source: FundingSource, data: Mapping[str, Any]) -> FundingSource:
    """Change the fields named in ``data``."""
    scalars, _m2m = _split(data, FUNDING_FIELDS, frozenset())
    with transaction.atomic(), acting_as(actor):
        current = FundingSource.objects.select_for_update().get(pk=funding_source.pk)
        before = {name: getattr(current, name) for name in scalars}
        for name, value in scalars.items():
            setattr(current, name, value)
        _validate(current)
        if any(getattr(current, name) != old for name, old in before.items()):
            current.save()
    return current


def delete_funding_source(*, actor: Any, funding_source: FundingSource) -> None:
    """Remove a funding source; the history keeps what it was."""
    with transaction.atomic(), acting_as(actor):
        FundingSource.objects.filter(pk=funding_source.pk).get().delete()


# --- Needs (taxonomies) ------------------------------------------------------------------------------


def create_taxonomy(*, actor: Any, data: Mapping[str, Any]) -> Taxonomy:
    """Add a taxonomy (a published list of needs), as an import brings one Waymark does not have yet."""
    scalars, _m2m = _split(data, TAXONOMY_FIELDS, frozenset(), creating=True)
    taxonomy = Taxonomy(**scalars)
    with transaction.atomic(), acting_as(actor):
        _validate(taxonomy)
        taxonomy.save()
    return taxonomy


def create_taxonomy_term(
    *, actor: Any, taxonomy: Taxonomy, parent: TaxonomyTerm | None, data: Mapping[str, Any]
) -> TaxonomyTerm:
    """Add a need (a taxonomy term) to ``taxonomy``, under ``parent`` when it has one."""
    scalars, _m2m = _split(data, TAXONOMY_TERM_FIELDS, frozenset(), creating=True)
    term = TaxonomyTerm(taxonomy=taxonomy, parent=parent, **scalars)
    with transaction.atomic(), acting_as(actor):
        _validate(term)
        term.save()
    return term


# --- Search index ------------------------------------------------------------------------------------


def refresh_search_index(service_ids: Iterable[int]) -> None:
    """Recompute the search text of these services and write it to the index.

    Called by every write here; call it too after changing what a service's text is made of
    elsewhere (an organisation, need, language or community renamed: ``directory.signals`` does).
    """
    with transaction.atomic():
        search_index.index_services(list(service_ids))


def rebuild_search_index() -> int:
    """Rebuild the whole index and every location's public point, e.g. after a bulk load. Returns
    the number of services indexed."""
    with transaction.atomic():
        refresh_location_points()
        return search_index.rebuild_index()


# --- Helpers -----------------------------------------------------------------------------------------


def _split(
    data: Mapping[str, Any], allowed: tuple[str, ...], m2m_names: frozenset[str], *, creating: bool = False
) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    allowed_names = set(allowed) | ({"uuid"} if creating else set())
    unknown = set(data) - allowed_names
    if unknown:
        raise TypeError(f"Not fields that can be set here: {', '.join(sorted(unknown))}")
    scalars = {name: value for name, value in data.items() if name not in m2m_names}
    m2m = {name: list(value) for name, value in data.items() if name in m2m_names}
    return scalars, m2m


def _validate(instance: models.Model) -> None:
    refuse_nul_characters(instance)
    instance.full_clean()


def _replace_children(
    actor: Any,
    service: Service,
    model: type[models.Model],
    related: Any,
    rows: list[Mapping[str, Any]],
    fields: tuple[str, ...],
    label: str,
) -> None:
    """Update rows matched by ``uuid``, add the others and delete the rest, all or nothing.

    Every invalid row is reported at once, each message naming the row and field.
    """
    with transaction.atomic(), acting_as(actor):
        Service.objects.select_for_update().filter(pk=service.pk).get()
        existing = {str(child.uuid): child for child in related.all()}
        labels = {f.name: f.verbose_name for f in model._meta.fields}
        kept: set[str] = set()
        to_save = []
        errors: list[str] = []
        for number, row in enumerate(rows, start=1):
            unknown = set(row) - set(fields) - {"uuid"}
            if unknown:
                raise TypeError(f"Not fields that can be set here: {', '.join(sorted(unknown))}")
            values = {name: value for name, value in row.items() if name != "uuid"}
            key = str(row.get("uuid") or "")
            child = existing.get(key)
            if child is None:
                child = model(service=service, **values)
                if key:
                    child.uuid = key  # type: ignore[attr-defined]
            else:
                kept.add(key)
                for name, value in values.items():
                    setattr(child, name, value)
            try:
                _validate(child)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    field_label = str(labels.get(field, ""))
                    for message in messages:
                        prefix = f"{label} {number}, {field_label}" if field_label else f"{label} {number}"
                        errors.append(f"{prefix}: {message}")
            to_save.append(child)
        if errors:
            raise ValidationError(errors)
        for key, child in existing.items():
            if key not in kept:
                child.delete()
        for child in to_save:
            child.save()
