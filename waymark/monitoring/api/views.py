"""/api/v1/monitoring/: the same numbers as the pages.

A provider's dashboard and disproportionality figures are disclosure-controlled unless the caller may see
that provider's figures unsuppressed (``core.policy``); data quality is only for those callers;
published snapshots are public and read back exactly as they were published. Import batches follow the
batch pages: analysts and administrators, each analyst seeing only the batches ``visible_to`` allows.
"""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.core import policy
from waymark.core.models import Area, Organisation
from waymark.core.rest.serializers import ErrorSerializer
from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet, VisibleQuerysetMixin
from waymark.monitoring import dashboards, national
from waymark.monitoring.api import serializers
from waymark.monitoring.filtersets import ImportBatchFilterSet, PublishedSnapshotFilterSet
from waymark.monitoring.models import ImportBatch, NationalFigure, PublishedSnapshot

TAG = "monitoring"


class ProviderView(GenericAPIView):
    """Looks the provider up among the organisations the caller may see."""

    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user)

    def provider(self) -> Organisation:
        return get_object_or_404(self.get_queryset(), uuid=self.kwargs["uuid"])


class ProviderDashboardView(ProviderView):
    """Every PCREF dashboard measure for one provider and financial year, by ethnic group against an
    area's population, with rates, rate ratios and intervals."""

    serializer_class = serializers.DashboardSerializer
    policy_permissions = {"get": "monitoring.view"}

    @extend_schema(
        summary="A provider's ethnic monitoring dashboard",
        operation_id="monitoring_provider_dashboard",
        tags=[TAG],
        parameters=[serializers.DashboardQuerySerializer],
        responses={200: serializers.DashboardSerializer, 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, uuid: str) -> Response:
        provider = self.provider()
        query = serializers.DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        years = dashboards.years_for(provider)
        if not years:
            raise NotFound("This provider has no figures yet.")
        areas = dashboards.areas_with_population()
        area: Area | None
        if query.validated_data.get("area"):
            area = areas.filter(code=query.validated_data["area"]).first()
            if area is None:
                raise NotFound("No population figures for that area.")
        else:
            area = areas.filter(area_type="local_authority").first() or areas.first()
            if area is None:
                raise NotFound("No population figures have been imported.")
        year = query.validated_data.get("year", years[0])
        if year not in years:
            raise NotFound("This provider has no figures for that year.")
        dashboard = dashboards.provider_dashboard(
            provider=provider,
            area=area,
            year=year,
            protected=not dashboards.shows_unsuppressed(request.user, provider),
            reference_group=query.validated_data.get("reference"),
            confidence=float(query.validated_data["confidence"]),
        )
        comparisons = national.compare(
            dashboard.tables,
            start_year=dashboard.year,
            reference_group=dashboard.reference_group,
            confidence=dashboard.confidence,
        )
        return Response(serializers.DashboardSerializer(dashboard, context={"national": comparisons}).data)


class ProviderDataQualityView(ProviderView):
    """Ethnic coding quality month by month: only for the provider's analysts and commissioners with an
    agreement."""

    serializer_class = serializers.QualityMonthSerializer
    policy_permissions = {"get": "monitoring.data_quality"}

    @extend_schema(
        summary="A provider's ethnic coding quality by month",
        operation_id="monitoring_provider_data_quality",
        tags=[TAG],
        responses={200: serializers.QualityMonthSerializer(many=True), 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, uuid: str) -> Response:
        provider = self.provider()
        if not policy.can(request.user, "monitoring.data_quality", provider):
            raise PermissionDenied
        rows = dashboards.data_quality(provider)
        return Response(serializers.QualityMonthSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List published snapshots", tags=[TAG]),
    retrieve=extend_schema(summary="Get a published snapshot with its figures", tags=[TAG]),
)
class SnapshotViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Published snapshots: public, disclosure-controlled, frozen on their publication date."""

    queryset = PublishedSnapshot.objects.select_related("provider", "area")
    filterset_class = PublishedSnapshotFilterSet
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    policy_permissions = {"list": None, "retrieve": None}

    def get_serializer_class(self) -> Any:
        return serializers.SnapshotSerializer if self.action == "retrieve" else serializers.SnapshotSummarySerializer


@extend_schema_view(
    list=extend_schema(summary="List import batches", tags=[TAG]),
    retrieve=extend_schema(summary="Get an import batch", tags=[TAG]),
)
class ImportBatchViewSet(ReadOnlyPolicyViewSet):
    """Uploaded files and what became of them: the batch pages' records, under the same access rule."""

    queryset = ImportBatch.objects.select_related("provider", "uploaded_by").prefetch_related(
        Prefetch("replaced", queryset=ImportBatch.objects.only("pk", "uuid"))
    )
    serializer_class = serializers.ImportBatchSerializer
    filterset_class = ImportBatchFilterSet
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    policy_permissions = {"list": "monitoring.view_imports", "retrieve": "monitoring.view_imports"}


@extend_schema_view(
    list=extend_schema(
        summary="England's published Mental Health Act figures by ethnic group",
        tags=[TAG],
        parameters=[serializers.NationalQuerySerializer],
    )
)
class NationalFigureViewSet(VisibleQuerysetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """England's figures by year, measure and group as NHS England published them (public statistics), each
    with its rate ratio to a chosen reference group from the published counts and implied denominators."""

    queryset = NationalFigure.objects.select_related("release", "analysis_group")
    serializer_class = serializers.NationalFigureSerializer
    policy_permissions = {"list": None}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = serializers.NationalQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = self.get_queryset()
        if query.validated_data.get("year"):
            figures = figures.filter(release__year=query.validated_data["year"])
        if query.validated_data.get("measure"):
            figures = figures.filter(measure=query.validated_data["measure"])
        if query.validated_data.get("group"):
            group = query.validated_data["group"]
            figures = figures.filter(Q(published_group__iexact=group) | Q(analysis_group__label__iexact=group))
        page = self.paginate_queryset(figures)
        rows = list(page if page is not None else figures)
        reference = query.validated_data["reference"]
        context = {
            **self.get_serializer_context(),
            "reference": reference,
            "ratios": national.ratios_for_api(rows, reference, float(query.validated_data["confidence"])),
        }
        data = serializers.NationalFigureSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)
