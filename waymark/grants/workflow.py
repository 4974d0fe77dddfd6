"""The moves an application may make, in one table: from each status, where it may go, and who moves it.

Services call ``check_move`` before changing an application's status, so a page, the API or a task can never
take a route the table does not list (a declined application cannot become awarded; a draft cannot be
assessed). Staff and applicants read different names for some statuses: ``public_status_label``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waymark.grants.choices import ApplicationStatus as Status

MOVES: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.IN_ASSESSMENT, Status.SCREENED_OUT, Status.WITHDRAWN}),
    Status.IN_ASSESSMENT: frozenset({Status.AWARDED, Status.DECLINED, Status.WITHDRAWN}),
    Status.SCREENED_OUT: frozenset({Status.SUBMITTED}),  # screening reopened on appeal
    Status.AWARDED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# What an applicant reads: assessment and screening are "being considered" until the decision is sent.
PUBLIC_LABELS = {
    Status.DRAFT: _("Not sent yet"),
    Status.SUBMITTED: _("Received: being considered"),
    Status.IN_ASSESSMENT: _("Received: being considered"),
    Status.SCREENED_OUT: _("Not eligible"),
    Status.AWARDED: _("Awarded"),
    Status.DECLINED: _("Not funded this time"),
    Status.WITHDRAWN: _("Withdrawn"),
}


def can_move(current: str, to: str) -> bool:
    return to in MOVES.get(current, frozenset())


def check_move(current: str, to: str) -> None:
    """Refuse a move the table does not list, naming both statuses."""
    if not can_move(current, to):
        raise ValidationError(
            _("An application that is %(current)s cannot become %(to)s.")
            % {"current": Status(current).label.lower(), "to": Status(to).label.lower()},
            code="invalid_move",
        )


def public_status_label(status: str) -> str:
    return str(PUBLIC_LABELS[Status(status)])
