"""API endpoints for the shared ground: organisations and the reference vocabularies."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from waymark.core import services
from waymark.core.api import serializers
from waymark.core.filtersets import (
    AreaFilterSet,
    CommunityFilterSet,
    EthnicCodeSetFilterSet,
    LanguageFilterSet,
    OrganisationFilterSet,
    ThemeFilterSet,
)
from waymark.core.models import Area, Community, EthnicCodeSet, EthnicGroup, Language, Organisation, Postcode, Theme
from waymark.core.postcodes import normalise_postcode
from waymark.core.rest.serializers import ErrorSerializer
from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet, RetrieveOnlyPolicyViewSet, VisibleQuerysetMixin

PUBLIC_READ = {"list": None, "retrieve": None}


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="Get an organisation"),
    create=extend_schema(
        summary="Add an organisation", responses={201: serializers.OrganisationSerializer, 400: ErrorSerializer}
    ),
    partial_update=extend_schema(
        summary="Change an organisation", responses={200: serializers.OrganisationSerializer, 400: ErrorSerializer}
    ),
)
class OrganisationViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations: the one shared record of each body (provider, responder, employer, partner, funder).

    Who sees which depends on the caller's roles; members and responders see active organisations only.
    """

    queryset = Organisation.objects.prefetch_related("sectors")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = OrganisationFilterSet
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    policy_permissions = {
        "list": "organisation.view",
        "retrieve": "organisation.view",
        "create": "organisation.add",
        "partial_update": "organisation.change",
    }

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.create_organisation(actor=self.request.user, data=serializer.validated_data)

    def partial_update(self, request: Request, *args: object, **kwargs: object) -> Response:
        organisation = self.get_object()
        serializer = self.get_serializer(organisation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.instance = services.update_organisation(
            actor=request.user, organisation=organisation, data=serializer.validated_data
        )
        return Response(serializer.data)


@extend_schema_view(list=extend_schema(summary="List areas"), retrieve=extend_schema(summary="Get an area"))
class AreaViewSet(ReadOnlyPolicyViewSet):
    """ONS geographies, with the area each one nests in."""

    queryset = Area.objects.select_related("parent", "best_fit_ward")
    serializer_class = serializers.AreaSerializer
    filterset_class = AreaFilterSet
    policy_permissions = PUBLIC_READ


@extend_schema_view(
    retrieve=extend_schema(
        summary="Look up a postcode",
        parameters=[
            OpenApiParameter(
                "postcode",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Any spacing or case: 'sw1a1aa' finds 'SW1A 1AA'.",
            )
        ],
    )
)
class PostcodeViewSet(RetrieveOnlyPolicyViewSet):
    """Postcode centroids and the census areas they fall in."""

    queryset = Postcode.objects.select_related("lsoa", "ward")
    serializer_class = serializers.PostcodeSerializer
    lookup_field = "postcode"
    lookup_value_regex = "[A-Za-z0-9 ]{2,10}"
    policy_permissions = {"retrieve": None}

    def get_object(self) -> Postcode:
        try:
            self.kwargs[self.lookup_field] = normalise_postcode(self.kwargs[self.lookup_field])
        except ValueError:
            raise NotFound(_("That is not a UK postcode.")) from None
        return super().get_object()


@extend_schema_view(list=extend_schema(summary="List languages"), retrieve=extend_schema(summary="Get a language"))
class LanguageViewSet(ReadOnlyPolicyViewSet):
    """Languages by ISO 639-3 code."""

    queryset = Language.objects.all()
    serializer_class = serializers.LanguageSerializer
    filterset_class = LanguageFilterSet
    lookup_field = "code"
    policy_permissions = PUBLIC_READ


@extend_schema_view(list=extend_schema(summary="List communities"), retrieve=extend_schema(summary="Get a community"))
class CommunityViewSet(ReadOnlyPolicyViewSet):
    """Communities served or heard from, with the ethnic group codes they cover."""

    queryset = Community.objects.select_related("language").prefetch_related(
        Prefetch("ethnic_groups", queryset=EthnicGroup.objects.select_related("code_set"))
    )
    serializer_class = serializers.CommunitySerializer
    filterset_class = CommunityFilterSet
    policy_permissions = PUBLIC_READ


@extend_schema_view(list=extend_schema(summary="List themes"), retrieve=extend_schema(summary="Get a theme"))
class ThemeViewSet(ReadOnlyPolicyViewSet):
    """The shared taxonomy of needs, issues and topics."""

    queryset = Theme.objects.select_related("parent")
    serializer_class = serializers.ThemeSerializer
    filterset_class = ThemeFilterSet
    lookup_field = "slug"
    policy_permissions = PUBLIC_READ


@extend_schema_view(
    list=extend_schema(summary="List ethnic group code sets"), retrieve=extend_schema(summary="Get a code set")
)
class EthnicCodeSetViewSet(ReadOnlyPolicyViewSet):
    """Published ethnic group code lists, each with its codes in order."""

    queryset = EthnicCodeSet.objects.order_by("name").prefetch_related("groups")
    serializer_class = serializers.EthnicCodeSetSerializer
    filterset_class = EthnicCodeSetFilterSet
    lookup_field = "slug"
    policy_permissions = PUBLIC_READ
