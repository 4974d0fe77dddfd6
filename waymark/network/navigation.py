"""The network's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.network import today


def register() -> None:
    register_section(
        "network",
        title=_("Professional networks"),
        menu=_("Network"),
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
    today_registry.register("network.next_meeting", permission="meeting.view", order=40, lines=today.next_meeting_lines)
    today_registry.register(
        "network.events_this_week", permission="network_event.view", order=41, lines=today.event_lines
    )
    today_registry.register(
        "network.overdue_actions", permission="meeting.view", order=42, lines=today.overdue_action_lines
    )
    today_registry.register(
        "network.minutes_for_comment", permission="minutes.comment", order=43, lines=today.minutes_for_comment_lines
    )
    today_registry.register(
        "network.latest_bulletin", permission="network.view", order=44, lines=today.latest_bulletin_lines
    )
