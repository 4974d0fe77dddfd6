from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "waymark.partnership"
    label = "partnership"
    verbose_name = "Partnership working"

    def ready(self) -> None:
        # who may do what in this app (core.policy)
        from waymark.partnership import permissions

        permissions.register()
        # the partnership pages in the header and on the home page
        from waymark.partnership import navigation

        navigation.register()
