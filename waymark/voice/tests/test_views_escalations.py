"""The pages of triage, issues, escalations and answers, as staff, responders and the signed link use them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from waymark.accounts.factories import make_persona, verified_login
from waymark.core.factories import OrganisationFactory
from waymark.core.models import EmailDelivery
from waymark.core.roles import Role
from waymark.voice.factories import FeedbackItemFactory
from waymark.voice.factories_escalations import EscalationFactory, IssueFactory
from waymark.voice.models import Escalation, EscalationStatus, Issue, ReceivedBy, Response, ResponseOutcome
from waymark.voice.services import escalations

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_persona(Role.STAFF)
    verified_login(client, user)
    return user


def _responder_of(client, organisation):
    user = make_persona(Role.RESPONDER, organisation=organisation)
    verified_login(client, user)
    return user


# --- Responders ----------------------------------------------------------------------------------------


def test_a_responder_sees_only_escalations_addressed_to_their_organisation(client) -> None:
    trust = OrganisationFactory(name="Riverside Trust")
    mine = EscalationFactory(responder=trust, issue=IssueFactory(title="Interpreters at the clinic"))
    theirs = EscalationFactory(issue=IssueFactory(title="Night staff were rude"))
    _responder_of(client, trust)
    page = client.get(reverse("voice:responder_list"))
    assert page.status_code == 200
    assert "Interpreters at the clinic" in page.text
    assert "Night staff were rude" not in page.text
    assert client.get(reverse("voice:responder_escalation", args=[mine.uuid])).status_code == 200
    assert client.get(reverse("voice:responder_escalation", args=[theirs.uuid])).status_code == 404
    answer = {"text": "We will.", "outcome": "accepted", "reasons": "", "what_changed": "", "responder_name": ""}
    assert client.post(reverse("voice:responder_escalation", args=[theirs.uuid]), answer).status_code == 404
    assert not Response.objects.filter(escalation=theirs).exists()
    # Nor can they reach the staff pages or the other organisation's documents.
    assert client.get(reverse("voice:escalation_detail", args=[theirs.uuid])).status_code == 403
    assert client.get(reverse("voice:response_document", args=[theirs.uuid])).status_code == 403


def test_a_published_answer_of_another_organisation_stays_off_a_responders_pages(client) -> None:
    trust = OrganisationFactory()
    other = EscalationFactory(issue=IssueFactory(title="Published issue of another trust"), status="answered")
    Response.objects.create(escalation=other, text="Done.", outcome="accepted", received_by="email", published=True)
    _responder_of(client, trust)
    assert "Published issue of another trust" not in client.get(reverse("voice:responder_list")).text
    assert client.get(reverse("voice:responder_escalation", args=[other.uuid])).status_code == 404


def test_a_responder_answers_and_the_owner_is_told(client) -> None:
    trust = OrganisationFactory()
    owner = make_persona(Role.STAFF, email="owner@example.org")
    escalation = EscalationFactory(responder=trust, issue=IssueFactory(owner=owner))
    responder = _responder_of(client, trust)
    url = reverse("voice:responder_escalation", args=[escalation.uuid])
    declined = {"text": "We cannot.", "outcome": "declined", "reasons": "", "what_changed": "", "responder_name": ""}
    page = client.post(url, declined)
    assert page.status_code == 200
    assert "Give the reasons" in page.text
    assert "We cannot." in page.text  # what was typed stays
    answer = {**declined, "outcome": "partly", "reasons": "Budget.", "what_changed": "One more counsellor."}
    assert client.post(url, answer).status_code == 302
    response = Response.objects.get(escalation=escalation)
    assert (response.outcome, response.received_by, response.recorded_by) == ("partly", ReceivedBy.ACCOUNT, responder)
    assert EmailDelivery.objects.filter(template="voice_response_received", to_address="owner@example.org").exists()
    page = client.get(url)
    assert "One more counsellor." in page.text
    assert 'name="outcome"' not in page.text  # answered: no form any more


# --- The signed answer link ----------------------------------------------------------------------------


def test_the_signed_link_answers_its_own_escalation_without_an_account(client) -> None:
    staff = make_persona(Role.STAFF)
    escalation = EscalationFactory(issue=IssueFactory(title="Leaflets only in English"))
    other = EscalationFactory()
    _link, url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="chair@example.org")
    page = client.get(url)
    assert page.status_code == 200
    assert "Leaflets only in English" in page.text
    assert page["Referrer-Policy"] == "same-origin"
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(reverse("voice:answer_link", args=[other.uuid, token])).status_code == 404
    answer = {
        "text": "<script>alert(1)</script> Translated.",
        "outcome": "accepted",
        "reasons": "",
        "what_changed": "",
        "responder_name": "Chair",
    }
    page = client.post(url, answer)
    assert page.status_code == 200
    assert "Thank you for your answer" in page.text
    response = Response.objects.get(escalation=escalation)
    assert response.received_by == ReceivedBy.LINK
    assert response.text.startswith("<script>")  # kept as typed, shown escaped
    assert client.get(url).status_code == 404  # used up


def test_a_revoked_link_says_so_plainly(client) -> None:
    staff = make_persona(Role.STAFF)
    escalation = EscalationFactory()
    link, url = escalations.issue_answer_link(actor=staff, escalation=escalation, send_to="chair@example.org")
    escalations.revoke_answer_link(actor=staff, link=link)
    page = client.get(url)
    assert page.status_code == 404
    assert "This answer link does not work" in page.text


def test_a_responder_sees_the_feedback_behind_the_issue_that_people_agreed_to_share(client) -> None:
    trust = OrganisationFactory(name="Riverside Trust")
    issue = IssueFactory(title="Interpreters at the clinic")
    shared = FeedbackItemFactory(
        consent_to_share=True,
        text="I waited two hours for an interpreter who never came.",
        contact_name="Sam Sample",
        contact_email="sam@example.org",
    )
    private = FeedbackItemFactory(consent_to_share=False, text="Please do not pass this on.")
    disclosure = FeedbackItemFactory(consent_to_share=True, safeguarding=True, text="A disclosure about home.")
    issue.items.add(shared, private, disclosure)
    escalation = EscalationFactory(responder=trust, issue=issue)
    verified_login(client, make_persona(Role.RESPONDER, organisation=trust))
    page = client.get(reverse("voice:responder_escalation", args=[escalation.uuid])).text
    assert "I waited two hours for an interpreter who never came." in page
    assert "1 person agreed that their words may be shared" in page
    for hidden in ("Please do not pass this on.", "A disclosure about home.", "Sam Sample", "sam@example.org"):
        assert hidden not in page
    assert shared.reference not in page


# --- Staff ---------------------------------------------------------------------------------------------


def test_triage_to_issue_to_escalation(client, staff) -> None:
    urgent = FeedbackItemFactory(safeguarding=True, english_summary="Someone may be at risk at home")
    first = FeedbackItemFactory(english_summary="No female counsellor who speaks Urdu")
    second = FeedbackItemFactory(english_summary="Asked for a woman counsellor, offered a man")
    page = client.get(reverse("voice:triage"))
    assert page.text.index("Someone may be at risk") < page.text.index("No female counsellor")
    page = client.post(reverse("voice:triage"), {"items": [first.uuid, second.uuid], "action": "issue"})
    assert page.status_code == 302
    form_page = client.get(page["Location"])
    assert "No female counsellor" in form_page.text
    page = client.post(
        reverse("voice:issue_create"),
        {
            "item": [first.uuid, second.uuid],
            "title": "No female Urdu-speaking counsellor",
            "description": "Two women told us.",
            "owner": staff.pk,
        },
    )
    issue = Issue.objects.get()
    assert page["Location"] == issue.get_absolute_url()
    assert set(issue.items.all()) == {first, second}
    urgent.refresh_from_db()
    assert urgent.status == "new"
    trust = OrganisationFactory(email="office@trust.example.org")
    page = client.post(
        reverse("voice:escalation_create", args=[issue.uuid]),
        {"responder": trust.pk, "question": "Will you recruit?", "contact_email": "", "working_days": 20},
    )
    escalation = Escalation.objects.get()
    assert page["Location"] == escalation.get_absolute_url()
    detail = client.get(escalation.get_absolute_url())
    assert escalation.due_on.strftime("%-d %B %Y") in detail.text
    assert "office@trust.example.org" in detail.text  # the link went to the organisation's address


def test_staff_record_a_letter_on_behalf_and_only_allowed_people_download_it(client, staff) -> None:
    trust = OrganisationFactory()
    escalation = EscalationFactory(responder=trust)
    url = reverse("voice:response_record", args=[escalation.uuid])
    data = {
        "text": "Our reply.",
        "outcome": "accepted",
        "reasons": "",
        "what_changed": "Leaflets translated.",
        "responder_name": "Director",
        "received_by": "letter",
    }
    page = client.post(url, {**data, "document": SimpleUploadedFile("reply.exe", b"MZ")})
    assert page.status_code == 200
    assert "Our reply." in page.text
    renamed = client.post(url, {**data, "document": SimpleUploadedFile("reply.pdf", b"MZ\x90\x00 a program")})
    assert "The file&#x27;s name says it is a PDF, but its contents are not." in renamed.text
    letter = SimpleUploadedFile("reply.pdf", b"%PDF-1.4 our reply", content_type="application/pdf")
    assert client.post(url, {**data, "document": letter}).status_code == 302
    response = Response.objects.get(escalation=escalation)
    assert response.on_behalf
    assert "Recorded on the responder" in client.get(escalation.get_absolute_url()).text
    download = client.get(reverse("voice:response_document", args=[escalation.uuid]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 our reply"
    assert "no-store" in download["Cache-Control"]
    _responder_of(client, trust)
    assert client.get(reverse("voice:response_document", args=[escalation.uuid])).status_code == 200
    client.logout()
    assert client.get(reverse("voice:response_document", args=[escalation.uuid])).status_code == 302


def test_publish_and_close(client, staff) -> None:
    escalation = EscalationFactory(status=EscalationStatus.ANSWERED)
    Response.objects.create(escalation=escalation, text="Done.", outcome=ResponseOutcome.ACCEPTED, received_by="email")
    client.post(reverse("voice:response_publish", args=[escalation.uuid]), {"published": "true"})
    assert Response.objects.get().published
    page = client.post(reverse("voice:escalation_close", args=[escalation.uuid]), {"note": "bad\x00note"})
    assert page.status_code == 200
    assert "NUL" in page.text
    client.post(reverse("voice:escalation_close", args=[escalation.uuid]), {"note": "Two counsellors started."})
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.CLOSED


def test_admins_add_closure_days_and_staff_cannot(client, staff) -> None:
    assert client.get(reverse("voice:closure_days")).status_code == 403
    verified_login(client, make_persona(Role.ADMIN))
    page = client.post(reverse("voice:closure_days"), {"date": "2026-06-03", "reason": "Office move"})
    assert page.status_code == 302
    assert "Office move" in client.get(reverse("voice:closure_days")).text
    from waymark.voice import workdays

    assert not workdays.is_working_day(datetime.date(2026, 6, 3))


def test_issue_list_query_count_does_not_grow(client, staff, django_assert_max_num_queries) -> None:
    for _ in range(8):
        EscalationFactory()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("voice:issue_list")).status_code == 200


@pytest.mark.parametrize(("role", "shown"), [(Role.STAFF, False), (Role.ADMIN, True)])
def test_the_issue_list_links_to_closure_days_only_for_those_who_may_open_them(client, role, shown) -> None:
    """Staff were shown a link that answered them 403; only administrators keep the closure days."""
    person = make_persona(role)
    verified_login(client, person)

    html = client.get(reverse("voice:issue_list")).content.decode()

    assert (reverse("voice:closure_days") in html) is shown
    if shown:
        assert client.get(reverse("voice:closure_days")).status_code == 200
