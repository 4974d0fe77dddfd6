"""What personal data grants hold beyond the accounts: the contact details applicants give, and what assessors
declared about their interests.

An application's contact is kept six years after the application was started (a grant's records are kept as
long as its accounts may be audited), then blanked; the application, its answers about the group and its
award stay, so a programme's figures and its open data stand. A declaration of interest is kept as long,
then its words are replaced (a declared conflict must say something, so the text becomes a note that it
was erased); whether there was a conflict is kept, since it explains who assessed what.
"""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet

from waymark.core import personal_data

GRANT_RECORDS_RETENTION = timedelta(days=6 * 365)
ERASED_DETAILS = "Erased"


def _erase_declarations(queryset: QuerySet, actor: Any) -> int:
    """Blank the words, or for a conflict (which must say something) replace them; once only, so the daily
    retention run does not write the same erasure again."""
    return personal_data.erase_fields(
        queryset.exclude(details=ERASED_DETAILS),
        fields=["details"],
        actor=actor,
        replacements=lambda declaration: (
            {"details": ERASED_DETAILS} if getattr(declaration, "has_conflict", False) else {}
        ),
    )


def register_personal_data() -> None:
    """Called from the app's ready()."""
    personal_data.register(
        personal_data.PersonalDataSource(
            key="grants.application_contact",
            label="Grant applications: the contact's name, e-mail address and telephone number",
            model="grants.Application",
            fields=["contact_name", "contact_email", "contact_phone"],
            match=personal_data.match_by(
                "grants.Application", email_field="contact_email", phone_field="contact_phone"
            ),
            export=personal_data.export_values(
                "reference",
                "programme__title",
                "status",
                "contact_name",
                "contact_email",
                "contact_phone",
                "created_at",
            ),
            retention=GRANT_RECORDS_RETENTION,
            retention_field="created_at",
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="grants.interest_declaration",
            label="Grant assessments: what an assessor declared about their interests",
            model="grants.InterestDeclaration",
            fields=["details"],
            match=personal_data.match_by("grants.InterestDeclaration", user_field="assessment__assessor"),
            export=personal_data.export_values(
                "assessment__application__reference", "has_conflict", "details", "declared_at"
            ),
            erase=_erase_declarations,
            retention=GRANT_RECORDS_RETENTION,
            retention_field="declared_at",
        )
    )
