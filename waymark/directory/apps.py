from datetime import timedelta

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "waymark.directory"
    label = "directory"
    verbose_name = "Community map and signposting"

    def ready(self) -> None:
        from waymark.directory import permissions

        permissions.register()  # who may do what in this app (core.policy)
        from waymark.core.scheduling import register_periodic
        from waymark.directory import signals

        signals.connect()
        register_periodic(
            "directory_review_reminders", "waymark.directory.tasks.remind_unverified_services", timedelta(weeks=1)
        )
        register_periodic(
            "directory_read_feeds", "waymark.directory.tasks.read_neighbours_feeds", timedelta(minutes=15)
        )
        # navigation: the community map's pages in the header.
        from waymark.directory import navigation

        navigation.register()
        # Every form that chooses a service offers the type-ahead (core.pickers).
        from waymark.core.pickers import register_picker

        register_picker("directory.Service", "directory:service_lookup")
