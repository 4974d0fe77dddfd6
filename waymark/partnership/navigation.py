"""The partnership pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core.navigation import Entry, register_section


def register() -> None:
    register_section(
        "partnership",
        title=_("Partnership working"),
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
        ],
    )
