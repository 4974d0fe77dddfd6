"""What personal data plans hold beyond the accounts: the address each staleness reminder went to.

A reminder's row is kept two years (it proves a lead was told, for a board asking why an action went stale),
then deleted; by then its update interval is long past, so deleting it never lets a reminder go twice.
"""

from datetime import timedelta

from waymark.core import personal_data

REMINDER_RETENTION = timedelta(days=2 * 365)


def register_personal_data() -> None:
    """Called from the app's ready()."""
    personal_data.register(
        personal_data.PersonalDataSource(
            key="plans.action_reminder",
            label="Action plan reminders: the address each went to",
            model="plans.ActionReminder",
            fields=["sent_to"],
            match=personal_data.match_by("plans.ActionReminder", email_field="sent_to"),
            export=personal_data.export_values("sent_to", "action__code", "action__title", "sent_at"),
            retention=REMINDER_RETENTION,
            retention_field="sent_at",
            retention_action="delete",
        )
    )
