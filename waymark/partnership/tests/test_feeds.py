"""The calendar taken elsewhere: the public and private iCalendar feeds (parsed back, as a calendar program
reads them), the subscription link and its replacement, and the spreadsheet with its export log row."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.choices import ExportKind
from waymark.core.file_headers import split_file_header
from waymark.core.models import ExportLog
from waymark.core.roles import Role
from waymark.partnership import feeds
from waymark.partnership.choices import ConsultationStatus
from waymark.partnership.factories import CommunityFactory, ConsultationFactory, ThemeFactory
from waymark.partnership.services.feeds import replace_feed_link

pytestmark = pytest.mark.django_db

START = datetime.date(2027, 3, 1)
END = datetime.date(2027, 3, 14)


def _consultation(title, *, status=ConsultationStatus.OPEN, published=True, **fields):
    fields.setdefault("starts_on", START)
    fields.setdefault("ends_on", END)
    return ConsultationFactory(
        title=title,
        status=status,
        published=published,
        communities=[CommunityFactory(name="Somali")],
        themes=[ThemeFactory(name="Crisis care", slug="t-crisis")],
        contact_name="Amina Yusuf",
        contact_email="amina.yusuf@example.org",
        **fields,
    )


def _events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def calendar_rows():
    return {
        "open": _consultation("Crisis care survey", public_link="https://example.org/take-part"),
        "reported": _consultation("Talking therapies listening", status=ConsultationStatus.REPORTED),
        "planned": _consultation("Planned but published", status=ConsultationStatus.PLANNED),
        "unpublished": _consultation("Open, not published", published=False),
        "closed": _consultation("Closed and published", status=ConsultationStatus.CLOSED),
    }


def test_the_public_feed_is_valid_icalendar_of_published_open_or_reported_consultations_only(client, calendar_rows):
    response = client.get(reverse("partnership:public_feed"))

    assert response.status_code == 200
    events = _events(response)
    assert set(events) == {"Crisis care survey", "Talking therapies listening"}
    event = events["Crisis care survey"]
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == END + datetime.timedelta(days=1)  # all day: the day after the last
    assert str(event["UID"]) == f"consultation-{calendar_rows['open'].uuid}@waymark"
    assert "https://example.org/take-part" in str(event["DESCRIPTION"])
    assert "Amina Yusuf" not in response.content.decode()  # the public never sees a contact


def test_the_public_feed_keeps_each_consultations_uid_when_it_changes(client, calendar_rows):
    first = _events(client.get(reverse("partnership:public_feed")))["Crisis care survey"]
    calendar_rows["open"].ends_on = END + datetime.timedelta(days=7)
    calendar_rows["open"].save()

    second = _events(client.get(reverse("partnership:public_feed")))["Crisis care survey"]

    assert second["UID"] == first["UID"]
    assert int(second["SEQUENCE"]) >= int(first["SEQUENCE"])
    assert second.decoded("DTEND") == END + datetime.timedelta(days=8)


def test_a_working_users_private_link_opens_the_whole_calendar_without_signing_in(client, calendar_rows):
    staff = make_persona(Role.STAFF)
    cancelled = _consultation("Cancelled one", status=ConsultationStatus.CANCELLED, published=False)

    response = client.get(feeds.feed_url(staff).removeprefix(feeds.absolute_url("")))

    assert response.status_code == 200
    events = _events(response)
    assert {"Planned but published", "Open, not published", "Cancelled one"} <= set(events)
    assert str(events["Cancelled one"]["STATUS"]) == "CANCELLED"
    assert "Amina Yusuf" in str(events["Crisis care survey"]["DESCRIPTION"])  # leads can reach each other
    assert cancelled.title in response.content.decode()


def test_a_replaced_private_link_stops_working_and_the_new_one_works(client, calendar_rows):
    staff = make_persona(Role.STAFF)
    old = feeds.feed_url(staff).removeprefix(feeds.absolute_url(""))

    replace_feed_link(actor=staff, user=staff)

    assert client.get(old).status_code == 410
    assert client.get(feeds.feed_url(staff).removeprefix(feeds.absolute_url(""))).status_code == 200


def test_an_altered_private_link_is_refused(client, calendar_rows):
    staff = make_persona(Role.STAFF)
    url = feeds.feed_url(staff).removeprefix(feeds.absolute_url(""))

    assert client.get(url[:-3] + "abc").status_code == 404


def test_a_link_made_for_someone_without_a_working_role_opens_nothing(client, calendar_rows):
    member = make_persona(Role.MEMBER)

    response = client.get(feeds.feed_url(member).removeprefix(feeds.absolute_url("")))

    assert response.status_code == 403


def test_the_subscribe_page_shows_the_private_address_and_replaces_it(client):
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)
    page = client.get(reverse("partnership:consultation_subscribe"))
    old_url = page.context["feed_url"]
    assert old_url in page.content.decode()

    response = client.post(reverse("partnership:consultation_subscribe"), follow=True)

    assert "Your calendar address has changed" in response.content.decode()
    assert response.context["feed_url"] != old_url
    assert client.get(old_url.removeprefix(feeds.absolute_url(""))).status_code == 410


def test_the_calendar_downloads_as_csv_with_contacts_and_the_download_is_logged(client, calendar_rows):
    analyst = make_persona(Role.ANALYST)
    verified_login(client, analyst)

    response = client.get(reverse("partnership:consultation_export"), {"format": "csv"})

    assert response.status_code == 200
    _lines, table = split_file_header(list(csv.reader(io.StringIO(response.content.decode()))))
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert len(rows) == 5
    survey = next(row for row in rows if row["Title"] == "Crisis care survey")
    assert survey["Contact e-mail"] == "amina.yusuf@example.org"
    assert survey["Communities asked"] == "Somali"
    assert survey["Starts on"] == "2027-03-01"
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.rows) == (analyst, ExportKind.CONSULTATIONS, 5)


def test_the_calendar_downloads_as_xlsx(client, calendar_rows):
    staff = make_persona(Role.STAFF)
    verified_login(client, staff)

    response = client.get(reverse("partnership:consultation_export"), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    _lines, values = split_file_header([[cell.value for cell in row] for row in sheet.iter_rows()])
    assert values[0][0] == "Title" and len(values) == 6
    assert ExportLog.objects.filter(kind=ExportKind.CONSULTATIONS).count() == 1


def test_an_unknown_format_is_refused_and_nothing_is_logged(client):
    verified_login(client, make_persona(Role.STAFF))

    response = client.get(reverse("partnership:consultation_export"), {"format": "pdf"})

    assert response.status_code == 400
    assert "Choose CSV or XLSX" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_the_download_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    verified_login(client, make_persona(Role.STAFF))
    for number in range(30):
        _consultation(f"Consultation {number}")

    with django_assert_max_num_queries(20):
        response = client.get(reverse("partnership:consultation_export"), {"format": "csv"})
        response.content  # noqa: B018 (the file is written as it is read)

    _lines, table = split_file_header(list(csv.reader(io.StringIO(response.content.decode()))))
    assert len(table) == 1 + 30


def test_the_calendar_page_links_to_the_downloads_keeping_its_query(client):
    verified_login(client, make_persona(Role.STAFF))

    page = client.get(reverse("partnership:consultation_list"), {"status": "open"}).content.decode()

    assert reverse("partnership:consultation_export") + "?status=open&amp;format=csv" in page
    assert reverse("partnership:consultation_subscribe") in page


def test_the_feeds_read_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    staff = make_persona(Role.STAFF)
    url = feeds.feed_url(staff).removeprefix(feeds.absolute_url(""))
    for number in range(30):
        _consultation(f"Consultation {number}")

    with django_assert_max_num_queries(12):
        private = client.get(url)
    with django_assert_max_num_queries(6):
        public = client.get(reverse("partnership:public_feed"))

    assert len(_events(private)) == len(_events(public)) == 30


def test_the_download_links_follow_the_filters_when_htmx_fetches_the_rows(client):
    verified_login(client, make_persona(Role.STAFF))
    somali = CommunityFactory(name="Somali")

    rows = client.get(reverse("partnership:consultation_list"), {"community": somali.pk}, HTTP_HX_REQUEST="true")

    page = rows.content.decode()
    assert 'id="calendar-downloads" hx-swap-oob="true"' in page
    assert f"{reverse('partnership:consultation_export')}?community={somali.pk}&amp;format=xlsx" in page
