"""The organisation pages as each kind of user meets them: list, CSV, detail, add, change and history."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.forms import OrganisationForm
from waymark.core.models import Organisation, Sector
from waymark.core.roles import Role
from waymark.core.services import update_organisation

pytestmark = pytest.mark.django_db

LIST_URL = reverse("core:organisation_list")
CREATE_URL = reverse("core:organisation_create")


def _url(name, organisation):
    return reverse(f"core:{name}", args=[organisation.uuid])


@pytest.fixture
def staff(client, make_persona, verified_login):
    user = make_persona(Role.STAFF, full_name="Ada Worker")
    verified_login(client, user)
    return user


@pytest.fixture
def health():
    return Sector.objects.create(slug="test-health", name="Test health")


def _valid_form_data(**overrides):
    data = {"name": "Riverside Carers", "org_type": "charity", "active": "on", "town": "Leeds"}
    data.update(overrides)
    return data


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    _header, rows = split_file_header(list(csv.reader(io.StringIO(text))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- Who may do what -----------------------------------------------------------


@pytest.mark.parametrize("name", ["organisation_detail", "organisation_edit", "organisation_history"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    organisation = OrganisationFactory()

    for url in (LIST_URL, CREATE_URL, _url(name, organisation)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_member_can_view_but_not_add_change_or_see_history(client, make_persona):
    member = make_persona(Role.MEMBER)
    client.force_login(member)  # members have no second factor to enter
    organisation = OrganisationFactory(name="Riverside Carers")

    assert client.get(LIST_URL).status_code == 200
    detail = client.get(_url("organisation_detail", organisation))
    assert detail.status_code == 200
    assert "Change these details" not in detail.text
    assert "See every change" not in detail.text
    assert "Add an organisation" not in client.get(LIST_URL).text
    assert client.get(CREATE_URL).status_code == 403
    assert client.get(_url("organisation_edit", organisation)).status_code == 403
    assert client.post(_url("organisation_edit", organisation), _valid_form_data()).status_code == 403
    assert client.get(_url("organisation_history", organisation)).status_code == 403


def test_responder_edits_their_own_organisation_but_not_another(client, make_persona, verified_login):
    own = OrganisationFactory(name="Riverside Trust")
    other = OrganisationFactory(name="Hillside Trust")
    responder = make_persona(Role.RESPONDER, organisation=own)
    verified_login(client, responder)

    assert client.get(_url("organisation_edit", own)).status_code == 200
    response = client.post(_url("organisation_edit", own), _valid_form_data(name="Riverside Trust", town="York"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.town == "York"

    assert client.get(_url("organisation_edit", other)).status_code == 403
    assert client.post(_url("organisation_edit", other), _valid_form_data(town="York")).status_code == 403
    other.refresh_from_db()
    assert other.town == ""


def test_records_the_user_may_not_see_are_not_found(client, make_persona, verified_login):
    closed = OrganisationFactory(active=False)
    responder = make_persona(Role.RESPONDER)
    verified_login(client, responder)

    assert client.get(_url("organisation_detail", closed)).status_code == 404


# --- The list --------------------------------------------------------------------


def test_list_filters_by_search_and_type(client, staff):
    OrganisationFactory(name="Riverside Carers", org_type="charity")
    OrganisationFactory(name="Riverside Mental Health Trust", org_type="nhs_trust")
    OrganisationFactory(name="Hillside Faith Forum", org_type="faith_group")

    response = client.get(LIST_URL, {"q": "riverside", "org_type": "nhs_trust"})

    assert "Riverside Mental Health Trust" in response.text
    assert "Riverside Carers" not in response.text
    assert "Hillside Faith Forum" not in response.text
    assert "1 organisation" in response.text


def test_list_pages_by_25_in_name_order(client, staff):
    for number in range(30):
        OrganisationFactory(name=f"Group {number:02d}")

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    # The staff persona's own "Test organisation" is the 31st, last by name.
    assert "31 organisations" in first.text
    assert "Group 00" in first.text and "Group 24" in first.text
    assert "Group 25" not in first.text
    assert "Group 25" in second.text and "Group 29" in second.text
    assert "Page 2 of 2" in first.text


def test_htmx_request_gets_only_the_rows_and_the_new_count(client, staff):
    OrganisationFactory(name="Riverside Carers")
    OrganisationFactory(name="Hillside Faith Forum")

    response = client.get(LIST_URL, {"q": "riverside"}, headers={"HX-Request": "true"})

    assert "<html" not in response.text
    assert "Riverside Carers" in response.text
    assert "Hillside Faith Forum" not in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text
    assert "HX-Request" in response["Vary"]


def test_boosted_and_history_restore_requests_get_the_whole_page(client, staff):
    for headers in (
        {"HX-Request": "true", "HX-Boosted": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ):
        assert "<html" in client.get(LIST_URL, headers=headers).text


def test_add_button_shows_only_to_those_who_may_add(client, staff):
    assert "Add an organisation" in client.get(LIST_URL).text


def test_csv_holds_the_filtered_rows(client, staff, health):
    wanted = OrganisationFactory(name="Riverside Carers", postcode="LS1 1AA")
    wanted.sectors.add(health)
    OrganisationFactory(name="Hillside Faith Forum")

    response = client.get(LIST_URL, {"q": "riverside", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert [(row["Name"], row["Postcode"], row["Sectors"], row["Active"]) for row in rows] == [
        ("Riverside Carers", "LS1 1AA", "Test health", "Yes")
    ]


def test_csv_respects_what_the_user_may_see(client, make_persona, verified_login):
    OrganisationFactory(name="Open Group")
    OrganisationFactory(name="Closed Group", active=False)
    verified_login(client, make_persona(Role.RESPONDER))

    names = {row["Name"] for row in _csv_rows(client.get(LIST_URL, {"format": "csv"}))}

    assert "Open Group" in names
    assert "Closed Group" not in names


def test_csv_stops_spreadsheets_running_typed_formulas(client, staff):
    OrganisationFactory(name='=HYPERLINK("http://example.invalid")', phone="+44 20 7946 0000")

    row = next(row for row in _csv_rows(client.get(LIST_URL, {"format": "csv"})) if "HYPERLINK" in row["Name"])

    assert row["Name"].startswith("'=")
    assert row["Phone"] == "+44 20 7946 0000"


def test_list_queries_do_not_grow_with_rows(client, staff, health, django_assert_max_num_queries):
    def queries_for(rows):
        for _number in range(rows):
            OrganisationFactory().sectors.add(health)
        with CaptureQueriesContext(connection) as page, django_assert_max_num_queries(10):
            client.get(LIST_URL)
        with CaptureQueriesContext(connection) as download, django_assert_max_num_queries(10):
            b"".join(client.get(LIST_URL, {"format": "csv"}).streaming_content)
        return len(page), len(download)

    assert queries_for(2) == queries_for(25)


# --- Detail ------------------------------------------------------------------------


def test_detail_shows_every_field_and_marks_empty_ones(client, staff, health):
    organisation = OrganisationFactory(name="Riverside Carers", charity_number="1123456", website="https://example.org")
    organisation.sectors.add(health)

    response = client.get(_url("organisation_detail", organisation))

    assert "Riverside Carers" in response.text
    assert "1123456" in response.text
    assert "Test health" in response.text
    assert '<a href="https://example.org">' in response.text
    assert "Not recorded" in response.text  # company number, ODS code, phone…
    assert "Change these details" in response.text
    assert "See every change to this record" in response.text


# --- Add -------------------------------------------------------------------------------


def test_add_saves_and_goes_to_the_new_record(client, staff, health):
    response = client.post(CREATE_URL, _valid_form_data(postcode="ls1 1aa", sectors=[health.pk]))

    organisation = Organisation.objects.get(name="Riverside Carers")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.postcode == "LS1 1AA"
    assert list(organisation.sectors.all()) == [health]
    assert organisation.history.get().history_user == staff
    assert "Riverside Carers has been added." in client.get(response["Location"]).text


def test_add_with_mistakes_names_the_fields_and_keeps_what_was_typed(client, staff):
    response = client.post(
        CREATE_URL, _valid_form_data(name="", charity_number="12345", description="Weekly drop-in for carers")
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_name"' in response.text
    assert "Enter the name of the organisation" in response.text
    assert "Enter a charity number of 6 to 8 digits, like 1123456" in response.text
    assert "Weekly drop-in for carers" in response.text
    assert 'value="12345"' in response.text
    assert 'value="Leeds"' in response.text
    assert not Organisation.objects.filter(town="Leeds").exists()


def test_add_warns_of_a_possible_duplicate_until_confirmed(client, staff):
    existing = OrganisationFactory(name="Riverside Carers Ltd", postcode="LS1 1AA")

    warned = client.post(CREATE_URL, _valid_form_data(name="The Riverside Carers"))

    assert warned.status_code == 200
    assert "There may already be a record for this organisation" in warned.text
    assert existing.get_absolute_url() in warned.text
    assert "This is a different organisation" in warned.text
    assert Organisation.objects.filter(name__icontains="riverside").count() == 1

    confirmed = client.post(CREATE_URL, _valid_form_data(name="The Riverside Carers", different_organisation="on"))

    assert confirmed.status_code == 302
    assert Organisation.objects.filter(name__icontains="riverside").count() == 2


# --- Change -----------------------------------------------------------------------------


def test_edit_saves_and_says_so(client, staff):
    organisation = OrganisationFactory(name="Riverside Carers")

    response = client.post(
        _url("organisation_edit", organisation), _valid_form_data(phone="0113 496 0000"), follow=True
    )

    organisation.refresh_from_db()
    assert organisation.phone == "0113 496 0000"
    assert "Your changes to Riverside Carers have been saved." in response.text


def test_edit_with_mistakes_keeps_what_was_typed_and_the_saved_name(client, staff):
    organisation = OrganisationFactory(name="Riverside Carers")

    response = client.post(
        _url("organisation_edit", organisation), _valid_form_data(name="Riverside Carers Group", email="not-an-address")
    )

    assert response.status_code == 200
    assert "Enter an e-mail address in the correct format, like name@example.org" in response.text
    assert 'value="Riverside Carers Group"' in response.text
    assert "<title>Error: Change Riverside Carers – Waymark</title>" in response.text
    organisation.refresh_from_db()
    assert organisation.name == "Riverside Carers"


# --- History ------------------------------------------------------------------------------


def test_history_shows_who_changed_which_field(client, staff, make_persona):
    organisation = OrganisationFactory(name="Riverside Carers", town="Leeds")
    editor = make_persona(Role.STAFF, full_name="Bea Editor")
    update_organisation(actor=editor, organisation=organisation, data={"town": "Bradford"})

    response = client.get(_url("organisation_history", organisation))

    assert response.status_code == 200
    text = response.text
    assert "Changed by Bea Editor" in text
    assert "Town or city" in text
    assert text.index("Leeds") < text.index("Bradford")
    assert "Created by System" in text  # the factory saved it outside any service
    assert text.index("Changed by Bea Editor") < text.index("Created by System")


def test_history_pages_newest_first(client, staff):
    organisation = OrganisationFactory(name="Riverside Carers", phone="")
    for number in range(21):
        update_organisation(actor=staff, organisation=organisation, data={"phone": f"0113 496 {number:04d}"})

    first = client.get(_url("organisation_history", organisation))
    second = client.get(_url("organisation_history", organisation), {"page": 2})

    assert "0113 496 0020" in first.text
    assert "Created by" not in first.text
    assert "Page 1 of 2" in first.text
    assert "Created by System" in second.text
    assert "0113 496 0000" in second.text  # the oldest change, read against the creation


# --- Form rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("charity_number", "1123456", "1123456"),
        ("charity_number", "1 123 456-1", "1123456-1"),
        ("company_number", "sc123456", "SC123456"),
        ("company_number", "1234567", "01234567"),
        ("ods_code", "rv5", "RV5"),
        ("postcode", " sw1a1aa ", "SW1A 1AA"),
        ("phone", "+44 (0)20 7946 0000", "+44 (0)20 7946 0000"),
    ],
)
def test_form_accepts_and_tidies(field, typed, stored):
    form = OrganisationForm(data=_valid_form_data(**{field: typed}))

    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == stored


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("charity_number", "12345", "Enter a charity number of 6 to 8 digits, like 1123456"),
        ("company_number", "ABC", "Enter a company number of 8 characters, like 01234567 or SC123456"),
        ("ods_code", "R-5", "Enter an ODS code of 3 to 6 letters and numbers, like RV5"),
        ("postcode", "LS1", "Enter a full UK postcode, like SW1A 1AA"),
        ("phone", "call us", "Enter a phone number, like 020 7946 0000 or +44 20 7946 0000"),
        ("website", "not a site", "Enter a website address in the correct format, like https://www.example.org"),
        ("org_type", "", "Select the type of organisation"),
        ("name", "x" * 256, "Name must be 255 characters or fewer"),
        ("name", "Riverside\x00Carers", "Name contains a hidden character that cannot be saved"),
    ],
)
def test_form_explains_mistakes_in_plain_english(field, typed, message):
    form = OrganisationForm(data=_valid_form_data(**{field: typed}))

    assert not form.is_valid()
    assert form.errors[field][0].startswith(message)


def test_filter_labels_are_not_marked_optional(client, db, make_persona, verified_login):
    from waymark.core.roles import Role

    verified_login(client, make_persona(Role.STAFF))
    page = client.get("/organisations/").content.decode()
    assert "Type (optional)" not in page
    assert '<label class="nhsuk-label" for="id_org_type">Type</label>' in page
