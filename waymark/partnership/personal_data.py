"""The personal data partnership working holds, registered with core's subject-access export, erasure and
retention from the app's ready().

- A consultation's contact (name, e-mail, telephone): other bodies need them to combine consultations while
  it runs and is reported; two years after it ended nobody does, so they are erased then.
- The named lead and deputy of each partner organisation are user accounts. The account's own erasure
  de-identifies them; erasing here also takes the person off the partnership's list. Kept six years after
  the organisation left the partnership, as the governance record of who spoke for it.
- A worker's activity entries. The hours and the functions they served stay (the team's balance is built
  from them); what is personal is where the worker was and what they wrote of it, erased on request and
  three years after the day.
"""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet

from waymark.core import personal_data
from waymark.partnership.models import Activity

CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone"]
CONTACT_RETENTION = timedelta(days=2 * 365)
MEMBER_RETENTION = timedelta(days=6 * 365)
ACTIVITY_FIELDS = ["venue", "outcome"]
ACTIVITY_RETENTION = timedelta(days=3 * 365)


def _export_activity(queryset: QuerySet[Activity]) -> list[dict[str, Any]]:
    """Each entry as the worker recorded it, with the functions, communities and organisations named."""
    rows = []
    for entry in queryset.prefetch_related("communities", "organisations").order_by("date", "pk"):
        rows.append(
            {
                "record_id": entry.pk,
                "date": entry.date,
                "hours": entry.hours,
                "type": entry.get_activity_type_display(),
                "functions": "; ".join(str(function.label) for function in entry.functions),
                "communities": "; ".join(community.name for community in entry.communities.all()),
                "organisations": "; ".join(organisation.name for organisation in entry.organisations.all()),
                "venue": entry.venue,
                "outcome": entry.outcome,
                "recorded_at": entry.created_at,
            }
        )
    return rows


def _member_source(role: str, label: str) -> personal_data.PersonalDataSource:
    return personal_data.PersonalDataSource(
        key=f"partnership.member_{role}",
        label=label,
        model="partnership.PartnershipMember",
        fields=[role],
        match=personal_data.match_by("partnership.PartnershipMember", email_field=f"{role}__email", user_field=role),
        export=personal_data.export_values("partnership__name", "organisation__name", "joined_on", "left_on"),
        retention=MEMBER_RETENTION,
        retention_field="left_on",
    )


def register_personal_data() -> None:
    personal_data.register(
        personal_data.PersonalDataSource(
            key="partnership.consultation_contact",
            label="Consultation contacts",
            model="partnership.Consultation",
            fields=CONTACT_FIELDS,
            match=personal_data.match_by(
                "partnership.Consultation", email_field="contact_email", phone_field="contact_phone"
            ),
            export=personal_data.export_values(
                *CONTACT_FIELDS, "title", "lead_organisation__name", "starts_on", "ends_on", "status"
            ),
            retention=CONTACT_RETENTION,
            retention_field="ends_on",
        )
    )
    personal_data.register(_member_source("lead", "Partnerships: named lead of a partner organisation"))
    personal_data.register(_member_source("deputy", "Partnerships: deputy of a partner organisation"))
    personal_data.register(
        personal_data.PersonalDataSource(
            key="partnership.activity",
            label="Community development activity entries",
            model="partnership.Activity",
            fields=ACTIVITY_FIELDS,
            match=personal_data.match_by("partnership.Activity", email_field="worker__email", user_field="worker"),
            export=_export_activity,
            retention=ACTIVITY_RETENTION,
            retention_field="date",
        )
    )
