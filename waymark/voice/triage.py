"""Triage of new feedback: safeguarding first, similar items side by side, and the urgent route.

A safeguarding concern raises an alert e-mail at once. The alert carries a link to the item and never its
words: e-mail is copied, forwarded and kept in places Waymark cannot protect.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from waymark.accounts.models import RoleGrant, User
from waymark.core.audit import acting_as
from waymark.core.email import send_email
from waymark.core.models import Organisation, Theme
from waymark.core.roles import Role
from waymark.voice.choices_items import ItemStatus
from waymark.voice.models import FeedbackItem


@dataclass
class SimilarGroup:
    """New items about the same thing, shown together so staff can make one issue of them: those sharing a theme,
    or, before anyone has themed them, those about the same organisation."""

    theme: Theme | None = None
    organisation: Organisation | None = None
    items: list[FeedbackItem] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.theme:
            return self.theme.name
        if self.organisation:
            return _("About %(organisation)s, no theme yet") % {"organisation": self.organisation.name}
        return _("No theme yet")


def new_items(user: Any) -> QuerySet[FeedbackItem]:
    """New items this user may see, safeguarding concerns first, then oldest first (they have waited longest)."""
    return (
        FeedbackItem.objects.visible_to(user)
        .filter(status=ItemStatus.NEW)
        .select_related("original_language")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")), "organisations")
        .order_by("-safeguarding", "received_on", "created_at", "pk")
    )


def group_similar(items: Iterable[FeedbackItem]) -> list[SimilarGroup]:
    """Items grouped by their first theme (alphabetically); items without a theme by the first organisation they
    concern; biggest group first, items with neither last. Items must come with themes and organisations
    prefetched."""
    groups: dict[tuple[str, int | None], SimilarGroup] = {}
    for item in items:
        themes = list(item.themes.all())
        organisations = list(item.organisations.all())
        if themes:
            theme = min(themes, key=lambda t: t.name)
            groups.setdefault(("theme", theme.pk), SimilarGroup(theme=theme)).items.append(item)
        elif organisations:
            organisation = min(organisations, key=lambda o: o.name)
            key = ("organisation", organisation.pk)
            groups.setdefault(key, SimilarGroup(organisation=organisation)).items.append(item)
        else:
            groups.setdefault(("none", None), SimilarGroup()).items.append(item)

    def order(group: SimilarGroup) -> tuple[int, int, str]:
        kind = 0 if group.theme else 1 if group.organisation else 2
        return kind, -len(group.items), group.label

    return sorted(groups.values(), key=order)


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
