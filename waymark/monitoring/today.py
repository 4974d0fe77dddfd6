"""What monitoring puts in an analyst's work queue on the home page (``core.today``): their imports of the
last week that were not imported (errors in the file, or the import stopped) and those that were, each
linking to the import list filtered to exactly those."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from waymark.core.today import Line
from waymark.monitoring import quality
from waymark.monitoring.choices import ImportStatus
from waymark.monitoring.filtersets import UPLOADED_BY_ME
from waymark.monitoring.models import ImportBatch

RECENT_DAYS = 7


def import_lines(user: Any) -> list[Line]:
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    counts = ImportBatch.objects.filter(uploaded_by_id=user.pk, created_at__date__gte=since).aggregate(
        invalid=Count("pk", filter=Q(status=ImportStatus.INVALID)),
        failed=Count("pk", filter=Q(status=ImportStatus.FAILED)),
        succeeded=Count("pk", filter=Q(status=ImportStatus.SUCCEEDED)),
    )

    def url(status: str) -> str:
        query = {"uploaded_by": UPLOADED_BY_ME, "status": status, "uploaded_from": since.isoformat()}
        return reverse("monitoring:import_list") + "?" + urlencode(query)

    texts = {
        ImportStatus.INVALID: ngettext(
            "%(count)d of your imports this week had errors in the file",
            "%(count)d of your imports this week had errors in the file",
            counts["invalid"],
        ),
        ImportStatus.FAILED: ngettext(
            "%(count)d of your imports this week stopped before the end",
            "%(count)d of your imports this week stopped before the end",
            counts["failed"],
        ),
        ImportStatus.SUCCEEDED: ngettext(
            "%(count)d of your imports this week finished",
            "%(count)d of your imports this week finished",
            counts["succeeded"],
        ),
    }
    return [
        Line(text % {"count": counts[status.value]}, url(status), counts[status.value], urgent=status != "succeeded")
        for status, text in texts.items()
    ]


def data_quality_lines(user: Any) -> list[Line]:
    count = quality.below_target(quality.latest_quality(user)).count()
    text = ngettext(
        "%(count)d provider's latest month of ethnic coding is below 95%% complete",
        "%(count)d providers' latest month of ethnic coding is below 95%% complete",
        count,
    ) % {"count": count}
    return [Line(text, reverse("monitoring:data_quality_list") + "?below_target=1", count)]
