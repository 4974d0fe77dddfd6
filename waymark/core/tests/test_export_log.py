"""The export log page: administrators see every logged download, filtered by person, kind and date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waymark.core.choices import ExportKind
from waymark.core.export_log import record_export
from waymark.core.models import ExportLog
from waymark.core.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("core:export_log")


@pytest.fixture
def logged(make_persona):
    """Two people's downloads: Ama's registrations list today, Ben's subject access export last month."""
    ama = make_persona(Role.STAFF, username="ama")
    ben = make_persona(Role.ADMIN, username="ben")
    record_export(
        actor=ama, kind=ExportKind.REGISTRATIONS, description="Launch day", rows=12, filters={"status": "confirmed"}
    )
    old = record_export(
        actor=ben, kind=ExportKind.SUBJECT_ACCESS, description="E-mail x@example.org", rows=3, filters={}
    )
    ExportLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    return ama, ben


def test_administrators_see_who_took_what_when_and_how_many_rows(client, logged, make_persona, verified_login):
    verified_login(client, make_persona(Role.ADMIN))

    page = client.get(URL).text

    assert "2 downloads" in page
    assert "Event registrations: Launch day" in page and "status=confirmed" in page
    assert 'aria-hidden="true">Rows </span>12</td>' in page
    assert "Subject access export: E-mail x@example.org" in page
    assert page.index("Launch day") < page.index("x@example.org")  # newest first


def test_the_log_filters_by_person_kind_and_date(client, logged, make_persona, verified_login):
    verified_login(client, make_persona(Role.ADMIN))
    last_week = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    by_person = client.get(URL, {"person": "ben"}).text
    by_kind = client.get(URL, {"kind": ExportKind.REGISTRATIONS}).text
    by_date = client.get(URL, {"date_from": last_week}).text

    assert "x@example.org" in by_person and "Launch day" not in by_person
    assert "Launch day" in by_kind and "x@example.org" not in by_kind
    assert "Launch day" in by_date and "x@example.org" not in by_date


def test_the_log_pages_and_costs_the_same_queries_for_many_rows(
    client, django_assert_max_num_queries, make_persona, verified_login
):
    admin = make_persona(Role.ADMIN)
    verified_login(client, admin)
    for number in range(55):
        record_export(actor=admin, kind=ExportKind.VOICE_REPORT, description=f"Report {number}", rows=1, filters={})

    with django_assert_max_num_queries(12):
        first = client.get(URL).text
    second = client.get(URL, {"page": 2}).text

    assert "55 downloads" in first and "Report 54</td>" in first and "Report 4</td>" not in first
    assert "Report 4</td>" in second


@pytest.mark.parametrize("role", [Role.STAFF, Role.ANALYST, Role.RESPONDER, Role.MEMBER])
def test_only_administrators_may_read_the_log(client, logged, role, make_persona, verified_login):
    verified_login(client, make_persona(role))

    assert client.get(URL).status_code == 403


def test_the_log_is_in_the_administrators_navigation(client, make_persona, verified_login):
    verified_login(client, make_persona(Role.ADMIN))
    assert f'href="{URL}"' in client.get(reverse("core:home")).text

    verified_login(client, make_persona(Role.STAFF))
    assert f'href="{URL}"' not in client.get(reverse("core:home")).text
