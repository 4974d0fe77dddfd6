"""Community voice's pages in the header and on the home page (``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from waymark.core import today as today_registry
from waymark.core.navigation import Entry, register_section
from waymark.voice import today


def register() -> None:
    register_section(
        "voice",
        title=_("Community voice"),
        menu=_("Voice"),
        order=40,
        entries=[
            Entry(
                _("Give feedback"),
                _("Tell us about mental health services, in your language. Not for emergencies."),
                "voice:feedback_start",
                None,
                "/voice/feedback/",
            ),
            Entry(
                _("You said, we did"),
                _("What communities raised, what services answered, and what changed."),
                "voice:you_said_we_did",
                None,
                "/voice/you-said-we-did/",
            ),
            Entry(
                _("Feedback triage"),
                _("New feedback to read, safeguarding concerns first, with similar items grouped."),
                "voice:triage",
                "voice.triage",
                "/voice/triage/",
            ),
            Entry(
                _("Feedback and intelligence"),
                _("Every item of feedback, recording what was said at events, and what needs interpreting."),
                "voice:item_list",
                "voice_item.view",
                "/voice/items/",
            ),
            Entry(
                _("Issues and escalations"),
                _("Issues built from feedback, escalated to the organisations that must answer, chased to closure."),
                "voice:issue_list",
                "voice_issue.view",
                "/voice/issues/",
            ),
            Entry(
                _("Escalations to answer"),
                _("Issues your organisation has been asked to answer, and when each answer is due."),
                "voice:responder_list",
                "voice_escalation.answer",
                "/voice/respond/",
            ),
            Entry(
                _("Intelligence reports"),
                _("What communities told us, by period, theme or community, for commissioners and scrutiny."),
                "voice:report",
                "voice.report",
                "/voice/reports/",
            ),
        ],
    )
    today_registry.register("voice.triage", permission="voice.triage", order=10, lines=today.triage_lines)
    today_registry.register(
        "voice.interpreting", permission="voice_item.view", order=11, lines=today.interpreting_lines
    )
    today_registry.register(
        "voice.escalations_due", permission="voice_issue.view", order=12, lines=today.escalation_lines
    )
    today_registry.register(
        "voice.to_answer", permission="voice_escalation.answer", order=13, lines=today.responder_lines
    )
