"""Consultation clashes: two consultations that would ask one community about the same or related themes
in overlapping or nearby weeks. Themes are related when they are the same, share a parent, or one is the
other's parent. Clashes are warnings, never refusals: the point is that the leads talk and combine.

A consultation clashes only while it will still ask something (planned or open), and so do the others; the
same body consulting twice counts too, since consultation must be co-ordinated within bodies as well as
between them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Prefetch

from waymark.core.models import Community, Theme
from waymark.partnership.choices import ASKING_STATUSES
from waymark.partnership.models import Consultation


@dataclass(frozen=True)
class Clash:
    """Another consultation that would ask the same people about the same things at about the same time."""

    other: Consultation
    communities: list[Community] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    days_apart: int = 0  # 0 when the dates overlap


def window_days() -> int:
    return settings.CONSULTATION_CLASH_WINDOW_DAYS


def days_apart(first: tuple[date, date], second: tuple[date, date]) -> int:
    """Days between two date ranges, 0 when they overlap or touch."""
    return max(0, (second[0] - first[1]).days, (first[0] - second[1]).days)


class ThemeFamilies:
    """Each theme's parent, read once, to say which themes are related."""

    def __init__(self) -> None:
        self.themes: dict[int, Theme] = {theme.pk: theme for theme in Theme.objects.only("pk", "name", "parent_id")}
        self.parent_of: dict[int, int | None] = {pk: theme.parent_id for pk, theme in self.themes.items()}
        self.children_of: dict[int, set[int]] = defaultdict(set)
        for theme_id, parent_id in self.parent_of.items():
            if parent_id is not None:
                self.children_of[parent_id].add(theme_id)

    def related(self, first: int, second: int) -> bool:
        parent_first, parent_second = self.parent_of.get(first), self.parent_of.get(second)
        return (
            first == second
            or (parent_first is not None and parent_first == parent_second)
            or parent_first == second
            or parent_second == first
        )

    def related_to_any(self, theme_ids: Iterable[int]) -> set[int]:
        """Every theme related to one of these: themselves, their parents, their siblings and children."""
        wanted = set(theme_ids)
        parents = {parent for theme_id in wanted if (parent := self.parent_of.get(theme_id)) is not None}
        related = wanted | parents
        for theme_id in wanted | parents:
            related |= self.children_of.get(theme_id, set())
        return related


def _candidates(*, starts_on: date, ends_on: date, community_ids: Iterable[int]):  # type: ignore[no-untyped-def]
    window = timedelta(days=window_days())
    return (
        Consultation.objects.filter(
            status__in=ASKING_STATUSES,
            starts_on__lte=ends_on + window,
            ends_on__gte=starts_on - window,
            communities__in=list(community_ids),
        )
        .distinct()
        .select_related("lead_organisation")
        .prefetch_related(
            Prefetch("communities", queryset=Community.objects.only("pk", "name")),
            Prefetch("themes", queryset=Theme.objects.only("pk", "name", "parent_id")),
        )
        .order_by("starts_on", "pk")
    )


def _clash(
    families: ThemeFamilies,
    dates: tuple[date, date],
    community_ids: set[int],
    theme_ids: set[int],
    other: Consultation,
) -> Clash | None:
    apart = days_apart(dates, (other.starts_on, other.ends_on))
    if apart > window_days():
        return None
    communities = [community for community in other.communities.all() if community.pk in community_ids]
    themes = [theme for theme in other.themes.all() if any(families.related(theme.pk, mine) for mine in theme_ids)]
    if not communities or not themes:
        return None
    return Clash(other=other, communities=communities, themes=themes, days_apart=apart)


def find_clashes(
    *,
    starts_on: date,
    ends_on: date,
    community_ids: Iterable[int],
    theme_ids: Iterable[int],
    exclude: Consultation | None = None,
) -> list[Clash]:
    """The consultations a consultation with these dates, communities and themes would clash with; asked
    of a form's values before saving as well as of a saved consultation."""
    community_ids, theme_ids = set(community_ids), set(theme_ids)
    if not community_ids or not theme_ids or ends_on < starts_on:
        return []
    families = ThemeFamilies()
    candidates = _candidates(starts_on=starts_on, ends_on=ends_on, community_ids=community_ids).filter(
        themes__in=families.related_to_any(theme_ids)
    )
    if exclude is not None and exclude.pk is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    clashes = (_clash(families, (starts_on, ends_on), community_ids, theme_ids, other) for other in candidates)
    return [clash for clash in clashes if clash is not None]


def clashes_of(consultation: Consultation) -> list[Clash]:
    """A saved consultation's clashes; none once it no longer asks anything."""
    if consultation.status not in ASKING_STATUSES:
        return []
    return find_clashes(
        starts_on=consultation.starts_on,
        ends_on=consultation.ends_on,
        community_ids=[community.pk for community in consultation.communities.all()],
        theme_ids=[theme.pk for theme in consultation.themes.all()],
        exclude=consultation,
    )


def clashes_among(consultations: Iterable[Consultation]) -> dict[int, list[Clash]]:
    """The clashes of each of many consultations (a calendar page's), in five queries whatever their number.
    The consultations must have their communities and themes prefetched.

    A crowded month may have a thousand others within the window that ask one of its communities, so the
    candidates are read as bare ids and dates (their communities and themes from the link tables), compared in
    memory, and only those that clash are read as records, with their lead body."""
    asking = [consultation for consultation in consultations if consultation.status in ASKING_STATUSES]
    if not asking:
        return {}
    families = ThemeFamilies()
    window = timedelta(days=window_days())
    community_ids = {community.pk for consultation in asking for community in consultation.communities.all()}
    in_time = Consultation.objects.filter(
        status__in=ASKING_STATUSES,
        starts_on__lte=max(consultation.ends_on for consultation in asking) + window,
        ends_on__gte=min(consultation.starts_on for consultation in asking) - window,
    )
    community_links = Consultation.communities.through.objects.filter(
        consultation__in=in_time.values("pk"), community_id__in=community_ids
    )
    dates: dict[int, tuple[date, date]] = {}
    by_community: dict[int, list[int]] = defaultdict(list)
    for pk, community_id, starts_on, ends_on in community_links.values_list(
        "consultation_id", "community_id", "consultation__starts_on", "consultation__ends_on"
    ).order_by("consultation__starts_on", "consultation_id"):
        dates[pk] = (starts_on, ends_on)
        by_community[community_id].append(pk)
    themes_of: dict[int, set[int]] = defaultdict(set)
    for pk, theme_id in Consultation.themes.through.objects.filter(
        consultation__in=community_links.values("consultation_id")
    ).values_list("consultation_id", "theme_id"):
        themes_of[pk].add(theme_id)

    # (other's pk, the communities in common, the related themes, days apart) for each consultation.
    found_ids: dict[int, list[tuple[int, set[int], set[int], int]]] = {}
    for consultation in asking:
        mine_communities = {community.pk for community in consultation.communities.all()}
        related = families.related_to_any(theme.pk for theme in consultation.themes.all())
        seen: set[int] = {consultation.pk}
        for community_id in mine_communities:
            for other_pk in by_community.get(community_id, ()):
                if other_pk in seen:
                    continue
                seen.add(other_pk)
                apart = days_apart((consultation.starts_on, consultation.ends_on), dates[other_pk])
                themes = themes_of[other_pk] & related
                if apart <= window.days and themes:
                    shared = {pk for pk in mine_communities if other_pk in by_community.get(pk, ())}
                    found_ids.setdefault(consultation.pk, []).append((other_pk, shared, themes, apart))
    if not found_ids:
        return {}
    other_ids = {other_pk for clashes in found_ids.values() for other_pk, *_rest in clashes}
    others = Consultation.objects.select_related("lead_organisation").in_bulk(other_ids)
    shared_ids = {pk for clashes in found_ids.values() for _other, shared, *_rest in clashes for pk in shared}
    communities = Community.objects.only("pk", "name").in_bulk(shared_ids)
    found: dict[int, list[Clash]] = {}
    for pk, clashes in found_ids.items():
        found[pk] = sorted(
            (
                Clash(
                    other=others[other_pk],
                    communities=sorted(
                        (communities[community_pk] for community_pk in shared), key=lambda community: community.name
                    ),
                    themes=sorted((families.themes[theme_pk] for theme_pk in themes), key=lambda theme: theme.name),
                    days_apart=apart,
                )
                for other_pk, shared, themes, apart in clashes
            ),
            key=lambda clash: (clash.other.starts_on, clash.other.pk),
        )
    return found
