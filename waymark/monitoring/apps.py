from datetime import timedelta

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "waymark.monitoring"
    label = "monitoring"
    verbose_name = "Ethnic monitoring"

    def ready(self) -> None:
        from waymark.monitoring import permissions

        permissions.register()  # who may do what in this app (core.policy)
        from waymark.core.scheduling import register_periodic

        register_periodic(
            "monitoring_discard_stopped_uploads",
            "waymark.monitoring.imports.jobs.discard_stopped_uploads_task",
            timedelta(days=1),
        )
        # navigation: the monitoring pages in the header.
        from waymark.monitoring import navigation

        navigation.register()
