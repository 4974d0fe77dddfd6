"""The triage queue: new feedback, safeguarding concerns first, with similar items side by side so staff can
make one issue of them. Marking items read and the urgent safeguarding route are in ``voice.services.triage``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from waymark.core.models import Organisation, Theme
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
    """New items this user may see, safeguarding concerns first, then newest first: what just came in is what
    staff can still act on (and the people who said it can still be reached)."""
    return (
        FeedbackItem.objects.visible_to(user)
        .filter(status=ItemStatus.NEW)
        .select_related("original_language")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")), "organisations")
        .order_by("-safeguarding", "-received_on", "-created_at", "-pk")
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
