"""Publishing: a dated, disclosure-controlled snapshot, public without signing in, frozen once published."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.core.file_headers import split_file_header
from waymark.monitoring import dashboards
from waymark.monitoring.models import PeopleCount, PublishedSnapshot
from waymark.monitoring.services import publishing
from waymark.monitoring.tests.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db


def _figures(response) -> str:
    """The part of a snapshot page that holds its figures."""
    html = response.content.decode()
    return html[html.index("How these figures were made") : html.index("</main>")]


def _publish(client, borough):
    verified_login(client, borough.analyst)
    return client.post(
        reverse("monitoring:snapshot_create"),
        {
            "provider": borough.provider.pk,
            "year": YEAR,
            "area": borough.area.pk,
            "title": "Detentions by ethnic group 2024/25",
            "methods_note": "People detained under the **Mental Health Act**.<script>alert(1)</script>",
        },
    )


def _csv_rows(response):
    """The table of a downloaded CSV as dictionaries, below its header block."""
    _header, rows = split_file_header(list(csv.reader(io.StringIO(response.content.decode()))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_an_analyst_publishes_a_snapshot_that_anyone_can_read(client, borough):
    response = _publish(client, borough)
    snapshot = PublishedSnapshot.objects.get()
    assert response.status_code == 302 and response.url == snapshot.get_absolute_url()
    assert snapshot.published_by == borough.analyst

    client.logout()
    page = client.get(snapshot.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>Mental Health Act</strong>" in html and "<script>alert" not in html
    assert "16 NHS ethnic categories" in html
    detention = snapshot.tables["indicators"][0]
    african = next(row for row in detention["rows"] if row["group"] == "African")
    assert african["suppressed"] and african["count"] is None and african["rate"]["value"] is None
    assert client.get(reverse("monitoring:snapshot_list")).status_code == 200


def test_a_snapshot_does_not_change_when_figures_are_imported_again(client, borough):
    _publish(client, borough)
    snapshot = PublishedSnapshot.objects.get()
    before = _figures(client.get(snapshot.get_absolute_url()))
    PeopleCount.objects.filter(provider=borough.provider).update(people=500)
    assert _figures(client.get(snapshot.get_absolute_url())) == before
    assert "40" in before


@pytest.mark.parametrize("persona", ["staff", "other_analyst", "commissioner_analyst", "admin"])
def test_only_the_providers_analysts_may_publish_its_figures(borough, persona):
    with pytest.raises(PermissionDenied):
        publishing.publish_snapshot(
            actor=getattr(borough, persona),
            provider=borough.provider,
            area=borough.area,
            year=YEAR,
            title="Not allowed",
            methods_note="x",
        )


def test_publishing_needs_a_methods_note(client, borough):
    verified_login(client, borough.analyst)
    response = client.post(
        reverse("monitoring:snapshot_create"),
        {"provider": borough.provider.pk, "year": YEAR, "area": borough.area.pk, "title": "T", "methods_note": ""},
    )
    assert response.status_code == 200
    assert "Write a methods note" in response.content.decode()
    assert not PublishedSnapshot.objects.exists()


def test_snapshot_downloads_carry_the_published_numbers_and_never_a_small_count(client, borough):
    _publish(client, borough)
    snapshot = PublishedSnapshot.objects.get()
    client.logout()
    rows = _csv_rows(client.get(snapshot.get_absolute_url() + "?format=csv"))
    detentions = [row for row in rows if row["Measure"] == "Mental Health Act detention"]
    african = next(row for row in detentions if row["Ethnic group"] == "Black or Black British: African")
    assert african["Count"] == "" and african["Note"] == "suppressed" and african["Rate per 100,000"] == ""
    white = next(row for row in detentions if row["Ethnic group"] == "White British")
    assert white["Count"] == "40" and white["Disclosure-controlled"] == "Yes"
    assert all(row["Count"] == "" or int(row["Count"]) == 0 or int(row["Count"]) > 7 for row in rows)

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(snapshot.get_absolute_url() + "?format=xlsx").content))
    sheet = workbook["Indicators"]
    lines, table = split_file_header(list(sheet.iter_rows(values_only=True)))
    assert lines[0] == snapshot.title and lines[-1] == "Disclosure-controlled"
    assert list(table[0][:3]) == ["Measure", "Analysis grouping", "Ethnic group"]
    assert len(table) - 1 == len(rows)


def test_the_live_dashboard_downloads_what_the_reader_may_see(client, borough):
    url = reverse("monitoring:provider_dashboard", args=[borough.provider.uuid]) + "?format=csv"
    verified_login(client, borough.analyst)
    full = _csv_rows(client.get(url))
    assert (
        next(r for r in full if r["Ethnic group"] == "Black or Black British: African" and r["Count"])["Count"] == "3"
    )
    verified_login(client, borough.staff)
    protected = _csv_rows(client.get(url))
    african = [
        r
        for r in protected
        if r["Ethnic group"] == "Black or Black British: African" and r["Measure"] == "Mental Health Act detention"
    ]
    assert african[0]["Count"] == "" and african[0]["Disclosure-controlled"] == "Yes"


def test_the_demo_borough_publishes_a_snapshot_showing_its_disproportionality(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    snapshot = PublishedSnapshot.objects.get()
    detentions = next(t for t in dashboards.snapshot_tables(snapshot) if t.measure == "mha_detention")
    caribbean = next(row for row in detentions.rows if row.group == "Caribbean")
    assert caribbean.flag_reference == "higher"
    assert all(row.count is None or row.count == 0 or row.count > 7 for row in detentions.rows)
    assert client.get(snapshot.get_absolute_url()).status_code == 200
