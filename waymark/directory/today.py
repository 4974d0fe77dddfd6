"""What the directory puts in a person's work queue on the home page (``core.today``): records due for
checking and groups whose funding ends soon, each linking to the list filtered to exactly those."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from waymark.core.models import Organisation
from waymark.core.today import Line
from waymark.directory import fragility
from waymark.directory.models import Service

FUNDING_WINDOW_MONTHS = 3


def review_lines(user: Any) -> list[Line]:
    count = Service.objects.visible_to(user).due_for_review().count()
    text = ngettext(
        "%(count)d directory record due for checking", "%(count)d directory records due for checking", count
    ) % {"count": count}
    return [Line(text, reverse("directory:manage") + "?not_verified=true", count)]


def funding_lines(user: Any) -> list[Line]:
    """Three queries, the radar's own: what the radar lists is what is counted."""
    entries = fragility.fragility_radar(
        today=timezone.localdate(),
        window_months=FUNDING_WINDOW_MONTHS,
        organisations_qs=Organisation.objects.visible_to(user).filter(active=True),
    )
    count = sum(1 for entry in entries if fragility.Reason.FUNDING_ENDS in entry.kinds)
    text = ngettext(
        "%(count)d group whose funding ends within three months",
        "%(count)d groups whose funding ends within three months",
        count,
    ) % {"count": count}
    query = urlencode({"window": FUNDING_WINDOW_MONTHS, "reason": fragility.Reason.FUNDING_ENDS.value})
    return [Line(text, reverse("directory:fragility") + "?" + query, count)]
