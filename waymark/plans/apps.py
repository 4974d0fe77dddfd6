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
