"""Bases for every app's API views: rows always come through ``visible_to(user)``."""

from django.db.models import QuerySet
from rest_framework import mixins, viewsets


class VisibleQuerysetMixin:
    """Narrows the view's queryset to what the policy lets this user see, so hidden rows give 404."""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[attr-defined, misc]


class ReadOnlyPolicyViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, for reference data and other read-only records."""


class RetrieveOnlyPolicyViewSet(VisibleQuerysetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Retrieve by key only, for tables too large to list (postcodes)."""
