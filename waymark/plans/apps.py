from datetime import timedelta

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "waymark.plans"
    label = "plans"
    verbose_name = "Race equality action plans"

    def ready(self) -> None:
        # who may do what in this app (core.policy)
        from waymark.plans import permissions

        permissions.register()
        # the plans pages in the header and on the home page
        from waymark.plans import navigation

        navigation.register()
        # personal data: the addresses staleness reminders went to
        from waymark.plans.personal_data import register_personal_data

        register_personal_data()
        # the staleness reminder to the leads of late actions (once per update interval, safe to run twice)
        from waymark.core.scheduling import register_periodic

        register_periodic(
            "plans_stale_action_reminders", "waymark.plans.tasks.send_stale_action_reminders", timedelta(hours=6)
        )
        # plans' part of voice's and network's pages (core.panels)
        from waymark.plans import panels

        panels.register()
