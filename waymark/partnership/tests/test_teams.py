"""CDW teams and balance pages: administrators set teams up; a worker reads their own balance; the team page
shows aggregates only; one worker's balance is for the worker and their line manager alone."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.partnership.choices import CdwFunction
from waymark.partnership.factories import ActivityFactory, CdwTeamFactory
from waymark.partnership.models import CdwTeam
from waymark.partnership.services.teams import create_team

pytestmark = pytest.mark.django_db

PRIVATE_OUTCOME = "Helped Mr Okafor appeal his benefits decision"
PRIVATE_VENUE = "Okafor family home"


@pytest.fixture
def people():
    manager = make_persona(Role.STAFF, full_name="Morgan Manager")
    amina = make_persona(Role.STAFF, full_name="Amina Worker")
    bola = make_persona(Role.STAFF, full_name="Bola Worker")
    team = CdwTeamFactory(name="North CDW team", manager=manager, workers=[amina, bola])
    day = datetime.date(2026, 5, 12)
    ActivityFactory(
        worker=amina,
        date=day,
        hours=Decimal("7.5"),
        change_agent=False,
        access_facilitator=True,
        outcome=PRIVATE_OUTCOME,
        venue=PRIVATE_VENUE,
    )
    ActivityFactory(worker=bola, date=day, hours=Decimal("2.5"), change_agent=True)
    return {"manager": manager, "amina": amina, "bola": bola, "team": team}


def _get(client, user, name, *args):
    client.logout()
    verified_login(client, user)
    return client.get(reverse(name, args=args))


def test_the_managers_team_page_shows_aggregates_never_an_individuals_entries(client, people):
    response = _get(client, people["manager"], "partnership:team_detail", people["team"].uuid)
    assert response.status_code == 200
    text = response.content.decode()
    assert "10 h" in text  # the team's quarter: 7.5 + 2.5 hours
    assert "7.5 h" in text  # access facilitation, the team's sum (only one worker did any)
    assert PRIVATE_OUTCOME not in text and PRIVATE_VENUE not in text
    assert "<svg" in text and 'aria-hidden="true"' in text
    assert "The team's hours per function, each quarter" in text  # the table's caption
    # The manager may open each worker's own balance from the team page.
    assert reverse("partnership:worker_balance", args=[people["team"].uuid, people["amina"].pk]) in text


def test_a_worker_sees_the_teams_sums_but_no_link_to_a_colleagues_balance(client, people):
    response = _get(client, people["bola"], "partnership:team_detail", people["team"].uuid)
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("partnership:worker_balance", args=[people["team"].uuid, people["amina"].pk]) not in text
    assert reverse("partnership:worker_balance", args=[people["team"].uuid, people["bola"].pk]) in text
    assert PRIVATE_OUTCOME not in text


def test_someone_outside_the_team_cannot_open_its_page(client, people):
    response = _get(client, make_persona(Role.STAFF), "partnership:team_detail", people["team"].uuid)
    assert response.status_code == 403


def test_a_workers_balance_is_for_the_worker_and_their_line_manager_only(client, people):
    team, amina = people["team"], people["amina"]
    other_manager = make_persona(Role.STAFF)
    CdwTeamFactory(manager=other_manager, workers=[people["bola"]])
    args = (team.uuid, amina.pk)
    assert _get(client, amina, "partnership:worker_balance", *args).status_code == 200
    response = _get(client, people["manager"], "partnership:worker_balance", *args)
    assert response.status_code == 200
    assert "Amina Worker's balance across the four functions" in response.content.decode()
    assert _get(client, other_manager, "partnership:worker_balance", *args).status_code == 403
    assert _get(client, make_persona(Role.ADMIN), "partnership:worker_balance", *args).status_code == 403
    assert _get(client, people["bola"], "partnership:worker_balance", *args).status_code == 403


def test_a_worker_not_in_the_team_is_not_found_through_it(client, people):
    stranger = make_persona(Role.STAFF)
    response = _get(client, people["manager"], "partnership:worker_balance", people["team"].uuid, stranger.pk)
    assert response.status_code == 404


def test_my_balance_shows_my_quarters_and_the_warning(client, people):
    response = _get(client, people["amina"], "partnership:balance_mine")
    text = response.content.decode()
    assert response.status_code == 200
    assert "April to June 2026" in text
    assert "Access facilitator took 100% of the hours, more than 60%." in text
    assert "No hours as change agent." in text
    assert "North CDW team" in text  # her team, linked


def test_my_balance_shows_a_year_a_page_chart_and_table_alike(client):
    worker = make_persona(Role.STAFF)
    every_function = {function.value: True for function in CdwFunction}  # balanced: no warning names a quarter
    for month in (1, 4, 7, 10):
        ActivityFactory(worker=worker, date=datetime.date(2025, month, 15), **every_function)
    ActivityFactory(worker=worker, date=datetime.date(2024, 12, 1), **every_function)
    verified_login(client, worker)
    first = client.get(reverse("partnership:balance_mine")).content.decode()
    assert first.count("October to December 2025") == 2  # once in the chart, once in the table
    assert "October to December 2024" not in first
    second = client.get(reverse("partnership:balance_mine"), {"page": 2}).content.decode()
    assert second.count("October to December 2024") == 2
    assert "January to March 2025" not in second


def test_my_balance_without_activity_says_so(client):
    response = _get(client, make_persona(Role.STAFF), "partnership:balance_mine")
    assert "You have not recorded any activity yet." in response.content.decode()


def test_balance_pages_do_not_query_per_quarter_or_worker(client, people, django_assert_max_num_queries):
    for quarter in range(8):
        ActivityFactory(worker=people["amina"], date=datetime.date(2024, 1, 1) + datetime.timedelta(days=91 * quarter))
    for _ in range(5):
        people["team"].workers.add(make_persona(Role.STAFF))
    verified_login(client, people["manager"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("partnership:team_detail", args=[people["team"].uuid])).status_code == 200
    client.logout()
    verified_login(client, people["amina"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partnership:balance_mine")).status_code == 200


def test_the_team_list_pages_and_does_not_query_per_team(client, django_assert_max_num_queries):
    admin = make_persona(Role.ADMIN)
    for _ in range(6):
        CdwTeamFactory(manager=make_persona(Role.STAFF), workers=[make_persona(Role.STAFF)])
    verified_login(client, admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("partnership:team_list"))
    assert response.status_code == 200
    assert "6 teams" in response.content.decode()


def test_the_team_list_shows_a_staff_member_only_their_own_teams(client, people):
    CdwTeamFactory(name="South CDW team", manager=make_persona(Role.STAFF))
    text = _get(client, people["amina"], "partnership:team_list").content.decode()
    assert "North CDW team" in text and "South CDW team" not in text


# --- Setting teams up ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    verified_login(client, make_persona(Role.ADMIN))
    return client


def test_an_administrator_sets_up_a_team(admin_client):
    employer = OrganisationFactory(name="Riverside Mind")
    manager = make_persona(Role.STAFF, full_name="Lee Manager")
    workers = [make_persona(Role.STAFF) for _ in range(2)]
    response = admin_client.post(
        reverse("partnership:team_create"),
        {
            "name": "East CDW team",
            "organisation": employer.pk,
            "manager": manager.pk,
            "workers": [w.pk for w in workers],
        },
    )
    team = CdwTeam.objects.get(name="East CDW team")
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert set(team.workers.all()) == set(workers)
    assert team.history.count() == 1  # one audited change with its workers


def test_an_empty_team_form_names_each_field(admin_client):
    response = admin_client.post(reverse("partnership:team_create"), {})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter the team&#x27;s name" in text
    assert "Select the employer" in text
    assert "Select the line manager" in text
    assert not CdwTeam.objects.exists()


def test_the_line_manager_cannot_be_a_worker_and_what_was_typed_stays(admin_client):
    employer = OrganisationFactory()
    manager = make_persona(Role.STAFF)
    response = admin_client.post(
        reverse("partnership:team_create"),
        {"name": "West CDW team", "organisation": employer.pk, "manager": manager.pk, "workers": [manager.pk]},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["workers"] == ["The line manager cannot also be one of the team's workers."]
    assert 'value="West CDW team"' in response.content.decode()


def test_a_second_team_with_the_same_name_is_refused_on_the_name(admin_client, people):
    response = admin_client.post(
        reverse("partnership:team_create"),
        {"name": "north cdw team", "organisation": OrganisationFactory().pk, "manager": people["manager"].pk},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Another team has this name."]


def test_a_worker_must_hold_a_staff_role(admin_client):
    analyst = make_persona(Role.ANALYST)
    response = admin_client.post(
        reverse("partnership:team_create"),
        {
            "name": "Odd team",
            "organisation": OrganisationFactory().pk,
            "manager": make_persona(Role.STAFF).pk,
            "workers": [analyst.pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["workers"] == ["Select the workers from the list"]


def test_an_administrator_changes_a_teams_workers(admin_client, people):
    team = people["team"]
    response = admin_client.post(
        reverse("partnership:team_edit", args=[team.uuid]),
        {
            "name": team.name,
            "organisation": team.organisation_id,
            "manager": people["manager"].pk,
            "workers": [people["bola"].pk],
        },
    )
    assert response.status_code == 302
    assert list(team.workers.all()) == [people["bola"]]


def test_only_an_administrator_may_set_up_a_team_through_the_service(people):
    with pytest.raises(PermissionDenied):
        create_team(
            actor=people["manager"],
            data={"name": "Self-made team", "organisation": OrganisationFactory(), "manager": people["manager"]},
        )
    assert not CdwTeam.objects.filter(name="Self-made team").exists()


def test_the_balance_pages_lead_to_the_activity_log_and_a_workers_downloads(client, people):
    mine = _get(client, people["amina"], "partnership:balance_mine").content.decode()
    assert reverse("partnership:activity_create") in mine and reverse("partnership:activity_list") in mine
    page = _get(client, people["manager"], "partnership:worker_balance", people["team"].uuid, people["amina"].pk)
    download = reverse("partnership:worker_activity_export", args=[people["amina"].pk])
    assert f"{download}?format=csv" in page.content.decode() and f"{download}?format=xlsx" in page.content.decode()
