"""Personal data in escalations, declared in core's personal-data registry.

The nominated contact's e-mail address on an escalation is kept while the escalation is a public record of who
was asked; the address a signed answer link went to is needed only while the link might be used, so it is
erased a year after the link was made (links expire long before).
"""

from datetime import timedelta

from waymark.core import personal_data

ANSWER_LINK_RETENTION = timedelta(days=365)


def register_personal_data() -> None:
    """Called from the app's ready()."""
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
