from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "waymark.grants"
    label = "grants"
    verbose_name = "Small grants"

    def ready(self) -> None:
        # who may do what in this app (core.policy)
        from waymark.grants import permissions

        permissions.register()
        # the grants pages in the header and on the home page
        from waymark.grants import navigation

        navigation.register()
        # apply: the staff entry links and an application's files on the staff pages
        from waymark.grants import panels_apply

        panels_apply.register()
        # awards: the decision and payments on an application's page
        from waymark.grants import panels_awards

        panels_awards.register()
        # assess: screening and assessment on the application's and programme's pages
        from waymark.grants import panels_assessment

        panels_assessment.register()
        # aftercare: reports, their reminders, the grants panels, and the personal data grants hold
        from waymark.grants import panels_reports, tasks_reports
        from waymark.grants.personal_data import register_personal_data

        panels_reports.register()
        tasks_reports.register_periodic_jobs()
        register_personal_data()
        # programmes: the set-up links and the programme's parts on its page
        from waymark.grants import panels_programmes

        panels_programmes.register()
        # public (helper 3): the links to the public programme page and statistics on a programme's staff page
        from waymark.grants import panels_public

        panels_public.register()
