"""Triage writes: marking new items as read, and the urgent route for a safeguarding concern.

A safeguarding concern raises an alert e-mail at once. The alert carries a link to the item and never its
words: e-mail is copied, forwarded and kept in places Waymark cannot protect.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from waymark.accounts.models import RoleGrant, User
from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.core.roles import Role
from waymark.voice.choices_items import ItemStatus
from waymark.voice.models import FeedbackItem


def mark_triaged(*, actor: Any, items: Iterable[FeedbackItem]) -> int:
    """Record that staff have read these new items and need no issue for them yet; returns how many moved."""
    moved = 0
    with transaction.atomic(), acting_as(actor):
        for item in items:
            if item.status == ItemStatus.NEW:
                item.status = ItemStatus.TRIAGED
                item.save(update_fields=["status", "updated_at"])
                moved += 1
    return moved


def flag_safeguarding(*, actor: Any, item: FeedbackItem) -> FeedbackItem:
    """The urgent route: mark the item as a safeguarding concern and alert the people who act on it."""
    with transaction.atomic(), acting_as(actor):
        current = FeedbackItem.objects.select_for_update().get(pk=item.pk)
        if not current.safeguarding:
            current.safeguarding = True
            current.save(update_fields=["safeguarding", "updated_at"])
        send_safeguarding_alert(current, actor=actor)
    return current


def alert_recipients() -> list[str]:
    """Who hears about safeguarding concerns: the configured addresses, else every current staff member and
    administrator with an e-mail address."""
    configured = list(getattr(settings, "VOICE_SAFEGUARDING_ALERT_TO", []))
    if configured:
        return configured
    user_ids = RoleGrant.objects.current().filter(role__in=[Role.STAFF, Role.ADMIN]).values("user_id")
    users = User.objects.filter(is_active=True).filter(pk__in=user_ids) | User.objects.filter(
        is_active=True, is_superuser=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def send_safeguarding_alert(item: FeedbackItem, *, actor: Any = None) -> None:
    """E-mail the alert for a safeguarding item, once per item however often it is asked for."""
    recipients = alert_recipients()
    if not recipients:
        return
    send_email(
        to=recipients,
        template="voice_safeguarding_alert",
        context={"reference": item.reference, "item_url": settings.SITE_URL + item.get_absolute_url()},
        dedupe_key=f"voice-safeguarding:{item.uuid}",
        actor=actor,
    )


def alert_on_safeguarding_save(sender: type, instance: FeedbackItem, **kwargs: Any) -> None:
    """post_save receiver: however an item arrives flagged (staff entry, API, import), the alert goes once the
    item is saved for good."""
    if instance.safeguarding and not kwargs.get("raw"):
        transaction.on_commit(lambda: send_safeguarding_alert(instance))
