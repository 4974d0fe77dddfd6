"""The personal data the network holds, registered with core's subject-access and erasure from the app's ready():
contacts, comments on minutes, event registrations and survey invitations."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from waymark.core import personal_data
from waymark.network.models import Contact

CONTACT_PERSONAL_FIELDS = ["name", "email", "phone", "job_title", "notes", "user"]
CONTACT_EXPORT_FIELDS = [
    "name",
    "email",
    "phone",
    "job_title",
    "organisation__name",
    "sector__name",
    "preferred_language__name",
    "consent_to_contact",
    "lawful_basis",
    "consent_date",
    "unsubscribed_at",
    "notes",
    "created_at",
]


def _export_contacts(queryset: QuerySet[Contact]) -> list[dict[str, Any]]:
    """The contact record with its networks and the lists it left, one row per contact."""
    rows = []
    for contact in queryset.prefetch_related("memberships__network", "interests", "lists_left"):
        row: dict[str, Any] = {"record_id": contact.pk}
        for name in CONTACT_EXPORT_FIELDS:
            value: Any = contact
            for part in name.split("__"):
                value = getattr(value, part, None) if value is not None else None
            row[name] = value
        row["interests"] = "; ".join(theme.name for theme in contact.interests.all())
        row["memberships"] = "; ".join(
            f"{m.network.name} ({m.get_role_display()}, {m.joined}–{m.left or ''})" for m in contact.memberships.all()
        )
        row["lists_left"] = "; ".join(item.name for item in contact.lists_left.all())
        rows.append(row)
    return rows


REGISTRATION_PERSONAL_FIELDS = ["name", "email", "organisation", "access_needs", "dietary_needs"]
INVITATION_PERSONAL_FIELDS = ["email", "name"]


def _erase_keeping_unique_emails(fields: list[str]) -> Callable[[QuerySet, Any], int]:
    """Erase with ``erased-<id>`` in place of the e-mail, which must stay unique per event or survey."""

    def erase(queryset: QuerySet, actor: Any) -> int:
        return personal_data.erase_fields(
            queryset, fields=fields, actor=actor, replacements=lambda record: {"email": f"erased-{record.pk}"}
        )

    return erase


def register_personal_data() -> None:
    # Contacts: found by e-mail, phone or user account.
    personal_data.register(
        personal_data.PersonalDataSource(
            key="network_contacts",
            label="Network contacts",
            model="network.Contact",
            fields=CONTACT_PERSONAL_FIELDS,
            match=personal_data.match_by(
                "network.Contact", email_field="email", phone_field="phone", user_field="user"
            ),
            export=_export_contacts,
        )
    )
    # Comments on minutes are what a person wrote: found by their account, exported and erased with them.
    # Attendance and actions point at a network Contact, so the contact's own erasure de-identifies them.
    personal_data.register(
        personal_data.PersonalDataSource(
            key="network_minutes_comments",
            label="Comments on meeting minutes",
            model="network.MinutesComment",
            fields=["text"],
            match=personal_data.match_by("network.MinutesComment", email_field="author__email", user_field="author"),
        )
    )
    # Event registrations and survey invitations: found by e-mail, which stays unique once erased.
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
