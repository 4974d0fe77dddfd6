"""What the public may see of a directory record: the one place that decides it.

Public pages, the map, the public API and the public HSDS export all read locations and contacts
through these functions, so a refuge or a group run from a volunteer's home can never be shown more
precisely in one place than in another.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Avg
from django.utils.translation import gettext as _

from waymark.core.models import Postcode
from waymark.core.postcodes import postcode_district
from waymark.directory.choices import LocationVisibility
from waymark.directory.models import Contact, Location, Service

# Service fields that never leave staff pages. Funding sources are staff-only as a whole.
PUBLIC_SERVICE_EXCLUDED_FIELDS = frozenset({"internal_notes", "owner", "search_document"})

HIDDEN_LOCATION_NAME = "Contact to arrange"
_TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class PublicLocation:
    """The part of a location the public may see."""

    name: str
    address_1: str
    address_2: str
    city: str
    postcode: str
    latitude: Decimal | None
    longitude: Decimal | None
    ward_name: str
    step_free_access: bool
    visibility: str

    @property
    def display_lines(self) -> list[str]:
        """The address as lines to print, leaving out blanks."""
        if self.visibility == LocationVisibility.DISTRICT:
            if not self.postcode:
                return [_(HIDDEN_LOCATION_NAME)]
            return [_("In the %(district)s postcode area") % {"district": self.postcode}]
        lines = [self.name, self.address_1, self.address_2, self.city, self.postcode]
        return [line for line in lines if line]

    @property
    def is_placeable(self) -> bool:
        """Whether it may appear on a map or be measured from."""
        return self.latitude is not None and self.longitude is not None


def district_of(postcode: str) -> str:
    """The postcode district ("RV1") of a stored postcode, or "" if it has none."""
    try:
        return postcode_district(postcode) if postcode else ""
    except ValueError:
        return ""


def district_centroids(districts: Iterable[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """The middle of each postcode district (mean of its postcodes), rounded to 2 decimal places (about
    1 km), for the districts the postcode table holds."""
    wanted = {district for district in districts if district}
    if not wanted:
        return {}
    rows = (
        Postcode.objects.filter(district__in=wanted)
        .values("district")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .order_by()
    )
    return {
        row["district"]: (
            Decimal(str(row["latitude"])).quantize(_TWO_PLACES),
            Decimal(str(row["longitude"])).quantize(_TWO_PLACES),
        )
        for row in rows
    }


def district_centroid(district: str) -> tuple[Decimal, Decimal] | None:
    """The middle of one postcode district, or None if the postcode table has none of its postcodes."""
    return district_centroids([district]).get(district)


def public_point(
    location: Location, centroids: Mapping[str, tuple[Decimal, Decimal]] | None = None
) -> tuple[Decimal, Decimal] | None:
    """Where the public may see the location on a map: the exact point, the district's middle, or nowhere.

    ``centroids`` (from ``district_centroids``) saves a query per location when placing many.
    """
    if location.visibility == LocationVisibility.FULL:
        if location.latitude is None or location.longitude is None:
            return None
        return Decimal(location.latitude), Decimal(location.longitude)
    if location.visibility == LocationVisibility.DISTRICT:
        district = district_of(location.postcode)
        return centroids.get(district) if centroids is not None else district_centroid(district)
    return None


def public_location(
    location: Location, centroids: Mapping[str, tuple[Decimal, Decimal]] | None = None
) -> PublicLocation:
    """The location as the public may see it, by its visibility (``centroids`` as for ``public_point``)."""
    if location.visibility == LocationVisibility.FULL:
        point = public_point(location)
        return PublicLocation(
            name=location.name,
            address_1=location.address_1,
            address_2=location.address_2,
            city=location.city,
            postcode=location.postcode,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            ward_name=location.ward.name if location.ward_id and location.ward else "",
            step_free_access=location.step_free_access,
            visibility=location.visibility,
        )
    if location.visibility == LocationVisibility.DISTRICT:
        # Not even the venue's name: "St Anne's Church Hall" would give the place away.
        point = public_point(location, centroids)
        return PublicLocation(
            name="",
            address_1="",
            address_2="",
            city="",
            postcode=district_of(location.postcode),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            ward_name="",
            step_free_access=location.step_free_access,
            visibility=location.visibility,
        )
    return PublicLocation(
        name=_(HIDDEN_LOCATION_NAME),
        address_1="",
        address_2="",
        city="",
        postcode="",
        latitude=None,
        longitude=None,
        ward_name="",
        step_free_access=False,
        visibility=location.visibility,
    )


def public_contacts(service: Service) -> list[Contact]:
    """The contacts the service chose to show the public (uses a prefetch of ``contacts`` if there is one)."""
    return [contact for contact in service.contacts.all() if contact.public]


EXAMPLE_BATCH = 100  # postcodes read at a time when looking for an example


def example_postcode() -> str:
    """A postcode from the loaded postcode table, in one of the borough's wards, to show as an example, or ""
    when none is loaded. Never one a hidden or district-only place uses: an example must not point at a refuge.

    Every search page asks, so it reads the postcodes in order a few at a time and checks only those against
    the places (by the postcode index) rather than every private place against every postcode."""
    # Plain SQL with placeholders, as every search page asks: the ORM took longer than the queries.
    postcodes, locations = Postcode._meta.db_table, Location._meta.db_table
    start = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT postcode FROM {postcodes} ORDER BY ward_id ASC NULLS LAST, postcode LIMIT %s OFFSET %s",  # noqa: S608
                [EXAMPLE_BATCH, start],
            )
            batch = [row[0] for row in cursor.fetchall()]
            if not batch:
                return ""
            # Whether each postcode has a private place, looking only as far as the first one it finds (a
            # postcode can have hundreds of places).
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT postcode FROM {postcodes} p WHERE postcode IN ({placeholders}) AND EXISTS"  # noqa: S608
                f" (SELECT 1 FROM {locations} l WHERE l.postcode = p.postcode AND l.visibility <> %s"
                " AND l.postcode <> '')",
                [*batch, LocationVisibility.FULL.value],
            )
            private = {row[0] for row in cursor.fetchall()}
            found = next((postcode for postcode in batch if postcode not in private), None)
            if found is not None:
                return found
            start += EXAMPLE_BATCH


def needs_and_languages(service_ids: Iterable[int]) -> dict[int, tuple[list[str], list[str]]]:
    """The names of the needs each service helps with and the languages it is offered in, each by name as a
    service's page lists them, read in one query (a results list shows them for every service on the page)."""
    ids = list(service_ids)
    found: dict[int, tuple[list[str], list[str]]] = {pk: ([], []) for pk in ids}
    if not ids:
        return found
    placeholders = ", ".join(["%s"] * len(ids))
    # Constant table names and placeholders; every value is a parameter.
    sql = (
        "SELECT 0, sc.service_id, t.name, t.id FROM directory_service_categories sc"  # noqa: S608
        f" JOIN directory_taxonomyterm t ON t.id = sc.taxonomyterm_id WHERE sc.service_id IN ({placeholders})"
        " UNION ALL SELECT 1, sl.service_id, l.name, l.id FROM directory_service_languages sl"
        f" JOIN core_language l ON l.id = sl.language_id WHERE sl.service_id IN ({placeholders})"
        " ORDER BY 1, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *ids])
        for kind, service_id, name, _pk in cursor.fetchall():
            found[service_id][kind].append(name)
    return found
