"""The grants pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.grants import today


def register() -> None:
    register_section(
        "grants",
        title=_("Small grants"),
        menu=_("Grants"),
        order=70,
        entries=[
            Entry(
                _("Grants programmes"),
                _("Programmes, their budgets (committed, paid, remaining), applications and awards."),
                "grants:programme_list",
                "programme.view",
                "/grants/programmes/",
            ),
            Entry(
                _("Apply for a grant"),
                _("Small grants for community groups: who can apply, the timetable, and the form."),
                "grants:public_programme_list",
                None,
                "/grants/apply/",
            ),
            Entry(
                _("My assessments"),
                _("Grant applications you have been asked to assess: declare your interests, then score."),
                "grants:my_assessments",
                "grant_assessment.score",
                "/grants/assessments/",
            ),
            # opendata
            Entry(
                _("Grants open data"),
                _("Every grant awarded, as 360Giving JSON and spreadsheet: who was funded, for what and where."),
                "grants:open_data",
                None,
                "/grants/open-data/",
            ),
        ],
    )
    today_registry.register(
        "grants.to_screen", permission="grant_application.view", order=70, lines=today.screening_lines
    )
    today_registry.register(
        "grants.to_assess", permission="grant_assessment.score", order=71, lines=today.assessment_lines
    )
