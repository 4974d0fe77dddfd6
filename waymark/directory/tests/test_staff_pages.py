"""The directory's staff pages as each kind of user meets them: the list, adding and changing a service
with its rows, history, checking records, locations, funding and the fragility radar."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.dates import add_months
from waymark.core.factories import OrganisationFactory
from waymark.core.file_headers import split_file_header
from waymark.core.models import Language, Postcode
from waymark.core.roles import Role
from waymark.directory.choices import LocationVisibility, VolunteerReliance
from waymark.directory.factories import (
    ContactFactory,
    FundingSourceFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceFactory,
)
from waymark.directory.models import FundingSource, Location, Service, TaxonomyTerm
from waymark.directory.tasks import send_review_reminders

pytestmark = pytest.mark.django_db

MANAGE_URL = reverse("directory:manage")
CREATE_URL = reverse("directory:service_create")
REVIEW_URL = reverse("directory:review_queue")
RADAR_URL = reverse("directory:fragility")
LOCATIONS_URL = reverse("directory:location_list")
NEW_LOCATION_URL = reverse("directory:location_create")
TODAY = timezone.localdate()


def _url(name, record):
    return reverse(f"directory:{name}", args=[record.uuid])


def _create_url(organisation):
    return f"{CREATE_URL}?organisation={organisation.uuid}"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Riverside Community Trust")


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF, full_name="Ada Worker")
    verified_login(client, user)
    return user


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _service_data(contacts=(), schedules=(), exceptions=(), initial=(0, 0, 0), **overrides):
    """A filled-in service form: the fields, then the rows of each formset as lists of dicts."""
    data = {
        "name": "Riverside Listening Service",
        "description": "Someone to talk to, in English, Urdu or Punjabi.",
        "phone": "020 7946 0000",
        "volunteer_reliance": VolunteerReliance.NONE,
        "status": "active",
        "is_free": "on",
        "self_referral": "on",
        "published": "on",
    }
    for (prefix, rows), initial_count in zip(
        (("contacts", contacts), ("schedules", schedules), ("exceptions", exceptions)), initial, strict=True
    ):
        data.update(_management(prefix, len(rows), initial_count))
        for number, row in enumerate(rows):
            data.update({f"{prefix}-{number}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    _header, rows = split_file_header(list(csv.reader(io.StringIO(text))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- Who may do what --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, organisation):
    service = ServiceFactory(organisation=organisation)
    for url in (MANAGE_URL, CREATE_URL, REVIEW_URL, RADAR_URL, _url("service_edit", service)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_members_cannot_use_the_staff_pages(client, organisation):
    client.force_login(make_persona(Role.MEMBER))
    service = ServiceFactory(organisation=organisation)

    for url in (MANAGE_URL, CREATE_URL, REVIEW_URL, RADAR_URL, _url("service_staff_detail", service)):
        assert client.get(url).status_code == 403
    assert client.post(_url("service_verify", service)).status_code == 403


def test_analyst_sees_the_list_but_cannot_add_or_change(client, organisation):
    verified_login(client, make_persona(Role.ANALYST))
    service = ServiceFactory(organisation=organisation, name="Riverside Listening")

    listing = client.get(MANAGE_URL)
    assert listing.status_code == 200
    assert "Riverside Listening" in listing.text
    assert "Add a service" not in listing.text
    detail = client.get(_url("service_staff_detail", service))
    assert "Change this service" not in detail.text
    assert client.get(_url("service_edit", service)).status_code == 403
    assert client.get(REVIEW_URL).status_code == 403


def test_responder_adds_and_changes_only_their_own_organisations_services(client, organisation):
    other = OrganisationFactory(name="Hillside Group")
    theirs = ServiceFactory(organisation=other, name="Hillside Lunch Club")
    own = ServiceFactory(organisation=organisation, name="Riverside Drop-in")
    responder = make_persona(Role.RESPONDER, organisation=organisation)
    verified_login(client, responder)

    # With one organisation to choose from, the first step is skipped.
    form_page = client.get(CREATE_URL)
    assert form_page.status_code == 200
    assert "Riverside Community Trust" in form_page.text
    assert client.get(_create_url(other)).status_code == 403
    assert client.post(_create_url(other), _service_data()).status_code == 403
    assert client.get(_url("service_edit", theirs)).status_code == 403
    assert client.post(_url("service_edit", theirs), _service_data(name="Taken over")).status_code == 403
    assert client.post(_url("service_verify", theirs)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Hillside Lunch Club"

    response = client.post(_url("service_edit", own), _service_data(name="Riverside Drop-in Café"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Riverside Drop-in Café"


def test_staff_choose_the_organisation_first(client, staff, organisation):
    choose = client.get(CREATE_URL)
    assert "Which organisation runs the service?" in choose.text
    assert "Riverside Community Trust" in choose.text

    unchosen = client.get(CREATE_URL, {"organisation": ""})
    assert "Select the organisation that runs the service" in unchosen.text


# --- Adding and changing a service -------------------------------------------------------------------


def test_adding_a_service_saves_it_with_its_rows_places_and_needs(client, staff, organisation):
    venue = LocationFactory(organisation=organisation, name="Canal Road Centre")
    LocationFactory(name="Someone else's hall")
    need = TaxonomyTerm.objects.get(code="counselling-in-own-language")
    urdu = Language.objects.get(code="urd")
    data = _service_data(
        contacts=[{"title": "Duty worker", "phone": "020 7946 0001", "public": "on"}],
        schedules=[
            {"weekday": "MO", "opens_at": "09:30", "closes_at": "13:00"},
            {"weekday": "MO", "opens_at": "14:00", "closes_at": "17:00", "notes": "Drop-in"},
        ],
        exceptions=[{"starts_on": "2026-12-24", "ends_on": "2026-12-28", "closed": "on", "notes": "Christmas"}],
        categories=[str(need.pk)],
        languages=[str(urdu.pk)],
        locations=[str(venue.pk)],
        internal_notes="Funding review in March.",
        owner=str(staff.pk),
    )

    form_page = client.get(_create_url(organisation))
    assert "Canal Road Centre" in form_page.text
    assert "Someone else&#x27;s hall" not in form_page.text
    assert "Counselling and talking therapies" in form_page.text  # needs grouped under their parent
    response = client.post(_create_url(organisation), data)

    service = Service.objects.get(name="Riverside Listening Service")
    assert response.status_code == 302
    assert response["Location"] == _url("service_staff_detail", service)
    assert service.organisation == organisation
    assert service.owner == staff
    assert list(service.categories.all()) == [need]
    assert list(service.languages.all()) == [urdu]
    assert list(service.locations.all()) == [venue]
    assert [(c.title, c.phone, c.public) for c in service.contacts.all()] == [("Duty worker", "020 7946 0001", True)]
    assert [str(s) for s in service.schedules.order_by("opens_at")] == ["Monday 09:30–13:00", "Monday 14:00–17:00"]
    (holiday,) = service.holiday_exceptions.all()
    assert (holiday.starts_on, holiday.ends_on, holiday.closed) == (
        datetime.date(2026, 12, 24),
        datetime.date(2026, 12, 28),
        True,
    )

    detail = client.get(response["Location"])
    assert "Funding review in March." in detail.text
    assert "Ada Worker" in detail.text
    assert "Canal Road Centre" in detail.text
    assert "Duty worker" in detail.text


def test_errors_keep_everything_typed_name_each_row_and_write_nothing(client, staff, organisation):
    data = _service_data(
        name="Women's Wellbeing Circle",
        contacts=[{"title": "Coordinator", "email": "not an address", "public": "on"}],
        schedules=[
            {"weekday": "TU", "opens_at": "10:00", "closes_at": "12:00"},
            {"weekday": "TH", "opens_at": "15:00", "closes_at": "14:00", "notes": "Evening group"},
        ],
        minimum_age="30",
        maximum_age="18",
    )

    response = client.post(_create_url(organisation), data)

    assert response.status_code == 200
    assert Service.objects.count() == 0
    page = response.text
    assert "There is a problem" in page
    assert "The oldest age must be the same as or more than the youngest age." in page
    assert "Contact 1: enter an e-mail address in the correct format, like name@example.org" in page
    assert "Opening time 2: the closing time must be after the opening time" in page
    assert 'href="#id_schedules-1-closes_at"' in page
    # What was typed is all still there.
    assert 'value="Women&#x27;s Wellbeing Circle"' in page
    assert 'value="not an address"' in page
    assert 'value="Evening group"' in page
    assert 'value="15:00"' in page


def test_publishing_needs_a_way_to_get_in(client, staff, organisation):
    data = _service_data(phone="", application_process="")

    response = client.post(_create_url(organisation), data)

    assert "Add a phone number, e-mail, website or how to get in before publishing" in response.text
    assert not Service.objects.exists()


def test_add_another_shows_one_more_row_without_checking_or_saving(client, staff, organisation):
    data = _service_data(
        name="",
        contacts=[{"title": "Duty worker", "public": "on"}],
        add_row="contacts",
    )

    response = client.post(_create_url(organisation), data)

    assert response.status_code == 200
    assert "There is a problem" not in response.text
    assert 'value="Duty worker"' in response.text
    assert 'name="contacts-1-title"' in response.text
    assert not Service.objects.exists()


def test_a_possible_duplicate_must_be_confirmed(client, staff, organisation):
    venue = LocationFactory(organisation=organisation, postcode="ZX1 1AA")
    existing = ServiceFactory(name="The Riverside Listening Service", organisation=OrganisationFactory())
    data = _service_data(locations=[str(venue.pk)])

    warned = client.post(_create_url(organisation), data)

    assert warned.status_code == 200
    assert "This service may already be listed" in warned.text
    assert _url("service_staff_detail", existing) in warned.text
    assert "tick ‘This is a different service’" in warned.text
    assert Service.objects.count() == 1

    confirmed = client.post(_create_url(organisation), {**data, "different_service": "on"})

    assert confirmed.status_code == 302
    assert Service.objects.count() == 2


def test_editing_keeps_rows_by_identity_and_removes_ticked_ones(client, staff, organisation):
    service = ServiceFactory(organisation=organisation, name="Riverside Listening Service")
    contact = ContactFactory(service=service, title="Duty worker")
    kept = ScheduleFactory(service=service, weekday="MO")
    removed = ScheduleFactory(service=service, weekday="WE")

    form_page = client.get(_url("service_edit", service))
    assert 'value="Duty worker"' in form_page.text
    data = _service_data(
        contacts=[{"uuid": str(contact.uuid), "title": "Intake team", "public": "on"}],
        schedules=[
            {"uuid": str(kept.uuid), "weekday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
            {"uuid": str(removed.uuid), "weekday": "WE", "opens_at": "09:00", "closes_at": "17:00", "DELETE": "on"},
            {"weekday": "FR", "opens_at": "10:00", "closes_at": "12:00"},
        ],
        initial=(1, 2, 0),
    )
    response = client.post(_url("service_edit", service), data)

    assert response.status_code == 302
    (saved_contact,) = service.contacts.all()
    assert (saved_contact.uuid, saved_contact.title) == (contact.uuid, "Intake team")
    assert sorted(s.weekday for s in service.schedules.all()) == ["FR", "MO"]
    assert service.schedules.filter(uuid=kept.uuid).exists()


def test_a_row_cannot_take_over_another_services_record(client, staff, organisation):
    service = ServiceFactory(organisation=organisation)
    elsewhere = ContactFactory(title="Someone else's contact")
    data = _service_data(contacts=[{"uuid": str(elsewhere.uuid), "title": "Hijacked", "public": "on"}])

    client.post(_url("service_edit", service), data)

    elsewhere.refresh_from_db()
    assert elsewhere.title == "Someone else's contact"
    assert [c.title for c in service.contacts.all()] == ["Hijacked"]


def test_history_shows_who_made_each_change(client, staff, organisation):
    client.post(_create_url(organisation), _service_data())
    service = Service.objects.get()
    client.post(_url("service_edit", service), _service_data(name="Riverside Talking Space"))

    response = client.get(_url("service_history", service))

    assert response.status_code == 200
    assert "Ada Worker" in response.text
    assert "Riverside Talking Space" in response.text
    assert "Created" in response.text and "Changed" in response.text


# --- The list ----------------------------------------------------------------------------------------


def test_list_filters_and_counts(client, staff, organisation):
    ServiceFactory(organisation=organisation, name="Riverside Counselling", volunteer_reliance="wholly")
    ServiceFactory(organisation=organisation, name="Riverside Advice", published=False)
    ServiceFactory(name="Hillside Counselling", last_verified_on=None)

    by_word = client.get(MANAGE_URL, {"q": "counselling"})
    assert "2 services" in by_word.text
    assert "Riverside Advice" not in by_word.text

    by_organisation = client.get(MANAGE_URL, {"organisation": str(organisation.uuid), "published": "false"})
    assert "1 service" in by_organisation.text
    assert "Riverside Advice" in by_organisation.text

    volunteers = client.get(MANAGE_URL, {"volunteer_reliance": "wholly"})
    assert "Riverside Counselling" in volunteers.text and "1 service" in volunteers.text

    unverified = client.get(MANAGE_URL, {"not_verified": "true"})
    assert "Hillside Counselling" in unverified.text and "1 service" in unverified.text


def test_list_filters_by_need_and_the_needs_beneath_it(client, staff):
    parent = TaxonomyTerm.objects.get(code="counselling")
    child = TaxonomyTerm.objects.get(code="counselling-trauma")
    ServiceFactory(name="Trauma counselling", categories=[child])
    ServiceFactory(name="Housing advice", categories=[TaxonomyTerm.objects.get(code="housing")])

    response = client.get(MANAGE_URL, {"need": str(parent.uuid)})

    assert "Trauma counselling" in response.text
    assert "Housing advice" not in response.text


def test_htmx_request_gets_only_the_rows(client, staff):
    ServiceFactory(name="Riverside Counselling")

    response = client.get(MANAGE_URL, {"q": "riverside"}, headers={"HX-Request": "true"})

    assert "Riverside Counselling" in response.text
    assert "<html" not in response.text
    assert 'hx-swap-oob="innerHTML"' in response.text


def test_csv_export_has_every_matching_service(client, staff, organisation):
    service = ServiceFactory(organisation=organisation, name="Riverside Counselling", internal_notes="=cmd()")
    service.languages.set([Language.objects.get(code="urd")])
    ServiceFactory(name="Hillside Advice")

    response = client.get(MANAGE_URL, {"q": "riverside", "format": "csv"})

    rows = _csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert [row["Name"] for row in rows] == ["Riverside Counselling"]
    assert rows[0]["Organisation"] == "Riverside Community Trust"
    assert rows[0]["Languages"] == "Urdu"
    assert rows[0]["Internal notes"] == "'=cmd()"  # not run as a formula by a spreadsheet


def test_the_list_costs_the_same_queries_for_one_row_or_five(client, staff, django_assert_max_num_queries):
    def build(count):
        for _ in range(count):
            ServiceFactory(owner=staff, categories=[TaxonomyTerm.objects.get(code="advocacy")])

    build(1)
    client.get(MANAGE_URL)  # warm the session and grants
    with CaptureQueriesContext(connection) as one:
        assert client.get(MANAGE_URL).status_code == 200
    build(4)
    with django_assert_max_num_queries(len(one)):
        response = client.get(MANAGE_URL)
    assert "5 services" in response.text


# --- Checking records --------------------------------------------------------------------------------


def test_review_queue_lists_old_and_never_checked_records_oldest_first_by_owner(client, staff):
    owner = make_persona(Role.STAFF, full_name="Bea Keeper")
    long_ago = add_months(TODAY, -12)
    ServiceFactory(name="Checked last month", owner=owner, last_verified_on=TODAY - datetime.timedelta(days=30))
    ServiceFactory(name="Checked a year ago", owner=owner, last_verified_on=long_ago)
    ServiceFactory(name="Checked two years ago", owner=owner, last_verified_on=add_months(TODAY, -24))
    ServiceFactory(name="Never checked", owner=None, last_verified_on=None)
    ServiceFactory(name="Closed for good", status="defunct", last_verified_on=None)

    response = client.get(REVIEW_URL)

    page = response.text
    assert "3 records due for checking" in page
    assert "Checked last month" not in page
    assert "Closed for good" not in page
    assert page.index("Bea Keeper") < page.index("Checked two years ago") < page.index("Checked a year ago")
    assert page.index("Checked a year ago") < page.index("No owner yet") < page.index("Never checked")
    assert "Mark as checked" in page


def test_a_record_the_review_queue_lists_is_in_its_owners_reminder(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    """The queue and the weekly reminder follow one rule: a year to the day since the last check is due."""
    owner = make_persona(Role.STAFF, email="keeper@example.org")
    ServiceFactory(name="Checked a year ago today", owner=owner, last_verified_on=add_months(TODAY, -12))

    assert "Checked a year ago today" in client.get(REVIEW_URL).text
    with django_capture_on_commit_callbacks(execute=True):
        send_review_reminders(today=TODAY)

    assert [message.to for message in mailoutbox] == [["keeper@example.org"]]
    assert "Checked a year ago today" in mailoutbox[0].body


def test_marking_as_checked_sets_today_and_leaves_the_queue(client, staff):
    service = ServiceFactory(name="Riverside Advice", last_verified_on=None)

    response = client.post(_url("service_verify", service), {"next": REVIEW_URL})

    assert response.status_code == 302
    assert response["Location"] == REVIEW_URL
    service.refresh_from_db()
    assert service.last_verified_on == TODAY
    queue = client.get(REVIEW_URL)
    assert "Riverside Advice is marked as checked today." in queue.text
    assert _url("service_staff_detail", service) not in queue.text
    assert "0 records due for checking" in queue.text
    assert client.get(_url("service_verify", service)).status_code == 405


def test_checking_never_sends_people_to_another_site(client, staff):
    service = ServiceFactory(last_verified_on=None)

    response = client.post(_url("service_verify", service), {"next": "https://elsewhere.example/"})

    assert response["Location"] == _url("service_staff_detail", service)


# --- Locations ---------------------------------------------------------------------------------------


@pytest.fixture
def known_postcode():
    return Postcode.objects.create(
        postcode="ZX1 1AA", district="ZX1", latitude=Decimal("51.501234"), longitude=Decimal("-0.101234")
    )


def test_adding_locations_explains_what_the_public_sees(client, staff, organisation, known_postcode):
    form_page = client.get(NEW_LOCATION_URL)
    assert "For refuges and groups that meet in someone’s home." in form_page.text

    hidden = client.post(
        NEW_LOCATION_URL,
        {"organisation": str(organisation.uuid), "name": "Safe house", "visibility": LocationVisibility.HIDDEN},
    )
    placed = client.post(
        NEW_LOCATION_URL,
        {
            "organisation": str(organisation.uuid),
            "name": "Canal Road Centre",
            "address_1": "1 Canal Road",
            "postcode": "zx11aa",
            "visibility": LocationVisibility.FULL,
        },
    )

    assert hidden.status_code == placed.status_code == 302
    centre = Location.objects.get(name="Canal Road Centre")
    assert (centre.postcode, centre.latitude) == ("ZX1 1AA", Decimal("51.501234"))
    assert Location.objects.get(name="Safe house").postcode == ""
    assert "Canal Road Centre" in client.get(LOCATIONS_URL).text


def test_unknown_postcode_is_refused_by_name(client, staff, organisation, known_postcode):
    response = client.post(
        NEW_LOCATION_URL,
        {"organisation": str(organisation.uuid), "name": "Hall", "postcode": "ZX9 9ZZ", "visibility": "full"},
    )

    assert response.status_code == 200
    assert "We cannot find ZX9 9ZZ" in response.text
    assert 'value="Hall"' in response.text
    assert not Location.objects.exists()


def test_responder_changes_only_their_own_locations(client, organisation, known_postcode):
    own = LocationFactory(organisation=organisation, postcode="ZX1 1AA")
    other = LocationFactory(postcode="ZX1 1AA")
    verified_login(client, make_persona(Role.RESPONDER, organisation=organisation))

    assert client.get(_url("location_edit", other)).status_code == 403
    response = client.post(
        _url("location_edit", own), {"name": "Renamed hall", "postcode": "ZX1 1AA", "visibility": "district"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.visibility) == ("Renamed hall", "district")


# --- Funding -----------------------------------------------------------------------------------------


def test_funding_can_be_added_changed_and_removed(client, staff, organisation):
    service = ServiceFactory(organisation=organisation, name="Youth mentoring")
    list_url = _url("funding_list", organisation)

    added = client.post(
        _url("funding_create", organisation),
        {
            "funder": "City Council",
            "funding_type": "grant",
            "service": str(service.pk),
            "amount": "12000",
            "starts_on": "2026-04-01",
            "ends_on": "2027-03-31",
        },
    )
    assert added.status_code == 302 and added["Location"] == list_url
    funding = FundingSource.objects.get()
    assert (funding.service, funding.amount, funding.ends_on) == (service, Decimal("12000"), datetime.date(2027, 3, 31))
    listing = client.get(list_url)
    assert "City Council" in listing.text and "£12,000.00" in listing.text

    changed = client.post(
        _url("funding_edit", funding),
        {"funder": "City Council", "funding_type": "contract", "starts_on": "2026-04-01", "ends_on": "2026-03-01"},
    )
    assert "The end date must be on or after the start date" in changed.text
    changed = client.post(_url("funding_edit", funding), {"funder": "City Council", "funding_type": "contract"})
    assert changed.status_code == 302
    funding.refresh_from_db()
    assert (funding.funding_type, funding.service, funding.ends_on) == ("contract", None, None)

    confirm = client.get(_url("funding_delete", funding))
    assert "Remove the funding from City Council?" in confirm.text
    assert FundingSource.objects.exists()
    assert client.post(_url("funding_delete", funding)).status_code == 302
    assert not FundingSource.objects.exists()


def test_funding_of_another_organisation_is_closed_to_a_responder(client, organisation):
    other = OrganisationFactory()
    theirs = FundingSourceFactory(organisation=other)
    verified_login(client, make_persona(Role.RESPONDER, organisation=organisation))

    assert client.get(_url("funding_list", organisation)).status_code == 200
    assert client.get(_url("funding_list", other)).status_code == 403
    assert client.get(_url("funding_edit", theirs)).status_code == 403
    assert client.post(_url("funding_delete", theirs)).status_code == 403
    assert FundingSource.objects.filter(pk=theirs.pk).exists()


# --- The fragility radar -----------------------------------------------------------------------------


def _radar_organisation(name, ends_in_days, amount=Decimal("8000")):
    organisation = OrganisationFactory(name=name)
    ServiceFactory(organisation=organisation, name=f"{name} drop-in")
    FundingSourceFactory(
        organisation=organisation,
        funder="City Council",
        amount=amount,
        ends_on=TODAY + datetime.timedelta(days=ends_in_days),
    )
    FundingSourceFactory(organisation=organisation, funder="Lottery", ends_on=None)
    return organisation


def test_radar_shows_why_each_organisation_is_on_it_and_the_window_can_be_chosen(client, staff):
    _radar_organisation("Soon Ending Group", 40)
    _radar_organisation("Later Ending Group", 250)
    volunteers = OrganisationFactory(name="Volunteer Circle")
    ServiceFactory(organisation=volunteers, volunteer_reliance=VolunteerReliance.WHOLLY)

    default = client.get(RADAR_URL)
    assert default.status_code == 200
    assert "Soon Ending Group" in default.text
    assert "Later Ending Group" not in default.text  # beyond the default 6 months
    assert "Funding ends " in default.text
    assert "Volunteer-run" in default.text
    assert "£8,000.00" in default.text
    assert "Soon Ending Group drop-in" in default.text

    year = client.get(RADAR_URL, {"window": "12"})
    assert "Later Ending Group" in year.text
    assert "Funding ends within 12 months" in year.text

    only_volunteers = client.get(RADAR_URL, {"reason": "volunteer_run"})
    assert "Volunteer Circle" in only_volunteers.text
    assert "Soon Ending Group" not in only_volunteers.text


def test_radar_csv_has_the_same_rows_reasons_and_amounts(client, staff):
    _radar_organisation("Soon Ending Group", 40, amount=Decimal("8000.50"))
    _radar_organisation("Later Ending Group", 250)

    rows = _csv_rows(client.get(RADAR_URL, {"format": "csv"}))

    (row,) = rows
    assert row["Organisation"] == "Soon Ending Group"
    assert row["Reasons"].startswith("Funding ends ")
    assert row["Amount ending (£)"] == "8000.50"
    assert row["Soonest funding end"] == (TODAY + datetime.timedelta(days=40)).isoformat()
    assert row["Services"] == "Soon Ending Group drop-in"


def test_the_radar_page_costs_the_same_queries_for_one_row_or_five(client, staff, django_assert_max_num_queries):
    _radar_organisation("Group 0", 30)
    client.get(RADAR_URL)
    with CaptureQueriesContext(connection) as one:
        client.get(RADAR_URL)
    for number in range(1, 5):
        _radar_organisation(f"Group {number}", 30 + number)
    with django_assert_max_num_queries(len(one)):
        response = client.get(RADAR_URL)
    assert "5 organisations on the radar" in response.text


# Who sees funding amounts: one policy decision ("directory.view_funding_amounts"), asked by the radar's page,
# its CSV and the staff HSDS export alike. Everyone else with the radar sees its flags without the amounts.
FUNDING_AMOUNTS_SEEN_BY = {Role.STAFF: True, Role.ADMIN: True, Role.ANALYST: False, Role.RESPONDER: False}


@pytest.mark.parametrize(("role", "sees_amounts"), FUNDING_AMOUNTS_SEEN_BY.items())
def test_funding_amounts_are_shown_only_to_those_the_policy_allows(client, role, sees_amounts):
    _radar_organisation("Soon Ending Group", 40, amount=Decimal("8000.50"))
    verified_login(client, make_persona(role))

    page = client.get(RADAR_URL).text
    (row,) = _csv_rows(client.get(RADAR_URL, {"format": "csv"}))
    staff_export = client.get(reverse("directory:hsds_export"), {"scope": "staff"}).text

    assert "Soon Ending Group" in page and "Funding ends " in page
    assert row["Reasons"].startswith("Funding ends ")
    assert ("£8,000.50" in page) is sees_amounts
    assert ("8000.50" in "".join(row.values())) is sees_amounts
    assert ("8000.50" in staff_export) is sees_amounts
    assert "City Council" in staff_export
