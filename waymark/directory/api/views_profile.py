"""The rest of the Open Referral UK profile: /taxonomies, /taxonomy_terms, /service_at_locations and
HSDS 3.0's /organizations, each a list and a detail.

Public and open to any origin like /services (``OpenReferralView``), in the same page format, with the
same privacy: only public services, their places only as ``directory.public`` allows.
"""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.core.models import Organisation
from waymark.core.rest.serializers import ErrorSerializer
from waymark.directory.api import serializers_profile as shapes
from waymark.directory.api.serializers import MAX_PER_PAGE, HsdsTaxonomySerializer, HsdsTaxonomyTermSerializer
from waymark.directory.api.views import TAG, OpenReferralView, check_page, search_filters
from waymark.directory.hsds.export import (
    detail_term,
    detail_terms,
    export_organisation,
    export_queryset,
    export_service,
    export_service_at_location,
    export_service_summary,
    export_taxonomy,
    export_taxonomy_term,
    page_of,
)
from waymark.directory.hsds.published import (
    public_organisations,
    public_taxonomies,
    public_taxonomy_terms,
    services_at_locations,
)
from waymark.directory.hsds.schema import DETAILS_TAXONOMY, DETAILS_TAXONOMY_ID
from waymark.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm


def _id_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {what}'s id.")


def _uuid(value: str, message: str) -> str:
    """``value`` as a canonical uuid; a malformed one is a 404 with ``message`` (nothing has that id)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise NotFound(message) from None


def _one[M: Model](queryset: QuerySet[M], id: str, message: str) -> M:
    """The one row of ``queryset`` with this id; a 404 with ``message`` when there is none."""
    found = queryset.filter(uuid=_uuid(id, message)).first()
    if found is None:
        raise NotFound(message)
    return found


def _page[M: Model](
    queryset: QuerySet[M],
    params: dict[str, Any],
    export: Callable[[M], dict[str, Any]],
    served: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """One page of ``queryset`` (already ordered) in the Open Referral UK page format: a count and one read. Records
    ``served`` rather than stored (Waymark's own taxonomy of details) come after the stored ones."""
    page_number, per_page = params["page"], min(params["per_page"], MAX_PER_PAGE)
    stored = queryset.count()
    total = stored + len(served)
    check_page(page_number, total, per_page)
    start = (page_number - 1) * per_page
    contents = [export(row) for row in queryset[start : start + per_page]] if start < stored else []
    contents += served[max(0, start - stored) : max(0, start + per_page - stored)]
    return page_of(contents, total_items=total, page_number=page_number, per_page=per_page)


class TaxonomyListView(OpenReferralView):
    """The taxonomies the directory's terms come from, by name, then Waymark's own taxonomy of the details its
    records' attributes hold."""

    @extend_schema(
        summary="List taxonomies",
        operation_id="directory_taxonomies_list",
        tags=[TAG],
        parameters=[shapes.PageQuerySerializer],
        responses={200: shapes.HsdsTaxonomyPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = shapes.PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(_page(public_taxonomies(), query.validated_data, export_taxonomy, [DETAILS_TAXONOMY]))


class TaxonomyDetailView(OpenReferralView):
    @extend_schema(
        summary="Get a taxonomy",
        operation_id="directory_taxonomies_retrieve",
        tags=[TAG],
        parameters=[_id_parameter("taxonomy")],
        responses={200: HsdsTaxonomySerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        message = _("There is no taxonomy with this id.")
        if _uuid(id, message) == DETAILS_TAXONOMY_ID:
            return Response(DETAILS_TAXONOMY)
        return Response(export_taxonomy(_one(public_taxonomies(), id, message)))


class TaxonomyTermListView(OpenReferralView):
    """The needs (and any other terms) services are filed under, with their place in the hierarchy, then the terms
    of Waymark's own taxonomy of details (none of which has a parent)."""

    @extend_schema(
        summary="List taxonomy terms",
        operation_id="directory_taxonomy_terms_list",
        tags=[TAG],
        parameters=[shapes.TaxonomyTermQuerySerializer],
        responses={200: shapes.HsdsTaxonomyTermPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = shapes.TaxonomyTermQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        taxonomy: Taxonomy | None = None
        parent: TaxonomyTerm | None = None
        terms: QuerySet[TaxonomyTerm]
        details = str(params.get("taxonomy_id")) == DETAILS_TAXONOMY_ID
        if params.get("taxonomy_id") is not None:
            taxonomy = Taxonomy.objects.filter(uuid=params["taxonomy_id"]).first()
        if params.get("parent_id") is not None:
            parent = TaxonomyTerm.objects.filter(uuid=params["parent_id"]).first()
        if (taxonomy is None and "taxonomy_id" in params) or (parent is None and "parent_id" in params):
            terms = TaxonomyTerm.objects.none()  # a filter naming nothing that exists matches nothing
        else:
            terms = public_taxonomy_terms(
                search=params.get("search", ""), taxonomy=taxonomy, parent=parent, top_only=params["top_only"]
            )
        served = []
        if (details or "taxonomy_id" not in params) and "parent_id" not in params:
            served = detail_terms(params.get("search", ""))
        return Response(_page(terms, params, export_taxonomy_term, served))


class TaxonomyTermDetailView(OpenReferralView):
    @extend_schema(
        summary="Get a taxonomy term",
        operation_id="directory_taxonomy_terms_retrieve",
        tags=[TAG],
        parameters=[_id_parameter("taxonomy term")],
        responses={200: HsdsTaxonomyTermSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        message = _("There is no taxonomy term with this id.")
        served = detail_term(_uuid(id, message))
        if served is not None:
            return Response(served)
        return Response(export_taxonomy_term(_one(public_taxonomy_terms(), id, message)))


def _brief(link: ServiceAtLocation) -> dict[str, Any]:
    return export_service_at_location(link, service=export_service_summary(link.service))


class ServiceAtLocationListView(OpenReferralView):
    """Each public service at each of its places: nearest first from a postcode, or by service name."""

    @extend_schema(
        summary="Search public services at their places",
        operation_id="directory_service_at_locations_list",
        tags=[TAG],
        parameters=[shapes.ServiceAtLocationQuerySerializer],
        responses={200: shapes.HsdsServiceAtLocationPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = shapes.ServiceAtLocationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        filters = search_filters(params)
        organisation = None
        if params.get("organization_id") is not None:
            organisation = Organisation.objects.filter(uuid=params["organization_id"]).first()
        if filters is None or (organisation is None and "organization_id" in params):
            links = ServiceAtLocation.objects.none()
        else:
            links = services_at_locations(
                text=params.get("search", ""), filters=filters, origin=params["origin"], organisation=organisation
            ).select_related("service__organisation", "location__organisation", "location__ward")
        return Response(_page(links, params, _brief))


class ServiceAtLocationDetailView(OpenReferralView):
    @extend_schema(
        summary="Get a public service at one of its places",
        operation_id="directory_service_at_locations_retrieve",
        tags=[TAG],
        parameters=[_id_parameter("service at location")],
        responses={200: shapes.HsdsServiceAtLocationFullSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        link = _one(
            ServiceAtLocation.objects.filter(service__in=Service.objects.public()).select_related(
                "service", "location__organisation", "location__ward"
            ),
            id,
            _("There is no public service at a place with this id."),
        )
        service = export_queryset(Service.objects.filter(pk=link.service_id), public=True).get()
        return Response(export_service_at_location(link, service=export_service(service, public=True)))


class OrganizationListView(OpenReferralView):
    """The organisations that run public services."""

    @extend_schema(
        summary="List organisations with public services",
        operation_id="directory_organizations_list",
        tags=[TAG],
        parameters=[shapes.OrganizationQuerySerializer],
        responses={200: shapes.HsdsOrganizationPageSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = shapes.OrganizationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        organisations = public_organisations(search=params.get("search", ""))
        return Response(_page(organisations, params, export_organisation))


class OrganizationDetailView(OpenReferralView):
    @extend_schema(
        summary="Get an organisation with its public services",
        operation_id="directory_organizations_retrieve",
        tags=[TAG],
        parameters=[_id_parameter("organisation"), shapes.OrganizationDetailQuerySerializer],
        responses={200: shapes.HsdsOrganizationWithServicesSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        query = shapes.OrganizationDetailQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organisation = _one(
            public_organisations(), id, _("There is no organisation with public services with this id.")
        )
        services = Service.objects.public().filter(organisation=organisation).order_by("name", "uuid")
        data = export_organisation(organisation)
        if query.validated_data["full_service"]:
            data["services"] = [
                export_service(service, public=True) for service in export_queryset(services, public=True)
            ]
        else:
            data["services"] = [export_service_summary(service) for service in services.select_related("organisation")]
        return Response(data)
