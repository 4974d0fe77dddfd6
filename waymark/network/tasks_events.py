"""Background work for events and surveys, and what they declare to core's registries at start-up."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.tasks import task

from waymark.core import personal_data
from waymark.core.scheduling import register_periodic
from waymark.network.services import events as services_events

REGISTRATION_PERSONAL_FIELDS = ["name", "email", "organisation", "access_needs", "dietary_needs"]
INVITATION_PERSONAL_FIELDS = ["email", "name"]


def _erase_keeping_unique_emails(fields: list[str]) -> Callable[[QuerySet, Any], int]:
    """Erase with ``erased-<id>`` in place of the e-mail, which must stay unique per event or survey."""

    def erase(queryset: QuerySet, actor: Any) -> int:
        return personal_data.erase_fields(
            queryset, fields=fields, actor=actor, replacements=lambda record: {"email": f"erased-{record.pk}"}
        )

    return erase


@task
def erase_event_needs() -> dict[str, int]:
    """Erase access and dietary needs once their event is over (scheduled daily)."""
    return services_events.erase_event_needs()


def register_events_and_surveys() -> None:
    """Called from the app's ready(): the daily retention job and the personal data events and surveys hold."""
    register_periodic("network_erase_event_needs", "waymark.network.tasks_events.erase_event_needs", timedelta(days=1))
    personal_data.register(
        personal_data.PersonalDataSource(
            key="network.registration",
            label="Event registrations",
            model="network.Registration",
            fields=REGISTRATION_PERSONAL_FIELDS,
            match=personal_data.match_by("network.Registration", email_field="email"),
            export=personal_data.export_values(
                *REGISTRATION_PERSONAL_FIELDS, "event__title", "status", "registered_at"
            ),
            erase=_erase_keeping_unique_emails(REGISTRATION_PERSONAL_FIELDS),
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="network.surveyinvitation",
            label="Survey invitations",
            model="network.SurveyInvitation",
            fields=INVITATION_PERSONAL_FIELDS,
            match=personal_data.match_by("network.SurveyInvitation", email_field="email"),
            export=personal_data.export_values(*INVITATION_PERSONAL_FIELDS, "survey__title", "sent_at", "responded_at"),
            erase=_erase_keeping_unique_emails(INVITATION_PERSONAL_FIELDS),
        )
    )
