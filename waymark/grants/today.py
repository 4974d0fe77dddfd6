"""What grants put in a person's work queue on the home page (``core.today``): applications waiting to be
screened, for grants officers, and the seats waiting for an assessor; each line leads to the list filtered to
exactly those."""

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from waymark.core.today import Line
from waymark.grants.choices import ApplicationStatus, AssessmentStatus
from waymark.grants.models import Application, Assessment

WAITING_SEATS = (AssessmentStatus.AWAITING_DECLARATION, AssessmentStatus.IN_PROGRESS)


def waiting_seats[Seats: QuerySet[Assessment]](seats: Seats) -> Seats:
    """ "My assessments" with ``?waiting=1``: interests still to declare, or scores still to send."""
    return seats.filter(status__in=WAITING_SEATS)


def screening_lines(user: Any) -> list[Line]:
    """One line per programme with applications sent and not yet screened (one query)."""
    waiting = (
        Application.objects.visible_to(user)
        .filter(status=ApplicationStatus.SUBMITTED)
        .values("programme__uuid", "programme__title")
        .annotate(count=Count("pk"))
        .order_by("programme__title")
    )
    return [
        Line(
            ngettext(
                "%(count)d application to screen for %(programme)s",
                "%(count)d applications to screen for %(programme)s",
                row["count"],
            )
            % {"count": row["count"], "programme": row["programme__title"]},
            reverse("grants:application_list", args=[row["programme__uuid"]]) + "?status=submitted",
            row["count"],
        )
        for row in waiting
    ]


def assessment_lines(user: Any) -> list[Line]:
    count = waiting_seats(Assessment.objects.filter(assessor_id=user.pk)).count()
    text = ngettext(
        "%(count)d grant application waiting for your assessment",
        "%(count)d grant applications waiting for your assessment",
        count,
    ) % {"count": count}
    return [Line(text, reverse("grants:my_assessments") + "?waiting=1", count)]
