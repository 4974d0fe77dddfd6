"""Filters of the staff applications list, shared by the API (and any list page) so the two filter alike."""

import django_filters
from django.utils.translation import gettext_lazy as _

from waymark.core.filtersets import WaymarkFilterSet
from waymark.grants.choices import ApplicationStatus, Channel
from waymark.grants.models import Application


class ApplicationFilterSet(WaymarkFilterSet):
    programme = django_filters.UUIDFilter(label=_("Programme"), field_name="programme__uuid")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("Received"), choices=Channel.choices)

    class Meta(WaymarkFilterSet.Meta):
        model = Application
        fields = ["programme", "status", "channel"]
