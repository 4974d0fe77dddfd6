"""The import batch and published snapshot lists: one FilterSet each, shared by the page and the API, with the
batch pages' access rule on both and a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import verified_login
from waymark.monitoring.choices import ImportKind, ImportStatus
from waymark.monitoring.factories import ImportBatchFactory, LocalAuthorityFactory
from waymark.monitoring.filtersets import ImportBatchFilterSet, PublishedSnapshotFilterSet
from waymark.monitoring.models import ImportBatch, PublishedSnapshot
from waymark.monitoring.services import access, publishing
from waymark.monitoring.tests.pages_fixtures import YEAR

pytestmark = pytest.mark.django_db

IMPORTS_API = "/api/v1/monitoring/imports/"
SNAPSHOTS_API = "/api/v1/monitoring/snapshots/"


def _uploaded_on(batch: ImportBatch, day: datetime.date) -> None:
    """Move a batch's upload time (``auto_now_add``) to noon on a day."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=moment)


@pytest.fixture
def batches(borough):
    """Beside the fixture's activity and population batches: the analyst's own failed upload last year, and
    the other provider's extract, which the borough's analyst may not see."""
    fixture = ImportBatch.objects.get(provider=borough.provider)
    mine = ImportBatchFactory(
        provider=borough.provider,
        status=ImportStatus.INVALID,
        file_name="riverside-detentions-march.csv",
        uploaded_by=borough.analyst,
        rows_read=3,
        rows_invalid=2,
        errors=[
            {"row": row, "field": "ethnic_code", "value": "QQ", "message": "Unknown code."} for row in range(2, 152)
        ],
        error_summary=[{"field": "ethnic_code", "message": "Unknown code.", "count": 150}],
    )
    _uploaded_on(mine, datetime.date(2024, 3, 15))
    hidden = ImportBatchFactory(provider=borough.other_provider, file_name="hillside-extract.csv")
    return {"mine": mine, "hidden": hidden, "fixture": fixture}


def _file_names(client, params: dict | None = None) -> set[str]:
    response = client.get(IMPORTS_API, params or {})
    assert response.status_code == 200, response.content
    return {row["file_name"] for row in response.json()["results"]}


def _listed_on_page(client, params: dict | None = None) -> str:
    response = client.get(reverse("monitoring:import_list"), params or {})
    assert response.status_code == 200
    return response.content.decode()


# --- The import batch FilterSet --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": ImportKind.POPULATION}, {"population"}),
        ({"status": ImportStatus.INVALID}, {"mine"}),
        ({"q": "MARCH"}, {"mine"}),
        ({"uploaded_by": "me"}, {"mine"}),
        ({"uploaded_to": "2024-03-31"}, {"mine"}),
        ({"uploaded_from": "2024-03-15", "uploaded_to": "2024-03-15"}, {"mine"}),
        ({"uploaded_from": "2024-03-16"}, {"population", "fixture"}),
        ({"kind": ImportKind.ACTIVITY, "status": ImportStatus.SUCCEEDED}, {"fixture"}),
    ],
)
def test_the_batch_filters(rf, borough, batches, params, expected):
    named = {**batches, "population": ImportBatch.objects.get(kind=ImportKind.POPULATION)}
    request = rf.get("/")
    request.user = borough.analyst
    filterset = ImportBatchFilterSet(params, queryset=ImportBatch.objects.visible_to(borough.analyst), request=request)
    assert filterset.is_valid(), filterset.errors
    assert {batch.pk for batch in filterset.qs} == {named[name].pk for name in expected}


def test_the_provider_filter_offers_only_providers_whose_batches_the_user_sees(rf, borough, batches):
    request = rf.get("/")
    request.user = borough.analyst
    filterset = ImportBatchFilterSet({"provider": str(borough.other_provider.uuid)}, request=request)
    assert list(filterset.form.fields["provider"].queryset) == [borough.provider]
    assert not filterset.is_valid() and "provider" in filterset.errors


# --- The page and the API filter alike --------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"mine", "fixture"}),
        ({"status": "invalid"}, {"mine"}),
        ({"uploaded_by": "me", "kind": "activity"}, {"mine"}),
        ({"provider": "PROVIDER", "status": "succeeded"}, {"fixture"}),
        ({"q": "hillside"}, set()),
    ],
)
def test_filters_change_what_the_page_and_the_api_list(client, borough, batches, params, shown):
    params = {key: str(borough.provider.uuid) if value == "PROVIDER" else value for key, value in params.items()}
    verified_login(client, borough.analyst)
    page = _listed_on_page(client, params)
    api = _file_names(client, params)
    for name, batch in batches.items():
        assert (batch.file_name in page) == (name in shown), name
        assert (batch.file_name in api) == (name in shown), name
    if not shown:
        assert "No imports match these filters." in page


def test_the_filtered_page_keeps_the_filters_in_its_pagination(client, borough, batches):
    for number in range(26):
        ImportBatchFactory(provider=borough.provider, file_name=f"monthly-{number:02d}.csv")
    verified_login(client, borough.analyst)
    page = _listed_on_page(client, {"q": "monthly"})
    assert "26 imports" in page and "Page 1 of 2" in page
    assert ">Anyone</option>" in page and ">Any</option>" in page and "---------" not in page
    assert "?q=monthly&amp;page=2" in page
    second = _listed_on_page(client, {"q": "monthly", "page": 2})
    assert "monthly-00.csv" in second and batches["mine"].file_name not in second


def test_an_htmx_filter_request_gets_the_results_and_the_new_count(client, borough, batches):
    verified_login(client, borough.admin)
    response = client.get(reverse("monitoring:import_list"), {"status": "invalid"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1" not in html and 'id="batch-count" hx-swap-oob="innerHTML">1 import<' in html
    assert batches["mine"].file_name in html and batches["hidden"].file_name not in html
    assert "HX-Request" in response["Vary"]


def test_an_unknown_filter_value_is_named_on_the_page_and_refused_by_the_api(client, borough, batches):
    verified_login(client, borough.analyst)
    page = _listed_on_page(client, {"status": "lost"})
    assert "Select a valid choice" in page
    response = client.get(IMPORTS_API, {"uploaded_from": "last tuesday"})
    assert response.status_code == 400 and "uploaded_from" in response.content.decode()


# --- Who sees which batch ----------------------------------------------------------------------------


def test_an_analyst_without_a_grant_cannot_see_another_providers_batch(client, borough, batches):
    hidden = batches["hidden"]
    verified_login(client, borough.analyst)
    assert hidden.file_name not in _listed_on_page(client)
    assert hidden.file_name not in _file_names(client)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"{IMPORTS_API}{hidden.uuid}/").status_code == 404
    # Naming the provider in a filter does not reveal it either.
    assert client.get(IMPORTS_API, {"provider": str(borough.other_provider.uuid)}).status_code == 400
    assert borough.other_provider.name not in _listed_on_page(client)


def test_a_commissioners_analyst_sees_a_providers_batches_once_an_agreement_is_in_force(client, borough, batches):
    verified_login(client, borough.commissioner_analyst)
    assert batches["mine"].file_name not in _file_names(client)
    access.grant_provider_access(
        actor=borough.admin,
        provider=borough.provider,
        commissioner=borough.commissioner,
        agreement_reference="Riverside data-sharing agreement",
        agreement_date=datetime.date(2024, 1, 1),
        starts_on=datetime.date(2024, 1, 1),
    )
    assert batches["mine"].file_name in _file_names(client)
    assert client.get(f"{IMPORTS_API}{batches['mine'].uuid}/").status_code == 200
    assert batches["hidden"].file_name not in _file_names(client)


def test_staff_and_the_public_cannot_use_the_import_api(client, borough, batches):
    assert client.get(IMPORTS_API).status_code == 401
    verified_login(client, borough.staff)
    assert client.get(IMPORTS_API).status_code == 403
    assert client.get(f"{IMPORTS_API}{batches['mine'].uuid}/").status_code == 403


def test_an_administrator_sees_every_batch(client, borough, batches):
    verified_login(client, borough.admin)
    assert {batches["mine"].file_name, batches["hidden"].file_name} <= _file_names(client)


def test_the_batch_endpoint_describes_the_file_and_what_became_of_it(client, borough, batches):
    mine = batches["mine"]
    mine.replaced.add(batches["fixture"])
    verified_login(client, borough.analyst)
    data = client.get(f"{IMPORTS_API}{mine.uuid}/").json()
    assert data["uuid"] == str(mine.uuid)
    assert data["provider"] == {"uuid": str(borough.provider.uuid), "name": "Riverside Mental Health Trust"}
    assert data["kind"] == "activity" and data["status"] == "invalid"
    assert data["uploaded_by"] == borough.analyst.full_name
    assert borough.analyst.email not in str(data)
    assert (data["rows_read"], data["rows_invalid"], data["figures_written"]) == (3, 2, 0)
    assert data["error_total"] == 150
    assert data["error_summary"] == [{"field": "ethnic_code", "message": "Unknown code.", "count": 150}]
    assert len(data["listed_errors"]) == 100 and data["listed_errors"][0] == {
        "row": 2,
        "field": "ethnic_code",
        "value": "QQ",
        "message": "Unknown code.",
    }
    assert data["replaced"] == [str(batches["fixture"].uuid)]
    assert data["measures"] == ["mha_detention"] and data["period_start"] == "2024-04-01"
    assert data["created_at"].startswith("2024-03-15")
    population = client.get(IMPORTS_API, {"kind": "population"}).json()["results"][0]
    assert population["provider"] is None and population["population_year"] == 2021


# --- Published snapshots -----------------------------------------------------------------------------


@pytest.fixture
def snapshots(borough):
    """Two snapshots of the borough's provider a year apart, and one of another provider and area."""
    older = publishing.publish_snapshot(
        actor=borough.analyst,
        provider=borough.provider,
        area=borough.area,
        year=YEAR,
        title="Detentions 2024/25, first look",
        methods_note="How.",
        published_on=datetime.date(2025, 5, 1),
    )
    newer = publishing.publish_snapshot(
        actor=borough.analyst,
        provider=borough.provider,
        area=borough.area,
        year=YEAR,
        title="Detentions 2024/25, revised",
        methods_note="How, again.",
        published_on=datetime.date(2026, 5, 1),
    )
    elsewhere = PublishedSnapshot.objects.create(
        title="Hillside restraint 2024/25",
        provider=borough.other_provider,
        area=LocalAuthorityFactory(name="Hillside"),
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        grouping_name="16 NHS ethnic categories",
        methods_note="How.",
        published_on=datetime.date(2025, 6, 1),
    )
    return {"older": older, "newer": newer, "elsewhere": elsewhere}


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, {"older", "newer", "elsewhere"}),
        ({"provider": "PROVIDER"}, {"older", "newer"}),
        ({"area": "AREA"}, {"older", "newer"}),
        ({"q": "revised"}, {"newer"}),
        ({"published_from": "2025-05-02", "published_to": "2025-12-31"}, {"elsewhere"}),
        ({"published_from": "2026-01-01", "provider": "PROVIDER"}, {"newer"}),
    ],
)
def test_snapshot_filters_change_what_the_page_and_the_api_list(client, borough, snapshots, params, shown):
    swap = {"PROVIDER": str(borough.provider.uuid), "AREA": borough.area.code}
    params = {key: swap.get(value, value) for key, value in params.items()}
    page = client.get(reverse("monitoring:snapshot_list"), params).content.decode()
    response = client.get(SNAPSHOTS_API, params)
    assert response.status_code == 200
    api = {row["title"] for row in response.json()["results"]}
    for name, snapshot in snapshots.items():
        assert (snapshot.title in page) == (name in shown), name
        assert (snapshot.title in api) == (name in shown), name


def test_the_snapshot_filters_offer_only_providers_and_areas_with_a_snapshot(borough, snapshots):
    form = PublishedSnapshotFilterSet().form
    assert set(form.fields["provider"].queryset) == {borough.provider, borough.other_provider}
    assert borough.commissioner not in form.fields["provider"].queryset
    assert [area.name for area in form.fields["area"].queryset] == ["Hillside", "Riverside"]


# --- Query counts do not grow with the rows ------------------------------------------------------------


LIST_URLS = {
    "import page": lambda: reverse("monitoring:import_list") + "?kind=activity",
    "import api": lambda: IMPORTS_API + "?kind=activity",
    "snapshot page": lambda: reverse("monitoring:snapshot_list"),
    "snapshot api": lambda: SNAPSHOTS_API,
}


def _queries(client, url: str) -> int:
    client.get(url)  # warm the session, the throttle's cache row and the content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("which", ["import page", "import api"])
def test_the_batch_list_and_endpoint_cost_the_same_queries_for_more_rows(
    client, borough, batches, django_assert_max_num_queries, which
):
    url = LIST_URLS[which]()
    verified_login(client, borough.analyst)
    few = _queries(client, url)
    assert few <= 10  # session, user, device, grants, agreements, count, the provider choices, the rows
    for number in range(20):
        batch = ImportBatchFactory(provider=borough.provider, uploaded_by=borough.analyst, file_name=f"m{number}.csv")
        batch.replaced.add(batches["fixture"])
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200 and "m19.csv" in response.content.decode()


@pytest.mark.parametrize("which", ["snapshot page", "snapshot api"])
def test_the_snapshot_list_and_endpoint_cost_the_same_queries_for_more_rows(
    client, borough, snapshots, django_assert_max_num_queries, which
):
    url = LIST_URLS[which]()
    few = _queries(client, url)
    assert few <= 6  # count, the provider and area choices, the rows (and a session check)
    for number in range(15):
        PublishedSnapshot.objects.create(
            title=f"Snapshot {number}",
            provider=borough.provider,
            area=LocalAuthorityFactory(),
            period_start=datetime.date(2024, 4, 1),
            period_end=datetime.date(2025, 3, 31),
            grouping_name="16 NHS ethnic categories",
            methods_note="How.",
        )
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200 and "Snapshot 14" in response.content.decode()
