"""The public pages' part of a programme's staff page: where applicants and the public read it, so staff can
share the link in each language the programme offers."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from waymark.core.panels import register_panel
from waymark.grants.models import Programme


def public_links(request: HttpRequest | None, programme: Programme) -> dict[str, Any] | None:
    """Nothing for an unpublished programme: its public pages answer 404 until it is published."""
    if not programme.published:
        return None
    pages = [
        {
            "name_local": translation.get_language_info(code)["name_local"],
            "code": code,
            "url": reverse("grants:public_programme", kwargs={"lang": code, "code": programme.code}),
        }
        for code in programme.offered_languages
    ]
    statistics = reverse(
        "grants:public_programme_statistics", kwargs={"lang": translation.get_language(), "code": programme.code}
    )
    return {"pages": pages, "statistics_url": statistics}


def register() -> None:
    register_panel("grants.programme_details", "grants/panels/public_links.html", public_links)
