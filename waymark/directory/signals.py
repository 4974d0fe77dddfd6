"""Keeping service search text current when something it quotes changes elsewhere.

The search filters' lists of needs, languages, communities and wards (and the postcode the search box's hint names)
are kept between requests and dropped here when one of those records, a place or a postcode is saved or deleted.

A service's search document holds its organisation's name and the names of its needs, languages and
communities. Those records are edited by other apps (``core.services.update_organisation``) or in the
Django admin, which do not know the directory; these receivers re-index the services that quote them.

The index also marks when each service is open (``search_index``), so a change to its weekly hours or holiday
exceptions, however it is written, re-indexes that service.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from waymark.core.models import Area, Community, Language, Organisation, Postcode
from waymark.directory.models import HolidayException, Location, Schedule, Service, TaxonomyTerm


def _reindex(service_ids: list[int]) -> None:
    """Re-index in the same transaction as the save, so the name and the index change together."""
    from waymark.directory.services import refresh_search_index

    if service_ids:
        refresh_search_index(service_ids)


def organisation_saved(sender: Any, instance: Organisation, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        _reindex(list(Service.objects.filter(organisation=instance).values_list("pk", flat=True)))


def term_saved(sender: Any, instance: TaxonomyTerm, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        # Services under the term's children quote its name too.
        from waymark.directory.search_filters import term_and_descendants

        terms = term_and_descendants(instance)
        _reindex(list(Service.objects.filter(categories__in=terms).values_list("pk", flat=True).distinct()))


def language_saved(sender: Any, instance: Language, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        _reindex(list(Service.objects.filter(languages=instance).values_list("pk", flat=True)))


def community_saved(sender: Any, instance: Community, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        _reindex(list(Service.objects.filter(communities=instance).values_list("pk", flat=True)))


def hours_changed(sender: Any, instance: Schedule | HolidayException, **kwargs: Any) -> None:
    """A service's weekly hours or holiday exceptions were saved or deleted (not as part of deleting it)."""
    origin = kwargs.get("origin")
    if kwargs.get("raw") or isinstance(origin, Service) or getattr(origin, "model", None) is Service:
        return
    if Service.objects.filter(pk=instance.service_id).exists():
        _reindex([instance.service_id])


def connect() -> None:
    from waymark.directory.forms_public import forget_filter_lists

    # The search filters' lists are kept between requests; a change to what they list drops them at once.
    for model in (TaxonomyTerm, Language, Community, Area, Location, Postcode):
        for signal in (post_save, post_delete):
            signal.connect(forget_filter_lists, sender=model, dispatch_uid=f"directory_filter_lists_{model.__name__}")
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="directory_reindex_organisation")
    post_save.connect(term_saved, sender=TaxonomyTerm, dispatch_uid="directory_reindex_term")
    post_save.connect(language_saved, sender=Language, dispatch_uid="directory_reindex_language")
    post_save.connect(community_saved, sender=Community, dispatch_uid="directory_reindex_community")
    for hours in (Schedule, HolidayException):
        for signal in (post_save, post_delete):
            signal.connect(hours_changed, sender=hours, dispatch_uid=f"directory_reindex_hours_{hours.__name__}")
