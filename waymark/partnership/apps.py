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
        # the consultations behind plan actions and issues, on plans' and voice's pages (core.panels)
        from waymark.partnership import panels

        panels.register()
        # the consultation contacts, the partners' named leads and deputies, and the workers' activity entries
        from waymark.partnership.personal_data import register_personal_data

        register_personal_data()
        # the drawn month grid, kept until a consultation or theme changes
        from waymark.partnership import calendar_cache

        calendar_cache.connect()
