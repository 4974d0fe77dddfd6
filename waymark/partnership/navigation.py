"""The partnership pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "partnership",
        title=_("Partnership working"),
        menu=_("Plans and partnership"),
        menu_key="plans",
        order=60,
        entries=[
            Entry(
                _("Consultation calendar"),
                _("Who plans to ask which communities about what, and when: clashes shown, so bodies combine."),
                "partnership:consultation_list",
                "consultation.view",
                "/partnership/consultations/",
            ),
            Entry(
                _("Consultations"),
                _("Consultations you can take part in, and what was heard and done in those that have reported."),
                "partnership:public_consultation_list",
                None,
                "/partnership/consultations/public/",
            ),
            Entry(
                _("My activity"),
                _("Log what you did in a minute, by the four functions of the role, and download your entries."),
                "partnership:activity_list",
                "cdw_activity.record",
                "/partnership/activity/",
            ),
            Entry(
                _("My balance"),
                _("How your hours divide between the four functions of the CDW role, quarter by quarter."),
                "partnership:balance_mine",
                "cdw_activity.record",
                "/partnership/activity/balance/",
            ),
            Entry(
                _("CDW teams"),
                _("Set up community development workers' teams and their line managers."),
                "partnership:team_list",
                "cdw_team.manage",
                "/partnership/teams/",
            ),
            Entry(
                _("Partnerships"),
                _(
                    "Who works together on race equality: member organisations with named leads, terms of "
                    "reference, meetings and who does what on the plans they deliver."
                ),
                "partnership:partnership_list",
                "partnership.view",
                "/partnership/",
            ),
        ],
    )
