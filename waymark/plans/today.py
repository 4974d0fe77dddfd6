"""What plans put in a person's work queue on the home page (``core.today``): the actions they lead that are
past their due date, linking to "My actions" filtered to exactly those."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from waymark.core.today import Line
from waymark.plans.choices import FINISHED_STATUSES
from waymark.plans.models import Action


def overdue[Actions: QuerySet[Action]](actions: Actions) -> Actions:
    """Unfinished actions whose due date has passed: "My actions" with ``?overdue=1``."""
    return actions.exclude(status__in=FINISHED_STATUSES).filter(due_date__lt=timezone.localdate())


def overdue_action_lines(user: Any) -> list[Line]:
    count = overdue(Action.objects.visible_to(user).filter(lead_id=user.pk)).count()
    text = ngettext(
        "%(count)d plan action you lead is past its due date",
        "%(count)d plan actions you lead are past their due date",
        count,
    ) % {"count": count}
    return [Line(text, reverse("plans:my_actions") + "?overdue=1", count, urgent=bool(count))]
