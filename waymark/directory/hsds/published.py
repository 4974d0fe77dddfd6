"""What the public Open Referral UK API lists beyond services: taxonomies, terms, organisations and
services at locations, each in a fixed order so pages do not overlap.

Only public services count (``Service.objects.public()``), and places are measured only at the point
the public may see (``Location.public_latitude``/``public_longitude``: the exact point, the district's
middle, or none for a hidden place), so a distance never tells more than the public pages do.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet, Value

from waymark.core.models import Organisation
from waymark.directory.models import (
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    public_service_filter,
)
from waymark.directory.search import KM_PER_DEGREE, matching_services
from waymark.directory.search_filters import SearchFilters


def public_taxonomies() -> QuerySet[Taxonomy]:
    """Every taxonomy (all are public), by name."""
    return Taxonomy.objects.order_by("name", "uuid")


def public_taxonomy_terms(
    *,
    search: str = "",
    taxonomy: Taxonomy | None = None,
    parent: TaxonomyTerm | None = None,
    top_only: bool = False,
) -> QuerySet[TaxonomyTerm]:
    """Taxonomy terms (all are public), by name: of one taxonomy, under one parent, or only those at the top."""
    terms = TaxonomyTerm.objects.select_related("taxonomy", "parent")
    if search.strip():
        words = search.split()
        for word in words:
            terms = terms.filter(Q(name__icontains=word) | Q(code__icontains=word) | Q(description__icontains=word))
    if taxonomy is not None:
        terms = terms.filter(taxonomy=taxonomy)
    if parent is not None:
        terms = terms.filter(parent=parent)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    return terms.order_by("name", "uuid")


def public_organisations(*, search: str = "") -> QuerySet[Organisation]:
    """Organisations that run at least one public service, or own a place where one runs (a public service's
    place names its owner's id, which must lead somewhere), by name."""
    organisations = Organisation.objects.filter(
        Q(pk__in=Service.objects.public().values("organisation_id"))
        | Q(pk__in=Location.objects.filter(public_service_filter("services__")).values("organisation_id"))
    )
    for word in search.split():
        organisations = organisations.filter(Q(name__icontains=word) | Q(alternate_name__icontains=word))
    return organisations.order_by("name", "uuid")


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from (degrees), and how far to look (metres; None: everywhere)."""

    latitude: float
    longitude: float
    within_metres: float | None = None


def services_at_locations(
    *,
    text: str = "",
    filters: SearchFilters | None = None,
    organisation: Organisation | None = None,
    origin: Origin | None = None,
    now: datetime | None = None,
) -> QuerySet[ServiceAtLocation]:
    """Each public service at each of its places, for the services a search matches.

    With an origin: nearest public point first (equirectangular, as the search measures), and places with
    no public point (hidden ones) after the rest, unmeasured; with ``within_metres``, only places whose
    public point is that near, so a hidden place is never among them. Ties, and everything without an
    origin, go by service name then id.
    """
    services: QuerySet[Service] = Service.objects.public()
    if organisation is not None:
        services = services.filter(organisation=organisation)
    services = matching_services(services, text=text, filters=filters, now=now)
    links = ServiceAtLocation.objects.filter(service__in=services.values("pk"))
    if origin is None:
        return links.order_by("service__name", "service__uuid", "uuid")
    scale = math.cos(math.radians(origin.latitude)) ** 2
    latitude, longitude = Value(origin.latitude), Value(origin.longitude)
    squared = ExpressionWrapper(
        (F("location__public_latitude") - latitude) * (F("location__public_latitude") - latitude)
        + (F("location__public_longitude") - longitude) * (F("location__public_longitude") - longitude) * scale,
        output_field=FloatField(),
    )
    links = links.annotate(squared_degrees=squared)
    if origin.within_metres is not None:
        half_height = origin.within_metres / 1000 / KM_PER_DEGREE
        half_width = half_height / max(math.sqrt(scale), 0.01)
        # The box lets the database use the public-point index; the circle decides.
        links = links.filter(
            location__public_latitude__range=(origin.latitude - half_height, origin.latitude + half_height),
            location__public_longitude__range=(origin.longitude - half_width, origin.longitude + half_width),
            squared_degrees__lte=half_height * half_height,
        )
    return links.order_by(F("squared_degrees").asc(nulls_last=True), "service__name", "service__uuid", "uuid")
