"""Template context shared by every page: the navigation a user's roles allow."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waymark.accounts import policy

# (label, URL name, permission or None for everyone, URL prefix that marks it current)
PRIMARY_NAVIGATION = [
    (_("Organisations"), "core:organisation_list", "organisation.view", "/organisations/"),
    (_("Background jobs"), "core:job_list", "job.view_all", "/jobs/"),
    (_("Personal data"), "core:personal_data", "personal_data.manage", "/personal-data/"),
    (_("API"), "api:docs", "api_token.manage_own", "/api/"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    path = request.path
    items = [
        {"label": label, "url": reverse(url_name), "current": path.startswith(prefix)}
        for label, url_name, permission, prefix in PRIMARY_NAVIGATION
        if permission is None or policy.can(user, permission)
    ]
    return {"nav_items": items}
