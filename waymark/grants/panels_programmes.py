"""What the programmes topic shows on a programme's page through ``core.panels``: the links to set it up (for
grants officers, with what it still lacks before it opens) and its parts as applicants and assessors meet them
(who may apply, the eligibility checker, the questions, the weighted criteria, the reporting by grant size)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from waymark.core import policy
from waymark.core.choices import OrganisationType
from waymark.core.panels import register_panel
from waymark.grants.models import Programme


def missing_parts(programme: Programme) -> list[str]:
    """What an applicant or an assessor would miss if the programme opened as it is."""
    missing = []
    if not programme.eligibility_questions.exists():
        missing.append(_("the eligibility checker’s questions"))
    if not programme.questions.exists():
        missing.append(_("the questions on the application form"))
    if not programme.criteria_set.exists():
        missing.append(_("the assessment criteria"))
    if not programme.reporting_tiers.exists():
        missing.append(_("the reporting asked by grant size"))
    return missing


def programme_actions_context(request: HttpRequest | None, programme: Programme) -> Mapping[str, Any] | None:
    if request is None or not policy.can(request.user, "programme.manage"):
        return None
    return {"programme": programme, "missing": missing_parts(programme)}


def programme_details_context(request: HttpRequest | None, programme: Programme) -> Mapping[str, Any] | None:
    criteria = list(programme.criteria_set.all())
    total = sum(criterion.weight for criterion in criteria) or 1
    for criterion in criteria:
        criterion.share = round(criterion.weight * 100 / total)  # type: ignore[attr-defined]
    names = dict(settings.LANGUAGES)
    return {
        "programme": programme,
        "eligible_types": [OrganisationType(kind).label for kind in programme.eligible_types],
        "areas": list(programme.areas.order_by("name")),
        "communities": list(programme.communities.order_by("name")),
        "languages": [str(names[code]) for code in programme.offered_languages],
        "eligibility_questions": list(programme.eligibility_questions.all()),
        "questions": list(programme.questions.all()),
        "criteria": criteria,
        "tiers": list(programme.reporting_tiers.all()),
    }


def register() -> None:
    register_panel("grants.programme_actions", "grants/panels/programme_actions.html", programme_actions_context)
    register_panel("grants.programme_details", "grants/panels/programme_details.html", programme_details_context)
