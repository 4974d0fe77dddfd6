"""Registering a neighbour's feed, and changing what Waymark knows of it."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from waymark.core.audit import acting_as
from waymark.directory.feeds.reading import check_feed_address
from waymark.directory.models import Feed

FEED_FIELDS = ("name", "url", "publisher_name", "publisher_identifier", "read_every", "grace_days", "active")


def _check_address(url: str) -> None:
    """The reader's refusal, named on the address field."""
    try:
        check_feed_address(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from error


def create_feed(*, actor: Any, data: Mapping[str, Any]) -> Feed:
    """Register a feed; its first read is due at once. An address Waymark may not reach is refused."""
    _check_address(data["url"])
    feed = Feed(**{name: data[name] for name in FEED_FIELDS if name in data})
    with transaction.atomic(), acting_as(actor):
        feed.full_clean()
        feed.save()
        feed.needs.set(data.get("needs") or [])
    return feed


def update_feed(*, actor: Any, feed: Feed, data: Mapping[str, Any]) -> Feed:
    """Change the fields named in ``data``; a new address is checked like a new feed's."""
    if "url" in data and data["url"] != feed.url:
        _check_address(data["url"])
    with transaction.atomic(), acting_as(actor):
        current = Feed.objects.select_for_update().get(pk=feed.pk)
        for name in FEED_FIELDS:
            if name in data:
                setattr(current, name, data[name])
        current.full_clean()
        current.save()
        if "needs" in data:
            current.needs.set(data["needs"])
    return current
