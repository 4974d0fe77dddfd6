"""Who sees a provider's full figures and its data quality, and who sees them disclosure-controlled."""

import datetime

import pytest
from django.urls import reverse

from waymark.accounts.factories import verified_login
from waymark.monitoring.models import ProviderDataAccess
from waymark.monitoring.services import access

pytestmark = pytest.mark.django_db


def _dashboard(client, borough):
    return client.get(reverse("monitoring:provider_dashboard", args=[borough.provider.uuid]))


def _african_count_cell(response) -> str:
    """The count cell of the African row: "3" when shown in full, "Suppressed" when protected."""
    html = response.content.decode()
    row = html[html.index('scope="row">Black or Black British: African') :]
    cell = row[row.index("<td") : row.index("</td>")]
    return "Suppressed" if "Suppressed" in cell else cell.rsplit(">", 1)[-1].strip()


def test_the_providers_own_analyst_sees_full_figures(client, borough):
    verified_login(client, borough.analyst)
    response = _dashboard(client, borough)
    assert response.status_code == 200
    assert _african_count_cell(response) == "3"
    assert "Not for publication" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "other_analyst", "commissioner_analyst", "admin"])
def test_everyone_else_sees_disclosure_controlled_figures(client, borough, persona):
    verified_login(client, getattr(borough, persona))
    response = _dashboard(client, borough)
    assert response.status_code == 200
    assert _african_count_cell(response) == "Suppressed"
    assert "disclosure-controlled" in response.content.decode()


def test_an_agreement_opens_full_figures_and_data_quality_to_the_commissioners_analysts(client, borough):
    verified_login(client, borough.commissioner_analyst)
    quality_url = reverse("monitoring:data_quality", args=[borough.provider.uuid])
    assert client.get(quality_url).status_code == 403

    grant = access.grant_provider_access(
        actor=borough.admin,
        provider=borough.provider,
        commissioner=borough.commissioner,
        agreement_reference="Riverside ICB and Trust data-sharing agreement v2",
        agreement_date=datetime.date(2024, 1, 15),
        starts_on=datetime.date(2024, 2, 1),
    )
    assert _african_count_cell(_dashboard(client, borough)) == "3"
    assert client.get(quality_url).status_code == 200
    assert grant.history.latest().history_user == borough.admin

    access.end_provider_access(actor=borough.admin, access=grant, on=datetime.date(2024, 3, 1))
    assert _african_count_cell(_dashboard(client, borough)) == "Suppressed"
    assert client.get(quality_url).status_code == 403
    assert ProviderDataAccess.objects.filter(pk=grant.pk).exists()  # the record of the agreement stays


def test_an_agreement_is_only_for_commissioning_organisations(borough):
    with pytest.raises(Exception, match="commissioning organisation"):
        access.grant_provider_access(
            actor=borough.admin,
            provider=borough.provider,
            commissioner=borough.other_provider,
            agreement_reference="Not a commissioner",
            agreement_date=datetime.date(2024, 1, 1),
        )


@pytest.mark.parametrize("persona", ["staff", "other_analyst", "admin"])
def test_data_quality_is_refused_to_others(client, borough, persona):
    verified_login(client, getattr(borough, persona))
    assert client.get(reverse("monitoring:data_quality", args=[borough.provider.uuid])).status_code == 403


def test_data_quality_shows_completeness_against_the_target(client, borough):
    verified_login(client, borough.analyst)
    response = client.get(reverse("monitoring:data_quality", args=[borough.provider.uuid]))
    html = response.content.decode()
    assert "Below target" in html  # April: 94 of 100
    assert "96.0%" in html  # June: 96 of 100
    assert "Meets the target" in html  # the latest month
    assert "<svg" in html and "Coding quality by month" in html


def test_an_admin_records_an_agreement_through_the_form(client, borough):
    verified_login(client, borough.admin)
    response = client.post(
        reverse("monitoring:access_create"),
        {
            "provider": borough.provider.pk,
            "commissioner": borough.commissioner.pk,
            "agreement_reference": "DSA 2024/7",
            "agreement_date": "2024-01-15",
            "starts_on": "2024-01-20",
            "ends_on": "",
        },
    )
    assert response.status_code == 302
    grant = ProviderDataAccess.objects.get()
    assert grant.granted_by == borough.admin and grant.agreement_reference == "DSA 2024/7"
    listing = client.get(reverse("monitoring:access_list")).content.decode()
    assert "DSA 2024/7" in listing


def test_an_agreement_cannot_start_before_it_was_signed(client, borough):
    verified_login(client, borough.admin)
    response = client.post(
        reverse("monitoring:access_create"),
        {
            "provider": borough.provider.pk,
            "commissioner": borough.commissioner.pk,
            "agreement_reference": "DSA",
            "agreement_date": "2024-03-01",
            "starts_on": "2024-02-01",
        },
    )
    assert response.status_code == 200
    assert "cannot start before the agreement was signed" in response.content.decode()
    assert not ProviderDataAccess.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=1999",
        "?area=999999",
        "?area=x",
        "?grouping=abc",
        "?grouping=999",
        "?reference=999",
        "?confidence=7",
        "?format=zzz",
        "?provider=not-a-uuid",
    ],
)
def test_odd_choices_in_the_address_fall_back_to_the_defaults(client, borough, query):
    verified_login(client, borough.staff)
    for url in (
        reverse("monitoring:provider_dashboard", args=[borough.provider.uuid]),
        reverse("monitoring:disproportionality"),
    ):
        response = client.get(url + query)
        assert response.status_code == 200, (url, query)
        assert "Mental Health Act detention by ethnic group" in response.content.decode()


@pytest.fixture
def solver_runs(monkeypatch):
    """How many linear programmes secondary suppression has solved (the real solver runs; this only counts)."""
    from waymark.core import disclosure

    runs = []
    solve = disclosure.linprog

    def counted(*args, **kwargs):
        runs.append(1)
        return solve(*args, **kwargs)

    monkeypatch.setattr(disclosure, "linprog", counted)
    return runs


def test_a_repeat_view_reuses_the_protected_tables_and_a_change_to_the_data_shows_at_once(client, borough, solver_runs):
    from waymark.monitoring.factories import ethnic_group
    from waymark.monitoring.models import PeopleCount

    verified_login(client, borough.staff)
    first = _dashboard(client, borough)
    solved = len(solver_runs)
    assert solved > 0 and _african_count_cell(first) == "Suppressed"

    again = _dashboard(client, borough)
    assert len(solver_runs) == solved, "the repeat view solved the suppression again"
    assert _african_count_cell(again) == "Suppressed"

    PeopleCount.objects.filter(provider=borough.provider, ethnic_group=ethnic_group("N")).update(people=30)
    changed = _dashboard(client, borough)
    assert _african_count_cell(changed) == "30"
