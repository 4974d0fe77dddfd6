"""The network's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "network",
        title=_("Professional networks"),
        order=20,
        entries=[
            Entry(
                _("Networks"),
                _("Run a professional network: members, terms of reference, task groups, lists and bulletins."),
                "network:network_list",
                "network.view",
                "/network/",
            ),
            Entry(
                _("Events"),
                _("Network events: places and waiting lists, check-in, sign-in sheets, badges and attendance."),
                "network:event_list",
                "network_event.view",
                "/network/events/",
            ),
            Entry(
                _("Surveys"),
                _("Questionnaires such as event evaluations: build, send, and read the results."),
                "network:survey_list",
                "network_survey.view",
                "/network/surveys/",
            ),
        ],
    )
