"""Where a service came from: the neighbour's feed it was read from, shown wherever the service is."""

from django.db.models import Prefetch

from waymark.directory.models import FeedRecord, Service


def source_prefetch(path: str = "") -> Prefetch:
    """Load each service's feed record alongside it; ``source_of`` then costs no query."""
    return Prefetch(
        f"{path}feed_records",
        queryset=FeedRecord.objects.filter(merged=False).select_related("feed").order_by("pk"),
        to_attr="read_from_feeds",
    )


def source_of(service: Service) -> FeedRecord | None:
    """The record of the feed the service was read from, or None for a record kept in Waymark itself.

    A record a person merged with a service Waymark already had does not make that service the feed's.
    """
    records = getattr(service, "read_from_feeds", None)
    if records is None:
        records = list(service.feed_records.filter(merged=False).select_related("feed").order_by("pk"))
    return records[0] if records else None
