"""The monitoring API gives the same numbers as the pages, under the same access rules."""

import pytest
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.monitoring.services import publishing
from waymark.monitoring.tests.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db


def _detentions(data):
    table = next(t for t in data["tables"] if t["measure"] == "mha_detention")
    return {row["group"]: row for row in table["rows"]}, table


def test_the_dashboard_endpoint_is_full_for_the_providers_analyst_and_protected_for_others(client, borough):
    url = reverse("api:monitoring-provider-dashboard", args=[borough.provider.uuid])
    verified_login(client, borough.analyst)
    full = client.get(url).json()
    rows, table = _detentions(full)
    assert full["protected"] is False and rows["African"]["count"] == 3
    assert rows["Caribbean"]["ratio_to_reference"]["value"] == pytest.approx(7.5)
    assert rows["Caribbean"]["flag_reference"] == "higher"
    assert table["grouping_name"].startswith("16 NHS ethnic categories")

    verified_login(client, borough.staff)
    protected = client.get(url).json()
    rows, _table = _detentions(protected)
    assert protected["protected"] is True
    assert rows["African"]["count"] is None and rows["African"]["rate"]["value"] is None


def test_the_dashboard_endpoint_checks_its_parameters(client, borough):
    verified_login(client, borough.analyst)
    url = reverse("api:monitoring-provider-dashboard", args=[borough.provider.uuid])
    assert client.get(url, {"confidence": "0.5"}).status_code == 400
    assert client.get(url, {"year": 1999}).status_code == 404
    assert client.get(url, {"area": "E99999999"}).status_code == 404
    chosen = client.get(url, {"area": borough.area.code, "confidence": "0.998", "reference": "Indian"}).json()
    _rows, table = _detentions(chosen)
    assert table["confidence"] == 0.998 and table["reference_group"] == "Indian"


def test_data_quality_through_the_api_follows_the_page_rules(client, borough):
    url = reverse("api:monitoring-provider-data-quality", args=[borough.provider.uuid])
    assert client.get(url).status_code == 401
    verified_login(client, borough.staff)
    assert client.get(url).status_code == 403
    verified_login(client, borough.other_analyst)
    assert client.get(url).status_code == 403
    verified_login(client, borough.analyst)
    months = client.get(url).json()
    assert [m["valid_stated"] for m in months] == [94, 95, 96]
    assert [m["meets_target"] for m in months] == [False, True, True]


def test_published_snapshots_are_public(client, borough):
    snapshot = publishing.publish_snapshot(
        actor=borough.analyst,
        provider=borough.provider,
        area=borough.area,
        year=YEAR,
        title="Detentions 2024/25",
        methods_note="How.",
    )
    listing = client.get(reverse("api:monitoring-snapshot-list")).json()
    assert [item["title"] for item in listing["results"]] == ["Detentions 2024/25"]
    detail = client.get(reverse("api:monitoring-snapshot-detail", args=[snapshot.uuid])).json()
    rows, table = _detentions(detail)
    assert table["protected"] is True and rows["African"]["count"] is None
    assert detail["disclosure_rules"] == {"suppress_up_to": 7, "round_to": 5}


def test_the_dashboard_page_costs_a_fixed_number_of_queries(client, borough, django_assert_max_num_queries):
    verified_login(client, borough.analyst)
    url = reverse("monitoring:provider_dashboard", args=[borough.provider.uuid])
    client.get(url)
    with django_assert_max_num_queries(29):  # session, grants, the figures, England's: not one per group or measure
        assert client.get(url).status_code == 200
