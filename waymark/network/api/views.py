"""/api/v1/network/: the network's records under the same policy as its pages.

Each endpoint asks for the permission its list page asks for and takes its rows from ``visible_to(user)``,
through the FilterSet the page uses. Minutes are published ones only. Survey results are exact for those who
may read the results page; anyone may read a survey's published results, which pass through disclosure
control (``network.survey_results.survey_results(public=True)``) exactly as the public results page does.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from waymark.core.rest.viewsets import ReadOnlyPolicyViewSet
from waymark.network import survey_results
from waymark.network.api import serializers
from waymark.network.filtersets import (
    ActionFilterSet,
    ContactFilterSet,
    EventFilterSet,
    MeetingFilterSet,
    MembershipFilterSet,
    NetworkFilterSet,
    PublishedMinutesFilterSet,
    RegistrationFilterSet,
    SurveyFilterSet,
)
from waymark.network.models import (
    Action,
    Contact,
    Event,
    Meeting,
    Membership,
    Minutes,
    MinutesStatus,
    Network,
    Registration,
    RegistrationStatus,
    Survey,
)

TAG = "network"
UUID_REGEX = "[0-9a-fA-F-]{36}"


def _read(permission: str) -> dict[str, str]:
    return {"list": permission, "retrieve": permission}


@extend_schema_view(
    list=extend_schema(summary="List networks", tags=[TAG]),
    retrieve=extend_schema(summary="Get a network", tags=[TAG]),
)
class NetworkViewSet(ReadOnlyPolicyViewSet):
    """Networks and forums: staff see every one, members the networks their organisation runs."""

    queryset = (
        Network.objects.select_related("organisation")
        .annotate(member_count=Count("memberships", filter=Q(memberships__left__isnull=True)))
        .order_by("name", "pk")
    )
    serializer_class = serializers.NetworkSerializer
    filterset_class = NetworkFilterSet
    lookup_field = "slug"
    policy_permissions = _read("network.view")


@extend_schema_view(
    list=extend_schema(summary="List memberships of networks", tags=[TAG]),
    retrieve=extend_schema(summary="Get a membership", tags=[TAG]),
)
class MembershipViewSet(ReadOnlyPolicyViewSet):
    """Who is or was in each network, with their role: for network staff."""

    queryset = Membership.objects.select_related("network", "contact").order_by("network__name", "contact__name", "pk")
    serializer_class = serializers.MembershipSerializer
    filterset_class = MembershipFilterSet
    policy_permissions = _read("network.manage")


@extend_schema_view(
    list=extend_schema(summary="List contacts", tags=[TAG]),
    retrieve=extend_schema(summary="Get a contact", tags=[TAG]),
)
class ContactViewSet(ReadOnlyPolicyViewSet):
    """People the networks keep in touch with, and on what basis they may be e-mailed: for network staff."""

    queryset = (
        Contact.objects.select_related("organisation", "sector", "preferred_language")
        .prefetch_related("interests")
        .order_by("name", "pk")
    )
    serializer_class = serializers.ContactSerializer
    filterset_class = ContactFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("contact.view")


@extend_schema_view(
    list=extend_schema(summary="List meetings", tags=[TAG]),
    retrieve=extend_schema(summary="Get a meeting", tags=[TAG]),
)
class MeetingViewSet(ReadOnlyPolicyViewSet):
    """Meetings of the networks the caller may see; ``when=upcoming`` or ``past`` as the meetings page lists them."""

    queryset = Meeting.objects.select_related("network", "series", "minutes").order_by("start", "pk")
    serializer_class = serializers.MeetingSerializer
    filterset_class = MeetingFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("meeting.view")


@extend_schema_view(
    list=extend_schema(summary="List published minutes", tags=[TAG]),
    retrieve=extend_schema(summary="Get a meeting's published minutes", tags=[TAG]),
)
class PublishedMinutesViewSet(ReadOnlyPolicyViewSet):
    """The published minutes of meetings the caller may see, looked up by the meeting's uuid."""

    queryset = (
        Minutes.objects.filter(status=MinutesStatus.PUBLISHED)
        .select_related("meeting__network")
        .order_by("-meeting__start", "-pk")
    )
    serializer_class = serializers.PublishedMinutesSerializer
    filterset_class = PublishedMinutesFilterSet
    lookup_field = "meeting__uuid"
    lookup_url_kwarg = "meeting_uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("meeting.view")


@extend_schema_view(
    list=extend_schema(summary="List actions agreed at meetings", tags=[TAG]),
    retrieve=extend_schema(summary="Get an action", tags=[TAG]),
)
class ActionViewSet(ReadOnlyPolicyViewSet):
    """What meetings agreed someone would do, by when; the owner is named as the actions page names them."""

    queryset = Action.objects.select_related("meeting__network", "owner").order_by("due_date", "pk")
    serializer_class = serializers.ActionSerializer
    filterset_class = ActionFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("meeting.view")


@extend_schema_view(
    list=extend_schema(summary="List events", tags=[TAG]),
    retrieve=extend_schema(summary="Get an event", tags=[TAG]),
)
class EventViewSet(ReadOnlyPolicyViewSet):
    """Events the networks put on, with their ticket types and how many places are taken: for event staff."""

    queryset = (
        Event.objects.select_related("network")
        .prefetch_related("ticket_types")
        .annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("-starts_at", "pk")
    )
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("network_event.view")


@extend_schema_view(
    list=extend_schema(summary="List event registrations", tags=[TAG]),
    retrieve=extend_schema(summary="Get an event registration", tags=[TAG]),
)
class RegistrationViewSet(ReadOnlyPolicyViewSet):
    """Who registered for which event, as the registration list shows them: for event staff."""

    queryset = Registration.objects.select_related("event", "ticket_type").order_by("event", "name", "pk")
    serializer_class = serializers.RegistrationSerializer
    filterset_class = RegistrationFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = _read("network_event.view")


@extend_schema_view(
    list=extend_schema(summary="List surveys", tags=[TAG]),
    retrieve=extend_schema(summary="Get a survey with its questions", tags=[TAG]),
    results=extend_schema(summary="A survey's exact results", tags=[TAG]),
)
class SurveyViewSet(ReadOnlyPolicyViewSet):
    """Surveys with their questions and how many answered: for staff and analysts, who also read the exact
    results (written answers included) as the results page shows them."""

    queryset = (
        Survey.objects.select_related("network", "event")
        .prefetch_related("questions__options")
        .annotate(n_responses=Count("responses", distinct=True), n_invited=Count("invitations", distinct=True))
        .order_by("-created_at", "pk")
    )
    serializer_class = serializers.SurveySerializer
    filterset_class = SurveyFilterSet
    lookup_field = "uuid"
    lookup_value_regex = UUID_REGEX
    policy_permissions = {**_read("network_survey.view"), "results": "network_survey.view"}

    def get_serializer_class(self) -> Any:
        return serializers.SurveyResultsSerializer if self.action == "results" else super().get_serializer_class()

    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def results(self, request: Request, uuid: str) -> Response:
        survey = self.get_object()
        total, results = survey_results.survey_results(survey)
        data = {"survey": survey, "responses": total, "questions": results}
        return Response(self.get_serializer(data).data)


class PublishedSurveyResultsView(GenericAPIView):
    """A survey's published results, for anyone, once its results are published: the public results page."""

    serializer_class = serializers.PublishedSurveyResultsSerializer
    policy_permissions = {"get": None}

    def get_queryset(self) -> QuerySet[Survey]:
        return Survey.objects.filter(results_public=True)

    @extend_schema(
        summary="A survey's published results",
        operation_id="network_survey_published_results",
        tags=[TAG],
    )
    def get(self, request: Request, uuid: str) -> Response:
        survey = get_object_or_404(self.get_queryset(), uuid=uuid)
        total, results = survey_results.survey_results(survey, public=True)
        data = {"survey": survey, "responses": survey_results.published_total(total), "questions": results}
        return Response(self.get_serializer(data).data)
