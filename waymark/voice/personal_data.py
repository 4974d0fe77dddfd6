"""What personal data voice holds, declared in core's personal-data registry with retention periods.

Feedback: contact details, and whether the person asked to be told what happens, are kept for a year (long
enough to reply and follow up; once erased, nobody is e-mailed); the demographic answers
for two years (for equality reports on the period), then deleted; the words themselves, which can identify
someone, for six years (the span of commissioning cycles the intelligence informs), then blanked.

Escalations: the nominated contact's e-mail address on an escalation is kept while the escalation is a public
record of who was asked; the address a signed answer link went to is needed only while the link might be
used, so it is erased a year after the link was made (links expire long before).
"""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet

from waymark.core import personal_data

CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone", "wants_updates"]
WORDS_FIELDS = ["text", "english_summary", "public_quote"]
DEMOGRAPHIC_FIELDS = ["ethnic_group", "age_band", "gender", "disability", "faith"]
CONTACT_RETENTION = timedelta(days=365)
DEMOGRAPHICS_RETENTION = timedelta(days=2 * 365)
WORDS_RETENTION = timedelta(days=6 * 365)
ANSWER_LINK_RETENTION = timedelta(days=365)


def _delete_rows(queryset: QuerySet, actor: Any) -> int:
    """Rows whose every field is personal are deleted (their history scrubbed first) rather than blanked."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    fields = [f.name for f in model._meta.concrete_fields if f.name not in {"id", "item", "user", "created_at"}]
    personal_data.scrub_history(model, pks, personal_data.blank_values(model, [f for f in fields if f != "language"]))
    return model._default_manager.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)


def register_personal_data() -> None:
    """Every voice source, feedback first, then escalations (the order exports list them); called from the
    app's ready()."""
    by_feedback_contact = personal_data.match_by(
        "voice.FeedbackItem", email_field="contact_email", phone_field="contact_phone"
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.feedback_contact",
            label="Feedback: contact details",
            model="voice.FeedbackItem",
            fields=CONTACT_FIELDS,
            match=by_feedback_contact,
            export=personal_data.export_values(*CONTACT_FIELDS, "reference", "received_on"),
            retention=CONTACT_RETENTION,
            retention_field="created_at",
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.feedback_words",
            label="Feedback: what was said",
            model="voice.FeedbackItem",
            fields=WORDS_FIELDS,
            match=by_feedback_contact,
            export=personal_data.export_values(*WORDS_FIELDS, "reference", "received_on"),
            retention=WORDS_RETENTION,
            retention_field="created_at",
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.item_demographics",
            label="Feedback: equality monitoring answers",
            model="voice.ItemDemographics",
            fields=DEMOGRAPHIC_FIELDS,
            match=personal_data.match_by(
                "voice.ItemDemographics", email_field="item__contact_email", phone_field="item__contact_phone"
            ),
            export=personal_data.export_values(
                "ethnic_group__label", "age_band", "gender", "disability", "faith", "item__reference"
            ),
            erase=_delete_rows,
            retention=DEMOGRAPHICS_RETENTION,
            retention_field="created_at",
            retention_action="delete",
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.staff_language",
            label="Languages a member of staff reads",
            model="voice.StaffLanguage",
            fields=["language"],
            match=personal_data.match_by("voice.StaffLanguage", user_field="user"),
            export=personal_data.export_values("language__name"),
            erase=_delete_rows,
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.escalation_contact",
            label="Escalations: nominated contact's e-mail address",
            model="voice.Escalation",
            fields=["contact_email"],
            match=personal_data.match_by("voice.Escalation", email_field="contact_email"),
            export=personal_data.export_values("contact_email", "responder__name", "sent_at"),
        )
    )
    personal_data.register(
        personal_data.PersonalDataSource(
            key="voice.answer_link_recipient",
            label="Signed answer links: who they were sent to",
            model="voice.AnswerLink",
            fields=["sent_to"],
            match=personal_data.match_by("voice.AnswerLink", email_field="sent_to"),
            export=personal_data.export_values("sent_to", "created_at", "expires_at"),
            retention=ANSWER_LINK_RETENTION,
            retention_field="created_at",
        )
    )
