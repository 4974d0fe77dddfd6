"""Template context shared by every page: the navigation a user's roles allow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.accounts import policy

# (label, what it is for, URL name, permission, URL prefix that marks it current)
PRIMARY_NAVIGATION = [
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
        _("API"),
        _("Connect spreadsheets and dashboards to Waymark with a personal token."),
        "api:docs",
        "api_token.manage_own",
        "/api/",
    ),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    path = request.path
    items = [
        {"label": label, "description": description, "url": reverse(url_name), "current": path.startswith(prefix)}
        for label, description, url_name, permission, prefix in PRIMARY_NAVIGATION
        if policy.can(user, permission)
    ]
    return {"nav_items": items}
