"""Template context shared by every page: the navigation a user's roles allow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.accounts import policy

# (label, what it is for, URL name, permission (None: everyone), URL prefix that marks it current)
PRIMARY_NAVIGATION = [
    (
        _("Find a service"),
        _("Search the community map for support by need, language and place."),
        "directory:search",
        None,
        "/directory/",
    ),
    (
        _("Manage directory"),
        _("Keep services, locations and funding up to date, and check records due for review."),
        "directory:manage",
        "directory.view_staff",
        "/directory/manage/",
    ),
    (
        _("Fragility radar"),
        _("Groups whose funding is ending, that rely on volunteers or on a single funder."),
        "directory:fragility",
        "fragility.view",
        "/directory/fragility/",
    ),
    (
        _("Networks"),
        _("Run a professional network: members, terms of reference, task groups, lists and bulletins."),
        "network:network_list",
        "network.view",
        "/network/",
    ),
    (
        _("Events"),
        _("Network events: places and waiting lists, check-in, sign-in sheets, badges and attendance."),
        "network:event_list",
        "network_event.view",
        "/network/events/",
    ),
    (
        _("Surveys"),
        _("Questionnaires such as event evaluations: build, send, and read the results."),
        "network:survey_list",
        "network_survey.view",
        "/network/surveys/",
    ),
    (
        _("Ethnic monitoring"),
        _("Detentions, restrictive practice and access by ethnic group, against the local population."),
        "monitoring:index",
        "monitoring.view",
        "/monitoring/",
    ),
    (
        _("Published figures"),
        _("Ethnic monitoring figures published with small numbers protected."),
        "monitoring:snapshot_list",
        None,
        "/monitoring/published/",
    ),
    # Voice
    (
        _("Give feedback"),
        _("Tell us about mental health services, in your language. Not for emergencies."),
        "voice:feedback_start",
        None,
        "/voice/feedback/",
    ),
    (
        _("You said, we did"),
        _("What communities raised, what services answered, and what changed."),
        "voice:you_said_we_did",
        None,
        "/voice/you-said-we-did/",
    ),
    (
        _("Feedback triage"),
        _("New feedback to read, safeguarding concerns first, with similar items grouped."),
        "voice:triage",
        "voice.triage",
        "/voice/triage/",
    ),
    (
        _("Feedback and intelligence"),
        _("Every item of feedback, recording what was said at events, and what needs interpreting."),
        "voice:item_list",
        "voice_item.view",
        "/voice/items/",
    ),
    (
        _("Issues and escalations"),
        _("Issues built from feedback, escalated to the organisations that must answer, chased to closure."),
        "voice:issue_list",
        "voice_issue.view",
        "/voice/issues/",
    ),
    (
        _("Escalations to answer"),
        _("Issues your organisation has been asked to answer, and when each answer is due."),
        "voice:responder_list",
        "voice_escalation.answer",
        "/voice/respond/",
    ),
    (
        _("Intelligence reports"),
        _("What communities told us, by period, theme or community, for commissioners and scrutiny."),
        "voice:report",
        "voice.report",
        "/voice/reports/",
    ),
    (
        _("Organisations"),
        _("The one shared record of every provider, group, responder and partner."),
        "core:organisation_list",
        "organisation.view",
        "/organisations/",
    ),
    (
        _("Background jobs"),
        _("Imports, exports and other long tasks, with their progress."),
        "core:job_list",
        "job.view_all",
        "/jobs/",
    ),
    (
        _("Personal data"),
        _("Answer a subject access request or erase a person's data."),
        "core:personal_data",
        "personal_data.manage",
        "/personal-data/",
    ),
    (
        _("Export log"),
        _("Who downloaded personal data or unsuppressed figures, what, when and with which filters."),
        "core:export_log",
        "export_log.view",
        "/export-log/",
    ),
    (
        _("API"),
        _("Connect spreadsheets and dashboards to Waymark with a personal token."),
        "api:docs",
        "api_token.manage_own",
        "/api/",
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    allowed = [
        (label, description, url_name, prefix)
        for label, description, url_name, permission, prefix in PRIMARY_NAVIGATION
        if permission is None or policy.can(user, permission)
    ]
    # The section the page is in: the longest matching prefix ("/directory/manage/" over "/directory/").
    matching = [prefix for *_rest, prefix in allowed if request.path.startswith(prefix)]
    current_prefix = max(matching, key=len, default=None)
    items = [
        {"label": label, "description": description, "url": reverse(url_name), "current": prefix == current_prefix}
        for label, description, url_name, prefix in allowed
    ]
    return {"nav_items": items}
