"""The calendar's views: the list filtered and grouped by community or theme, the month grid, clash markers on
each, and the live clash check on the consultation form."""

import datetime

import pytest
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.roles import Role
from waymark.partnership.calendars import DAY_CELL_LIMIT
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, PartnershipFactory, ThemeFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2027, 3, 1)


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


@pytest.fixture
def world():
    health = ThemeFactory(name="Health", slug="c-health")
    crisis = ThemeFactory(name="Crisis care", slug="c-crisis", parent=health)
    talking = ThemeFactory(name="Talking therapies", slug="c-talking", parent=health)
    housing = ThemeFactory(name="Housing", slug="c-housing")
    somali = CommunityFactory(name="Somali")
    bangladeshi = CommunityFactory(name="Bangladeshi")
    trust = OrganisationFactory(name="Riverside Mental Health Trust")
    council = OrganisationFactory(name="Riverside Council")
    return {
        "health": health,
        "crisis": crisis,
        "talking": talking,
        "housing": housing,
        "somali": somali,
        "bangladeshi": bangladeshi,
        "trust": trust,
        "council": council,
    }


def _consultation(title, communities, themes, *, starts_on=MARCH, days=14, **fields):
    return ConsultationFactory(
        title=title,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days),
        communities=communities,
        themes=themes,
        **fields,
    )


def _list(client, **params):
    response = client.get(reverse("partnership:consultation_list"), params)
    assert response.status_code == 200
    return response.content.decode()


# The list and its filters


def test_the_list_filters_by_community_theme_lead_status_partnership_and_dates(client, staff, world):
    partnership = PartnershipFactory(name="Riverside race equality partnership")
    crisis = _consultation("Crisis care survey", [world["somali"]], [world["crisis"]], lead_organisation=world["trust"])
    repairs = _consultation(
        "Housing repairs forum",
        [world["bangladeshi"]],
        [world["housing"]],
        lead_organisation=world["council"],
        starts_on=datetime.date(2027, 6, 1),
        status=ConsultationStatus.OPEN,
        partnership=partnership,
    )

    by_community = _list(client, community=world["somali"].pk)
    assert crisis.title in by_community and repairs.title not in by_community
    # a parent theme finds the consultations about the themes under it
    by_theme = _list(client, theme="c-health")
    assert crisis.title in by_theme and repairs.title not in by_theme
    by_lead = _list(client, lead=str(world["council"].uuid))
    assert repairs.title in by_lead and crisis.title not in by_lead
    by_status = _list(client, status="open")
    assert repairs.title in by_status and crisis.title not in by_status
    by_partnership = _list(client, partnership=str(partnership.uuid))
    assert repairs.title in by_partnership and crisis.title not in by_partnership
    # a date range finds what runs at any time within it
    in_march = _list(client, date_from="2027-03-10", date_to="2027-03-31")
    assert crisis.title in in_march and repairs.title not in in_march
    nothing = _list(client, date_from="2027-04-01", date_to="2027-04-30")
    assert "No consultations match these filters." in nothing


def test_a_date_range_that_ends_before_it_starts_is_refused_on_the_field(client, staff, world):
    page = _list(client, date_from="2027-03-31", date_to="2027-03-01")
    assert "The end of the date range must be on or after its start." in page
    assert 'id="id_date_to-error"' in page or "id_date_to" in page
    for part, value in (("day", "31"), ("month", "3"), ("year", "2027")):  # what was typed stays
        assert f'name="date_from_{part}" value="{value}"' in page


def test_the_list_marks_clashes_and_names_the_other(client, staff, world):
    first = _consultation("Crisis care survey", [world["somali"]], [world["crisis"]], lead_organisation=world["trust"])
    second = _consultation(
        "Talking therapies focus group",
        [world["somali"]],
        [world["talking"]],
        lead_organisation=world["council"],
        starts_on=MARCH + datetime.timedelta(days=20),
    )
    _consultation("Housing forum", [world["bangladeshi"]], [world["housing"]])
    page = _list(client)
    assert page.count("May clash") == 2
    assert f"{second.title}</a> (Riverside Council)" in page
    assert f"{first.title}</a> (Riverside Mental Health Trust)" in page


def test_the_list_answers_htmx_with_its_rows_and_count(client, staff, world):
    _consultation("Crisis care survey", [world["somali"]], [world["crisis"]])
    response = client.get(reverse("partnership:consultation_list"), {"status": "planned"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Crisis care survey" in body
    assert 'id="consultation-count" hx-swap-oob="innerHTML"' in body
    assert "<html" not in body


def test_grouped_by_community_a_consultation_sits_under_each_community_it_asks(client, staff, world):
    _consultation("Joint survey", [world["somali"], world["bangladeshi"]], [world["crisis"]])
    page = _list(client, group="community")
    assert '<h2 class="nhsuk-heading-m">Bangladeshi</h2>' in page
    assert '<h2 class="nhsuk-heading-m">Somali</h2>' in page
    assert page.count(">Joint survey</a>") == 2
    assert "1 consultation" in page
    # filtered to one community, only its group is shown
    one = _list(client, group="community", community=world["somali"].pk)
    assert '<h2 class="nhsuk-heading-m">Somali</h2>' in one
    assert "Bangladeshi</h2>" not in one
    assert 'name="group" value="community"' in one  # the filters keep the grouping


def test_grouped_by_theme_names_the_parent_theme(client, staff, world):
    _consultation("Crisis care survey", [world["somali"]], [world["crisis"], world["housing"]])
    page = _list(client, group="theme")
    assert '<h2 class="nhsuk-heading-m">Health: Crisis care</h2>' in page
    assert '<h2 class="nhsuk-heading-m">Housing</h2>' in page
    only_health = _list(client, group="theme", theme="c-health")
    assert "Crisis care</h2>" in only_health and "Housing</h2>" not in only_health


def test_grouped_lists_paginate(client, staff, world):
    for number in range(55):
        _consultation(f"Drop-in {number:02d}", [world["somali"]], [world["housing"]], status=ConsultationStatus.CLOSED)
    first = _list(client, group="community")
    assert "Page 1 of 2" in first
    second = _list(client, group="community", page=2)
    assert "Drop-in 54" in second and "Drop-in 00" not in second


@pytest.mark.parametrize("group", ["", "community", "theme"])
def test_the_list_reads_a_page_in_a_few_queries_however_many_clash(
    client, staff, world, group, django_assert_max_num_queries
):
    for number in range(30):
        _consultation(
            f"Consultation {number}",
            [world["somali"], world["bangladeshi"]],
            [world["crisis"], world["talking"]],
            starts_on=MARCH + datetime.timedelta(days=number),
        )
    with django_assert_max_num_queries(22):
        page = _list(client, group=group) if group else _list(client)
    assert "May clash" in page


def test_the_public_and_members_do_not_reach_the_calendar(client, world):
    assert client.get(reverse("partnership:consultation_list")).status_code == 302
    verified_login(client, make_persona(Role.MEMBER))
    assert client.get(reverse("partnership:consultation_month", args=[2027, 3])).status_code == 403


# The month grid


def _month(client, year=2027, month=3, **params):
    response = client.get(reverse("partnership:consultation_month", args=[year, month]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_month_lists_each_day_s_consultations_with_clash_markers(client, staff, world):
    _consultation(
        "Crisis care survey",
        [world["somali"]],
        [world["crisis"]],
        starts_on=datetime.date(2027, 3, 10),
        days=2,
        lead_organisation=world["trust"],
    )
    _consultation(
        "Crisis line feedback",
        [world["somali"]],
        [world["crisis"]],
        starts_on=datetime.date(2027, 3, 11),
        days=0,
        lead_organisation=world["council"],
    )
    _consultation("Long ago", [world["somali"]], [world["housing"]], starts_on=datetime.date(2027, 1, 1))
    page = _month(client)
    assert "<caption" in page and "March 2027</caption>" in page
    assert page.count(">Crisis care survey</a>") == 3  # 10, 11 and 12 March
    assert page.count(">Crisis line feedback</a>") == 1
    assert "Long ago" not in page
    assert "May clash" in page
    assert "with Crisis line feedback (Riverside Council)" in page
    assert "2 consultations run at some time this month." in page


def test_a_crowded_day_says_how_many_more_and_leads_to_that_day(client, staff, world):
    for number in range(DAY_CELL_LIMIT + 2):
        _consultation(
            f"Stall {number}", [world["somali"]], [world["housing"]], starts_on=datetime.date(2027, 3, 5), days=0
        )
    page = _month(client)
    assert "and 2 more" in page
    assert "date_from=2027-03-05&amp;date_to=2027-03-05" in page
    day = _list(client, date_from="2027-03-05", date_to="2027-03-05")
    assert all(f"Stall {number}" in day for number in range(DAY_CELL_LIMIT + 2))


def test_the_month_links_to_its_neighbours_keeping_the_filters(client, staff, world):
    page = _month(client, 2027, 1, community=world["somali"].pk)
    assert f"/partnership/consultations/month/2026/12/?community={world['somali'].pk}" in page
    assert f"/partnership/consultations/month/2027/2/?community={world['somali'].pk}" in page
    assert "December 2026" in page and "February 2027" in page


def test_the_month_leaves_out_cancelled_consultations_unless_asked(client, staff, world):
    _consultation("Called off", [world["somali"]], [world["housing"]], status=ConsultationStatus.CANCELLED)
    assert "Called off" not in _month(client)
    assert "Called off" in _month(client, status="cancelled")


def test_the_month_honours_the_filters(client, staff, world):
    _consultation("Somali drop-in", [world["somali"]], [world["housing"]])
    _consultation("Bangladeshi drop-in", [world["bangladeshi"]], [world["housing"]])
    page = _month(client, community=world["somali"].pk)
    assert "Somali drop-in" in page and "Bangladeshi drop-in" not in page


def test_a_month_that_does_not_exist_is_not_found(client, staff):
    assert client.get(reverse("partnership:consultation_month", args=[2027, 13])).status_code == 404
    assert client.get(reverse("partnership:consultation_month", args=[2027, 0])).status_code == 404


def test_a_crowded_month_is_read_in_a_few_queries(client, staff, world, django_assert_max_num_queries):
    for number in range(40):
        _consultation(
            f"Consultation {number}",
            [world["somali"]],
            [world["crisis"]],
            starts_on=MARCH + datetime.timedelta(days=number % 28),
            days=7,
        )
    with django_assert_max_num_queries(18):
        page = _month(client)
    assert "more" in page and "May clash" in page


# The live clash check on the form


def _form_values(world, **changes):
    values = {
        "title": "Our crisis care survey",
        "starts_on": "2027-03-05",
        "ends_on": "2027-03-20",
        "communities": [world["somali"].pk],
        "themes": [world["talking"].pk],
    }
    values.update(changes)
    return values


def test_the_clash_check_names_the_other_lead_and_how_to_reach_them(client, staff, world):
    _consultation(
        "Crisis care survey",
        [world["somali"]],
        [world["crisis"]],
        lead_organisation=world["trust"],
        contact_name="Amina Yusuf",
        contact_email="amina.yusuf@example.org",
        contact_phone="020 7946 0000",
    )
    response = client.post(reverse("partnership:consultation_clash_check"), _form_values(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This may clash with another consultation" in body
    assert "Riverside Mental Health Trust" in body
    assert "Amina Yusuf" in body and "amina.yusuf@example.org" in body and "020 7946 0000" in body
    assert 'id="consultation-save" class="waymark-save-slot" hx-swap-oob="true"' in body and "Save anyway" in body


def test_the_clash_check_is_quiet_without_a_clash_or_with_half_a_form(client, staff, world):
    _consultation("Crisis care survey", [world["somali"]], [world["crisis"]])
    url = reverse("partnership:consultation_clash_check")
    other_theme = client.post(url, _form_values(world, themes=[world["housing"].pk])).content.decode()
    assert "may clash" not in other_theme.lower() and ">\n  Save\n<" in other_theme
    no_dates = client.post(url, _form_values(world, starts_on="", ends_on="")).content.decode()
    assert "may clash" not in no_dates.lower()
    backwards = client.post(url, _form_values(world, starts_on="2027-03-20", ends_on="2027-03-05"))
    assert backwards.status_code == 200 and "may clash" not in backwards.content.decode().lower()


def test_a_consultation_being_changed_does_not_clash_with_itself(client, staff, world):
    mine = _consultation("Crisis care survey", [world["somali"]], [world["crisis"]])
    url = reverse("partnership:consultation_clash_check") + f"?consultation={mine.uuid}"
    body = client.post(url, _form_values(world, themes=[world["crisis"].pk])).content.decode()
    assert "may clash" not in body.lower()
    nonsense = reverse("partnership:consultation_clash_check") + "?consultation=not-a-uuid"
    assert "This may clash" in client.post(nonsense, _form_values(world, themes=[world["crisis"].pk])).content.decode()


def test_the_clash_check_writes_nothing_and_only_answers_posts(client, staff, world):
    from waymark.partnership.models import Consultation

    url = reverse("partnership:consultation_clash_check")
    assert client.get(url).status_code == 405
    client.post(url, _form_values(world, lead_organisation=world["trust"].pk, method="survey", contact_name="Me"))
    assert not Consultation.objects.exists()


def test_the_form_asks_for_the_clash_check_as_it_changes(client, staff):
    page = client.get(reverse("partnership:consultation_create")).content.decode()
    assert f'hx-post="{reverse("partnership:consultation_clash_check")}"' in page
    assert 'id="clash-check" aria-live="polite"' in page


def test_without_javascript_saving_shows_the_clash_then_saves_anyway(client, staff, world):
    from waymark.partnership.models import Consultation

    _consultation("Crisis care survey", [world["somali"]], [world["crisis"]], contact_name="Amina Yusuf")
    values = _form_values(
        world,
        purpose="Hear why few people are referred.",
        lead_organisation=world["council"].pk,
        method="focus_group",
        contact_name="Rosa Responder",
    )
    url = reverse("partnership:consultation_create")
    warned = client.post(url, values)
    body = warned.content.decode()
    assert warned.status_code == 200
    assert "This may clash with another consultation" in body and "Amina Yusuf" in body
    assert "Save anyway" in body
    assert 'value="Our crisis care survey"' in body  # nothing typed is lost
    assert Consultation.objects.count() == 1
    saved = client.post(url, {**values, "save_anyway": "1"})
    assert saved.status_code == 302
    assert Consultation.objects.filter(title="Our crisis care survey").exists()


def test_the_download_holds_the_consultations_the_list_filters_to(client, staff, world):
    _consultation("Somali drop-in", [world["somali"]], [world["housing"]])
    _consultation("Bangladeshi drop-in", [world["bangladeshi"]], [world["housing"]])
    response = client.get(
        reverse("partnership:consultation_export"), {"format": "csv", "community": world["somali"].pk}
    )
    text = response.content.decode("utf-8-sig")
    assert "Somali drop-in" in text and "Bangladeshi drop-in" not in text


def test_the_api_filters_as_the_list_does(client, staff, world):
    _consultation("Somali drop-in", [world["somali"]], [world["crisis"]], starts_on=datetime.date(2027, 5, 1))
    _consultation("Bangladeshi drop-in", [world["bangladeshi"]], [world["housing"]])
    url = "/api/v1/partnership/consultations/"
    titles = [row["title"] for row in client.get(url, {"theme": "c-health"}).json()["results"]]
    assert titles == ["Somali drop-in"]
    titles = [row["title"] for row in client.get(url, {"date_to": "2027-04-01"}).json()["results"]]
    assert titles == ["Bangladeshi drop-in"]
    refused = client.get(url, {"date_from": "2027-04-01", "date_to": "2027-03-01"})
    assert "date_to" in refused.content.decode()  # the refusal names the field


def test_a_month_drawn_once_is_kept_until_the_calendar_changes(client, staff, world, django_assert_max_num_queries):
    first = _consultation("Crisis care survey", [world["somali"]], [world["crisis"]])
    assert "Crisis care survey" in _month(client)
    with django_assert_max_num_queries(12):  # the grid is not drawn again: no consultation is read
        assert "Crisis care survey" in _month(client)
    _consultation(
        "Talking therapies focus group", [world["somali"]], [world["talking"]], lead_organisation=world["trust"]
    )
    page = _month(client)
    assert "Talking therapies focus group" in page
    assert "waymark-month__clash" in page
    first.themes.set([world["housing"]])  # no longer related: the clash is gone from the month
    assert "waymark-month__clash" not in _month(client)
    first.delete()
    assert "Crisis care survey" not in _month(client)
