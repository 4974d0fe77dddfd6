"""The plans pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "plans",
        title=_("Race equality action plans"),
        order=50,
        entries=[
            Entry(
                _("Action plans"),
                _("PCREF, EDS 2022 and equality plans: objectives, actions with named leads, RAG and indicators."),
                "plans:plan_list",
                "plan.view",
                "/plans/",
            ),
            Entry(
                _("EDS 2022 gradings"),
                _("Each organisation's yearly grading of the eleven EDS 2022 outcomes, year on year."),
                "plans:eds_grading_list",
                "plan.view",
                "/plans/eds/",
            ),
        ],
    )
