"""The API root: where each endpoint lives."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# (key in the root listing, URL name of the list endpoint). Each app adds its list endpoints here.
LIST_ENDPOINTS = [
    ("organisations", "api:organisation-list"),
    ("areas", "api:area-list"),
    ("languages", "api:language-list"),
    ("communities", "api:community-list"),
    ("themes", "api:theme-list"),
    ("ethnic_code_sets", "api:ethnic-code-set-list"),
    ("directory", "api:directory-root"),
    ("directory_services", "api:directory-service-list"),
    ("monitoring_snapshots", "api:monitoring-snapshot-list"),
    ("monitoring_imports", "api:monitoring-import-list"),
    ("voice_issues", "api:voice-issue-list"),
    ("voice_timeliness", "api:voice-timeliness"),
    ("voice_items", "api:voice-item-list"),
    ("networks", "api:network-list"),
    ("network_memberships", "api:network-membership-list"),
    ("network_contacts", "api:network-contact-list"),
    ("network_meetings", "api:network-meeting-list"),
    ("network_minutes", "api:network-minutes-list"),
    ("network_actions", "api:network-action-list"),
    ("network_events", "api:network-event-list"),
    ("network_registrations", "api:network-registration-list"),
    ("network_surveys", "api:network-survey-list"),
    ("plans", "api:plan-list"),
    ("plan_objectives", "api:plan-objective-list"),
    ("plan_actions", "api:plan-action-list"),
    ("plan_indicators", "api:plan-indicator-list"),
    ("grant_applications", "api:grants-application-list"),
    ("grants_programmes", "api:grants-programme-list"),
]


class ApiRootView(APIView):
    """Links to every endpoint, the OpenAPI schema and its documentation page."""

    policy_permissions = {"get": None}

    @extend_schema(
        summary="List the API's endpoints",
        responses=inline_serializer(
            "ApiRoot",
            fields={
                **{key: serializers.URLField() for key, _ in LIST_ENDPOINTS},
                "postcode": serializers.CharField(help_text="URL template: replace {postcode}."),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        links = {key: request.build_absolute_uri(reverse(name)) for key, name in LIST_ENDPOINTS}
        links["postcode"] = request.build_absolute_uri(reverse("api:root")) + "postcodes/{postcode}/"
        links["schema"] = request.build_absolute_uri(reverse("api:schema"))
        links["docs"] = request.build_absolute_uri(reverse("api:docs"))
        return Response(links)


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """An address under the API that no route matches answers as every API error does, not with a page."""
    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
