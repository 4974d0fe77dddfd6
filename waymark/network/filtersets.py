"""Filters of the network's lists, shared by the list pages and the API so the two filter alike.

The records a filter can name are drawn from rows the caller may already see (``visible_to``): the network
filter of a member offers only their own networks, so a filter never tells anyone what else exists.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import DateFilter, WaymarkFilterSet
from waymark.core.models import Organisation, Sector
from waymark.network.models import (
    Action,
    ActionStatus,
    Contact,
    Event,
    EventStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Membership,
    MembershipRole,
    Minutes,
    Network,
    Registration,
    RegistrationStatus,
    Survey,
    SurveyStatus,
)

UPCOMING = "upcoming"
PAST = "past"


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _networks(request: Any) -> QuerySet[Network]:
    return Network.objects.visible_to(_user(request)).order_by("name")


def _network_organisations(request: Any) -> QuerySet[Organisation]:
    """Organisations running a network the caller may see."""
    return Organisation.objects.filter(pk__in=_networks(request).values("organisation_id")).order_by("name")


def _contacts(request: Any) -> QuerySet[Contact]:
    return Contact.objects.visible_to(_user(request))


def _series(request: Any) -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.visible_to(_user(request))


def _meetings(request: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(_user(request))


def _events(request: Any) -> QuerySet[Event]:
    return Event.objects.visible_to(_user(request))


def _network_filter(**kwargs: Any) -> django_filters.ModelChoiceFilter:
    """A network the caller may see, by its id (the contact list page has always sent ids)."""
    return django_filters.ModelChoiceFilter(label=_("Network"), queryset=_networks, **kwargs)


class NetworkFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation running it"), to_field_name="uuid", queryset=_network_organisations
    )

    class Meta(WaymarkFilterSet.Meta):
        model = Network
        fields = ["q", "organisation"]


class MembershipFilterSet(WaymarkFilterSet):
    network = _network_filter()
    contact = django_filters.ModelChoiceFilter(label=_("Contact"), to_field_name="uuid", queryset=_contacts)
    role = django_filters.ChoiceFilter(label=_("Role"), choices=MembershipRole.choices)
    current = django_filters.BooleanFilter(label=_("Member today"), method="filter_current")

    class Meta(WaymarkFilterSet.Meta):
        model = Membership
        fields = ["network", "contact", "role", "current"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        current = Membership.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class ContactFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Name, e-mail or organisation contains"), method="filter_q")
    sector = django_filters.ModelChoiceFilter(label=_("Sector"), to_field_name="slug", queryset=Sector.objects.all())
    network = _network_filter(method="filter_network")

    class Meta(WaymarkFilterSet.Meta):
        model = Contact
        fields = ["q", "sector", "network"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(organisation__name__icontains=value)
        )

    def filter_network(self, queryset: QuerySet, name: str, value: Network) -> QuerySet:
        """Current members of the network."""
        return queryset.filter(pk__in=Membership.objects.current().filter(network=value).values("contact_id"))


class MeetingFilterSet(WaymarkFilterSet):
    network = _network_filter()
    series = django_filters.ModelChoiceFilter(label=_("Series"), to_field_name="uuid", queryset=_series)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(UPCOMING, _("Upcoming, soonest first")), (PAST, _("Past, latest first"))],
        method="filter_when",
    )
    start_from = DateFilter(label=_("Starts on or after"), field_name="start__date", lookup_expr="gte")
    start_to = DateFilter(label=_("Starts on or before"), field_name="start__date", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = Meeting
        fields = ["network", "series", "status", "when", "start_from", "start_to"]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Meetings not yet over, soonest first; or those that have ended, latest first."""
        now = timezone.now()
        if value == PAST:
            return queryset.filter(end__lt=now).order_by("-start", "-pk")
        return queryset.filter(end__gte=now).order_by("start", "pk")


class PublishedMinutesFilterSet(WaymarkFilterSet):
    network = _network_filter(field_name="meeting__network")
    published_from = DateFilter(label=_("Published on or after"), field_name="published_at__date", lookup_expr="gte")
    published_to = DateFilter(label=_("Published on or before"), field_name="published_at__date", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = Minutes
        fields = ["network", "published_from", "published_to"]


class ActionFilterSet(WaymarkFilterSet):
    network = _network_filter(field_name="meeting__network")
    meeting = django_filters.ModelChoiceFilter(label=_("Meeting"), to_field_name="uuid", queryset=_meetings)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    due_from = DateFilter(label=_("Due on or after"), field_name="due_date", lookup_expr="gte")
    due_to = DateFilter(label=_("Due on or before"), field_name="due_date", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = Action
        fields = ["network", "meeting", "status", "overdue", "due_from", "due_to"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        """Open and past their due date (``Action.overdue``), or not."""
        overdue = Q(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class EventFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EventStatus.choices)
    network = _network_filter()
    registration_open = django_filters.BooleanFilter(label=_("Registration open"))
    starts_from = DateFilter(label=_("Starts on or after"), field_name="starts_at__date", lookup_expr="gte")
    starts_to = DateFilter(label=_("Starts on or before"), field_name="starts_at__date", lookup_expr="lte")

    class Meta(WaymarkFilterSet.Meta):
        model = Event
        fields = ["q", "status", "network", "registration_open", "starts_from", "starts_to"]


class RegistrationFilterSet(WaymarkFilterSet):
    event = django_filters.ModelChoiceFilter(label=_("Event"), to_field_name="uuid", queryset=_events)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)
    q = django_filters.CharFilter(label=_("Name, e-mail or organisation contains"), method="filter_q")
    checked_in = django_filters.BooleanFilter(
        label=_("Checked in"), field_name="checked_in_at", lookup_expr="isnull", exclude=True
    )

    class Meta(WaymarkFilterSet.Meta):
        model = Registration
        fields = ["event", "status", "q", "checked_in"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(organisation__icontains=value))


class SurveyFilterSet(WaymarkFilterSet):
    q = django_filters.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SurveyStatus.choices)
    network = _network_filter()
    event = django_filters.ModelChoiceFilter(label=_("Event it evaluates"), to_field_name="uuid", queryset=_events)
    results_public = django_filters.BooleanFilter(label=_("Results published"))

    class Meta(WaymarkFilterSet.Meta):
        model = Survey
        fields = ["q", "status", "network", "event", "results_public"]
