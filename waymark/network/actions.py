"""Reads of the actions agreed at meetings: those overdue, for the weekly digest (``services.minutes``)."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from waymark.network.models import Action, ActionStatus


def overdue_actions(today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions whose due date has passed."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=today)
        .select_related("owner", "meeting__network")
        .order_by("due_date", "pk")
    )
