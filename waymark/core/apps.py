from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waymark.core"
    label = "core"
    verbose_name = "Shared ground"

    def ready(self) -> None:
        # Registering the foundation's personal-data sources and periodic jobs.
        from waymark.core import navigation, personal_data, scheduling  # noqa: F401

        # Core's own pages in the header: organisations and the administrators' tools.
        navigation.register()
        # Core's permissions and rules, and the start-up check that every app's policy is whole.
        from waymark.core import checks, permissions  # noqa: F401

        permissions.register()
        # Every form that chooses an organisation offers the type-ahead (core.pickers).
        from waymark.core.pickers import register_picker

        register_picker("core.Organisation", "core:organisation_lookup")
