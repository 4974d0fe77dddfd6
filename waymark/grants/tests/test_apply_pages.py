"""The applicant's pages: start, a draft saved at every step and resumed from the e-mailed link, send; the lost-link
form; staff entry of an application taken by phone."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from waymark.core.choices import OrganisationType
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.grants.choices import ApplicationStatus, Channel
from waymark.grants.factories import ProgrammeFactory
from waymark.grants.models import Application

pytestmark = pytest.mark.django_db


def _emailed_link(address):
    mail = EmailDelivery.objects.filter(to_address=address).latest("pk")
    return re.search(r"https?://\S+/draft/\S+/", mail.text_body).group(0).split("://", 1)[1].split("/", 1)[1]


def _main(response):
    """The page's main content: the same for every address (the nonce and form token differ per request)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _start(client, programme, lang="en-gb", email="applicant@example.org", key="k1"):
    url = reverse("grants:apply_start", kwargs={"lang": lang, "code": programme.code})
    return client.post(url, {"contact_name": "Applicant", "contact_email": email, "start_key": key})


def test_starting_twice_from_the_same_page_makes_one_draft_and_emails_its_link(client):
    programme = ProgrammeFactory()
    first = _start(client, programme)
    again = _start(client, programme)  # the back button and the form sent again
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Application.objects.count() == 1
    assert "/group/" in first["Location"]
    assert EmailDelivery.objects.filter(template="grants_draft_link").count() == 1


def test_a_resumed_draft_has_every_word_that_was_typed(client):
    programme = ProgrammeFactory()
    step = _start(client, programme)["Location"]
    questions = step.replace("/group/", "/questions/")
    answer = "Our elders wait months.\r\nWe meet them — weekly — in their own language: اردو, polski, বাংলা."
    response = client.post(questions, {"answer_need": answer, "answer_difference": "", "later": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/questions/")
    # Over the limit: refused, naming the limit, and every word typed is on the page again.
    too_long = " ".join(f"w{n}" for n in range(151))
    response = client.post(questions, {"answer_need": too_long, "answer_difference": "Kept on the page."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 150" in page and "w150" in page and "Kept on the page." in page
    # A new browser, by the e-mailed link: the saved words, every one.
    other = client.__class__()
    resumed = other.get("/" + _emailed_link("applicant@example.org"), follow=True)
    assert resumed.status_code == 200
    page = other.get(questions).content.decode()
    assert "Our elders wait months.\nWe meet them — weekly — in their own language: اردو, polski, বাংলা." in page.replace(
        "&#x27;", "'"
    )


def test_the_whole_journey_in_urdu_reads_right_to_left_and_sends(client):
    programme = ProgrammeFactory()
    step = _start(client, programme, lang="ur")["Location"]
    assert "/apply/ur/draft/" in step
    page = client.get(step)
    assert 'dir="rtl"' in page.content.decode()
    base = step.rsplit("/group/", 1)[0]
    client.post(
        f"{base}/group/",
        {
            "organisation_name": "Riverside Circle",
            "organisation_type": OrganisationType.COMMUNITY_GROUP,
            "postcode": "ZZ1 1AA",
            "contact_name": "Applicant",
            "contact_email": "applicant@example.org",
        },
    )
    today = timezone.localdate()
    client.post(
        f"{base}/project/",
        {
            "project_title": "Tea and talk",
            "project_summary": "Weekly.",
            "amount_requested": "1500",
            "starts_on": (today + datetime.timedelta(days=40)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=300)).isoformat(),
        },
    )
    client.post(f"{base}/questions/", {"answer_need": "Need.", "answer_difference": "Difference."})
    check = client.get(f"{base}/check/")
    assert check.status_code == 200
    refused = client.post(f"{base}/check/", {})
    assert refused.status_code == 200 and Application.objects.get().status == ApplicationStatus.DRAFT
    sent = client.post(f"{base}/check/", {"confirm": "on"})
    assert sent.status_code == 302 and sent["Location"].endswith("/sent/")
    application = Application.objects.get()
    assert (application.status, application.language) == (ApplicationStatus.SUBMITTED, "ur")
    assert client.get(sent["Location"]).status_code == 200
    # The link now shows where it is; the steps no longer change it.
    assert client.get(f"{base}/project/")["Location"].endswith("/sent/")


def test_a_missing_amount_or_dates_out_of_order_are_refused_naming_the_field(client):
    programme = ProgrammeFactory()
    base = _start(client, programme)["Location"].rsplit("/group/", 1)[0]
    response = client.post(
        f"{base}/project/",
        {"project_title": "T", "amount_requested": "9000", "starts_on": "2030-05-01", "ends_on": "2030-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ask for between £500 and £5,000." in page
    assert Application.objects.get().project_title == ""


def test_the_lost_link_form_says_the_same_whether_or_not_the_address_has_a_draft(client):
    programme = ProgrammeFactory()
    _start(client.__class__(), programme, email="known@example.org")  # started in another browser
    url = reverse("grants:apply_lost_link", kwargs={"lang": "en-gb"})
    known = client.post(url, {"email": "known@example.org"}, follow=True)
    unknown = client.post(url, {"email": "unknown@example.org"}, follow=True)
    assert _main(known) == _main(unknown)
    assert EmailDelivery.objects.filter(to_address="known@example.org").count() == 2
    assert not EmailDelivery.objects.filter(to_address="unknown@example.org").exists()


def test_the_lost_link_form_is_rate_limited(client):
    url = reverse("grants:apply_lost_link", kwargs={"lang": "en-gb"})
    statuses = [client.post(url, {"email": "someone@example.org"}).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_an_altered_link_says_what_to_do(client):
    response = client.get(reverse("grants:apply_resume", kwargs={"lang": "en-gb", "token": "not-a-token"}))
    assert response.status_code == 404
    assert "ask for a new link" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    signer = signing.TimestampSigner(salt="waymark.signed-link.grant-draft")
    forged = signer.sign_object({"s": "user:1", "v": 0}, compress=True)
    assert client.get(reverse("grants:apply_resume", kwargs={"lang": "en-gb", "token": forged})).status_code == 404


def test_staff_enter_an_application_taken_by_phone(client, make_persona, verified_login):
    programme = ProgrammeFactory()
    verified_login(client, make_persona(Role.STAFF))
    url = reverse("grants:application_enter", kwargs={"uuid": programme.uuid})
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    data = {
        "channel": Channel.PAPER,
        "language": "pl",
        "organisation_name": "Saturday School",
        "organisation_type": OrganisationType.CHARITY,
        "charity_number": "1123456",
        "contact_name": "Teacher",
        "contact_email": "teacher@example.org",
        "project_title": "Homework club",
        "project_summary": "After school.",
        "amount_requested": "3000",
        "starts_on": (today + datetime.timedelta(days=20)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=200)).isoformat(),
        "answer_need": "Need.",
        "answer_difference": "Difference.",
    }
    refused = client.post(url, {**data, "amount_requested": "99999"})
    assert refused.status_code == 200 and "Ask for between" in refused.content.decode()
    response = client.post(url, data)
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert (application.channel, application.status, application.language) == (
        Channel.PAPER,
        ApplicationStatus.SUBMITTED,
        "pl",
    )
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "Enter another application taken by phone" in detail
