"""Ethnic monitoring's part of the policy.

Working users see live figures disclosure-controlled; a provider's unsuppressed figures and data quality go
only to its analysts and to analysts of commissioners holding a data-sharing agreement (the object rule
below). The public sees published snapshots only.
"""

from typing import Any

from django.db.models import Model, Q, QuerySet

from waymark.core import policy
from waymark.core.roles import WORKING_ROLES, Role

PERMISSIONS = {
    "monitoring.view": WORKING_ROLES,
    "monitoring.view_unsuppressed": frozenset({Role.ANALYST}),
    "monitoring.data_quality": frozenset({Role.ANALYST}),
    "monitoring.import_activity": frozenset({Role.ANALYST}),
    "monitoring.import_population": frozenset({Role.ANALYST, Role.ADMIN}),
    "monitoring.import_national": frozenset({Role.ANALYST}),
    "monitoring.view_imports": frozenset({Role.ANALYST, Role.ADMIN}),
    "monitoring.publish": frozenset({Role.ANALYST}),
    "monitoring.manage_access": frozenset({Role.ADMIN}),
}

# Permissions whose object is a provider (an Organisation) the user's figures must come from.
MONITORING_PROVIDER_PERMISSIONS = frozenset(
    {"monitoring.view_unsuppressed", "monitoring.data_quality", "monitoring.import_activity", "monitoring.publish"}
)

# Reference tables, census denominators and England's published statistics are public, and so are
# published snapshots.
PUBLIC_MODELS = (
    "monitoring.AnalysisGrouping",
    "monitoring.AnalysisGroup",
    "monitoring.LocalSubCategory",
    "monitoring.CodeMappingSet",
    "monitoring.CodeMapping",
    "monitoring.PopulationFigure",
    "monitoring.PublishedSnapshot",
    "monitoring.NationalRelease",  # England's published statistics
    "monitoring.NationalFigure",
)
# A provider's own figures and data quality go to the analysts who may see them unsuppressed (everyone else
# gets them only through disclosure control, computed by the monitoring services).
PROVIDER_FIGURES = ("monitoring.ActivityCount", "monitoring.PeopleCount", "monitoring.DataQualityFigure")


def monitoring_provider_ids(user: Any) -> set[int]:
    """Providers whose unsuppressed figures this user may see, cached for the request.

    The organisations the user is an analyst for, and the providers that have a data-sharing agreement in
    force with any of them (``monitoring.ProviderDataAccess``, recorded by an administrator).
    """
    analyst_of = policy.organisation_ids(user, Role.ANALYST)
    if not analyst_of:
        return set()
    cached = getattr(user, "_waymark_monitoring_providers", None)
    if cached is None:
        from waymark.monitoring.models import ProviderDataAccess

        shared = ProviderDataAccess.objects.current().filter(commissioner_id__in=analyst_of)
        cached = analyst_of | set(shared.values_list("provider_id", flat=True))
        user._waymark_monitoring_providers = cached
    return cached


def figures_of_own_providers(user: Any, held: set[str], obj: Model) -> bool:
    """The object is the provider whose figures are asked for."""
    return obj.pk in monitoring_provider_ids(user)


def everyone_sees(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    return queryset


def provider_figures_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    return queryset.filter(provider_id__in=monitoring_provider_ids(user))


def import_batches_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if Role.ADMIN in held:
        return queryset
    if Role.ANALYST in held:
        return queryset.filter(Q(provider__isnull=True) | Q(provider_id__in=monitoring_provider_ids(user)))
    return queryset.none()


def data_access_seen(queryset: QuerySet, user: Any, held: set[str]) -> QuerySet:
    if Role.ADMIN in held:
        return queryset
    return queryset.filter(commissioner_id__in=policy.organisation_ids(user, Role.ANALYST))


def register() -> None:
    policy.declare_permissions("monitoring", PERMISSIONS)
    policy.object_rule(*sorted(MONITORING_PROVIDER_PERMISSIONS))(figures_of_own_providers)
    policy.visibility_rule(*PUBLIC_MODELS)(everyone_sees)
    policy.visibility_rule(*PROVIDER_FIGURES)(provider_figures_seen)
    policy.visibility_rule("monitoring.ImportBatch")(import_batches_seen)
    policy.visibility_rule("monitoring.ProviderDataAccess")(data_access_seen)
