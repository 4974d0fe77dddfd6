"""The plans pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.plans import today


def register() -> None:
    register_section(
        "plans",
        title=_("Race equality action plans"),
        menu=_("Plans and partnership"),
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
            Entry(
                _("Published action plans"),
                _("What each trust and ICB has committed to for race equality, and how it is going, as a report."),
                "plans:public_plan_list",
                None,
                "/plans/public/",
            ),
            Entry(
                _("Board dashboard"),
                _("A trust's or ICB's plans for its board: RAG by objective, overdue and stale actions, EDS grades."),
                "plans:board",
                "plan.board",
                "/plans/board/",
            ),
            Entry(
                _("My actions"),
                _("The plan actions you lead, late and stale first: update their status, RAG and evidence."),
                "plans:my_actions",
                "plan.view",
                "/plans/actions/mine/",
            ),
        ],
    )
    today_registry.register("plans.overdue_actions", permission="plan.view", order=50, lines=today.overdue_action_lines)
