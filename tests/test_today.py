"""The home page's work queue, on the small demo borough: every count a person sees is exactly what the list it
links to shows, and each kind of user sees the lines of their work."""

from urllib.parse import urlsplit

import pytest

from waymark.accounts.factories import verified_login
from waymark.accounts.models import User

pytestmark = pytest.mark.django_db

PEOPLE = [
    "demo-worker",
    "demo-responder",
    "demo-analyst",
    "demo-member",
    "demo-grants-officer",
    "demo-grants-assessor",
    "demo-cdw-manager",
]


def _rows_shown(response) -> int:
    context = response.context
    for name in ("page_obj", "page"):
        if name in context and hasattr(context[name], "paginator"):
            return context[name].paginator.count
    return len(context["entries"])


def _queue(client, username: str) -> list:
    client.logout()
    verified_login(client, User.objects.get(username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.context["today_lines"]


def test_each_count_is_what_its_list_shows(borough, client):
    """One load of the small borough (a minute), then every demo person's queue, line by line."""
    seen = {}
    for username in PEOPLE:
        lines = _queue(client, username)
        seen[username] = [str(line.text) for line in lines]
        for line in lines:
            assert line.count != 0, line.text  # nothing waiting is not shown
            response = client.get(line.url)
            assert response.status_code == 200, line.url
            if line.count is not None:
                assert _rows_shown(response) == line.count, (username, str(line.text), line.url)
            for _label, url in line.links:
                assert client.get(url).status_code == 200, url
    assert any("to triage" in text for text in seen["demo-worker"])
    assert any("due for checking" in text for text in seen["demo-worker"])
    assert any("escalation" in text and "to answer" in text for text in seen["demo-responder"])
    assert any("to screen for" in text for text in seen["demo-grants-officer"])
    assert any("waiting for your assessment" in text for text in seen["demo-grants-assessor"])
    assert any(text.startswith("Next meeting") for text in seen["demo-member"])
    assert any(text.startswith("Minutes open for your comment") for text in seen["demo-member"])
    assert any(text.startswith("Latest bulletin") for text in seen["demo-member"])
    assert any("below 95% complete" in text for text in seen["demo-analyst"])
    # Urgent lines come first.
    for username in PEOPLE:
        lines = _queue(client, username)
        urgent = [line.urgent for line in lines]
        assert urgent == sorted(urgent, reverse=True)


def test_a_failed_job_is_urgent_for_administrators_and_its_link_lists_it(client, make_persona):
    from waymark.core.choices import JobStatus
    from waymark.core.models import Job
    from waymark.core.roles import Role

    admin = make_persona(Role.ADMIN)
    Job.objects.create(name="import_services", status=JobStatus.FAILED)
    Job.objects.create(name="import_services", status=JobStatus.SUCCEEDED)
    verified_login(client, admin)

    lines = client.get("/").context["today_lines"]

    failed = next(line for line in lines if "failed" in str(line.text))
    assert failed.urgent and failed.count == 1
    listed = client.get(failed.url).context["page_obj"].paginator.count
    assert listed == 1
    assert urlsplit(failed.url).query == "status=failed"
