from datetime import timedelta

from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "waymark.voice"
    label = "voice"
    verbose_name = "Community voice"

    def ready(self) -> None:
        from waymark.voice import permissions

        permissions.register()  # who may do what in this app (core.policy)
        # contact details, words, demographic answers and escalation contacts: personal data with retention periods.
        from waymark.voice.personal_data import register_personal_data

        register_personal_data()
        # escalation: reminders before and after due dates, and the safeguarding alert for flagged items.
        from django.db.models.signals import post_save

        from waymark.core.scheduling import register_periodic
        from waymark.voice.models import FeedbackItem
        from waymark.voice.services.triage import alert_on_safeguarding_save

        register_periodic(
            "voice_escalation_reminders",
            "waymark.voice.tasks_escalations.send_escalation_reminders",
            timedelta(hours=1),
        )
        post_save.connect(alert_on_safeguarding_save, sender=FeedbackItem, dispatch_uid="voice_safeguarding_alert")
        # navigation: the feedback, issues and reports pages in the header.
        from waymark.voice import navigation

        navigation.register()
