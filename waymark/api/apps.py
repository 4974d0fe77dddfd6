from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "waymark.api"
    label = "api"
    verbose_name = "HTTP API"

    def ready(self) -> None:
        # navigation: the API's documentation in the header.
        from waymark.api import navigation

        navigation.register()
