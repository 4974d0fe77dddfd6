"""The public Open Referral UK API: /api/v1/directory/, /services and /services/{id} (the rest of the
profile is in ``views_profile``).

Open data for other directories and apps: no sign-in, any origin, the same answer for everyone
(public services only, shown as ``directory.public`` allows), throttled at the anonymous rate.
The paths work with and without a trailing slash, as Open Referral UK tools call them without.
"""

import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from waymark.core.choices import AreaType
from waymark.core.models import Area, Community, Language
from waymark.core.rest.serializers import ErrorSerializer
from waymark.directory.api import serializers
from waymark.directory.hsds.export import export_queryset, export_service, page_of
from waymark.directory.hsds.schema import HSDS_VERSION, ORUK_PROFILE
from waymark.directory.models import Service, Taxonomy, TaxonomyTerm
from waymark.directory.search import search_services
from waymark.directory.search_filters import SearchFilters

TAG = "directory"


class OpenReferralView(APIView):
    """Read-only, public and open to any origin; no credentials are read."""

    authentication_classes: list[Any] = []
    policy_permissions = {"get": None}

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
        response["Access-Control-Max-Age"] = "86400"
        return response


class DirectoryInfoView(OpenReferralView):
    """Which HSDS version and profile this API follows, and where its OpenAPI schema is."""

    @extend_schema(
        summary="About the Open Referral UK API",
        operation_id="directory_info",
        tags=[TAG],
        responses=serializers.DirectoryInfoSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "version": HSDS_VERSION,
                "profile": ORUK_PROFILE,
                "openapi_url": request.build_absolute_uri(reverse("api:schema")) + "?format=json",
                "publisher": publisher(),
            }
        )


def publisher() -> dict[str, str]:
    """Who publishes this directory: the operator named in settings, with its organisation identifier."""
    data = {"name": settings.DIRECTORY_PUBLISHER_NAME}
    if settings.DIRECTORY_PUBLISHER_IDENTIFIER:
        data["identifier"] = settings.DIRECTORY_PUBLISHER_IDENTIFIER
    data["url"] = settings.SITE_URL + "/"
    return data


class ServiceListView(OpenReferralView):
    """Public services, fully nested, a page at a time in the Open Referral UK page format."""

    @extend_schema(
        summary="Search public services",
        operation_id="directory_services_list",
        tags=[TAG],
        parameters=[serializers.ServiceQuerySerializer],
        responses={200: serializers.HsdsServicePageSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = serializers.ServiceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        page_number = params["page"]
        per_page = min(params["per_page"], serializers.MAX_PER_PAGE)
        filters = search_filters(params)
        services = Service.objects.public()
        if params.get("organization_id") is not None:
            services = services.filter(organisation__uuid=params["organization_id"])
        if filters is None:  # a filter named something that does not exist: nothing can match
            check_page(page_number, 0, per_page)
            return Response(page_of([], total_items=0, page_number=page_number, per_page=per_page))
        results = search_services(
            services,
            text=params.get("search", ""),
            filters=filters,
            postcode=params.get("postcode", ""),
        )
        total = results.total
        check_page(page_number, total, per_page)
        contents = []
        if total:
            ids = [service.pk for service in results.page(page_number, per_page).object_list]
            found = export_queryset(Service.objects.filter(pk__in=ids), public=True).in_bulk()
            contents = [export_service(found[pk], public=True) for pk in ids]
        return Response(page_of(contents, total_items=total, page_number=page_number, per_page=per_page))


class ServiceDetailView(OpenReferralView):
    """One public service, fully nested."""

    @extend_schema(
        summary="Get a public service",
        operation_id="directory_services_retrieve",
        tags=[TAG],
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The service's id.")],
        responses={200: serializers.HsdsServiceSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, id: str) -> Response:
        service = export_queryset(Service.objects.public(), public=True).filter(uuid=_uuid_or_404(id)).first()
        if service is None:
            raise NotFound(_("There is no public service with this id."))
        return Response(export_service(service, public=True))


def check_page(page_number: int, total: int, per_page: int) -> None:
    """A page past the last is a 404 that says how many there are (page 1 always exists, if empty)."""
    total_pages = max(1, -(-total // per_page))
    if page_number > total_pages:
        raise NotFound(
            ngettext(
                "There is no page %(page)s: there is %(pages)s page of %(per_page)s.",
                "There is no page %(page)s: there are %(pages)s pages of %(per_page)s.",
                total_pages,
            )
            % {"page": page_number, "pages": total_pages, "per_page": per_page}
        )


def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise NotFound(_("There is no public service with this id.")) from None


def search_filters(params: dict[str, Any]) -> SearchFilters | None:
    """The search filters the query asks for, or None when one names a record that does not exist."""
    filters = SearchFilters(
        referral=params.get("referral", ""),
        open_now=params["open_now"],
        free=params["free"],
        minimum_age=params.get("minimum_age"),
        maximum_age=params.get("maximum_age"),
        day=params.get("day", ""),
        start_time=params.get("start_time"),
        end_time=params.get("end_time"),
    )
    for param, attribute in REFERENCE_PARAMETERS.items():
        value = params.get(param)
        if value is not None:
            found = _referenced(param, value)
            if found is None:
                return None
            setattr(filters, attribute, found)
    return filters


# Query parameter → the SearchFilters attribute holding the record it names.
REFERENCE_PARAMETERS = {
    "taxonomy_term_id": "need",
    "taxonomy_id": "taxonomy",
    "language": "language",
    "community": "community",
    "ward": "ward",
}


def _referenced(param: str, value: Any) -> Any:
    """The record a filter parameter names, or None."""
    if param == "taxonomy_term_id":
        return TaxonomyTerm.objects.filter(uuid=value).first()
    if param == "taxonomy_id":
        return Taxonomy.objects.filter(uuid=value).first()
    if param == "language":
        return Language.objects.filter(code=str(value).lower()).first()
    if param == "community":
        return Community.objects.filter(pk=value).first()
    return Area.objects.filter(area_type=AreaType.WARD, code=str(value).upper()).order_by("-vintage").first()
