"""The month grid is read far more often than the calendar changes, and a crowded month is costly to draw
(its clashes most of all). So the drawn grid is kept in the cache under the calendar's version, which every
change to a consultation, its communities or themes, or the theme taxonomy moves on once the change is
committed; the grid is drawn afresh after ``MONTH_GRID_SECONDS`` in any case."""

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone, translation

from waymark.core.models import Theme
from waymark.partnership.models import Consultation

VERSION_KEY = "partnership:calendar-version"
MONTH_GRID_SECONDS = 600


def calendar_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or ""
    return str(version)


def _move_on() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def calendar_changed(**kwargs: Any) -> None:
    """Move on at once, for the rest of the change's own transaction, and again once it is committed, so a
    grid drawn meanwhile by another request from the old rows is not kept under the new version."""
    _move_on()
    transaction.on_commit(_move_on)


def month_grid_key(request: HttpRequest, year: int, month: int) -> str:
    """Everything the drawn grid depends on: the calendar's version, the month, the filters, the language,
    today (it is marked) and the clash window. Every working user sees every consultation, so not the user."""
    parts = (
        calendar_version(),
        f"{year}-{month}",
        request.GET.urlencode(),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        str(settings.CONSULTATION_CLASH_WINDOW_DAYS),
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def connect() -> None:
    for model in (Consultation, Theme):
        post_save.connect(calendar_changed, sender=model, dispatch_uid=f"calendar-saved-{model.__name__}")
        post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"calendar-deleted-{model.__name__}")
    for relation in (Consultation.communities.through, Consultation.themes.through):
        m2m_changed.connect(calendar_changed, sender=relation, dispatch_uid=f"calendar-links-{relation.__name__}")
