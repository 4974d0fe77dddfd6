"""The award letter: what was awarded, on what conditions, when it will be paid and what reporting is asked,
as a PDF in the application's language (``core.pdf``). Staff download it from the application's page and the
applicant from the signed link in their award e-mail; both read the same document."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from waymark.core.pdf import html_to_pdf
from waymark.grants.models import GrantDecision

LETTER_TEMPLATE = "grants/award_letter_pdf.html"


def letter_filename(decision: GrantDecision) -> str:
    return f"award-letter-{decision.application.reference}.pdf"


def award_letter_html(decision: GrantDecision) -> str:
    """The letter's HTML, in the language the applicant applied in (right to left for Urdu)."""
    application = decision.application
    with translation.override(application.language):
        return render_to_string(
            LETTER_TEMPLATE,
            {
                "decision": decision,
                "application": application,
                "programme": application.programme,
                "payments": list(decision.payments.order_by("due_on", "pk")),
                "reports": list(decision.reports.order_by("due_on", "pk")),
                "today": timezone.localdate(),
                "rtl": translation.get_language_bidi(),
            },
        )


def award_letter_pdf(decision: GrantDecision) -> bytes:
    return html_to_pdf(award_letter_html(decision))
