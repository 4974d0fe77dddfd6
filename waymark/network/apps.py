from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "waymark.network"
    label = "network"
    verbose_name = "Professional network"

    def ready(self) -> None:
        from waymark.network import permissions

        permissions.register()  # who may do what in this app (core.policy)
        # personal data: contacts, comments on minutes, event registrations and survey invitations.
        from waymark.network.personal_data import register_personal_data

        register_personal_data()
        # meetings: the weekly digest of overdue actions.
        from waymark.network import tasks_meetings

        tasks_meetings.register_periodic_jobs()
        # events: erase access and dietary needs after each event.
        from waymark.network import tasks_events

        tasks_events.register_periodic_jobs()
        # contact imports: a kept upload nobody confirmed is deleted after a day.
        from waymark.network import contact_import

        contact_import.register_periodic_jobs()
        # navigation: the network's pages in the header.
        from waymark.network import navigation

        navigation.register()
        # Every form that chooses a contact offers the type-ahead (core.pickers).
        from waymark.core.pickers import register_picker

        register_picker("network.Contact", "network:contact_lookup")
